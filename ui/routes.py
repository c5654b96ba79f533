"""Every page of the dashboard, declared once: the router, the signed-out and not-allowed
addresses and the wiring tests all read routes(). A section's own page comes from its
declaration in lgadata.sections."""

from dataclasses import dataclass
from pathlib import Path

from lgadata.auth import Permission
from lgadata.sections import registry

PAGES = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class Route:
    """A page: its file in pages/, its menu title and icon, and what it needs."""

    file: str
    title: str
    icon: str
    permission: Permission = Permission.VIEW

    @property
    def path(self) -> Path:
        """The page file."""
        return PAGES / self.file

    @property
    def url_path(self) -> str:
        """The address Streamlit gives the page file."""
        return Path(self.file).stem


# The pages that are no section's own, around the sections' pages in the sidebar's order.
OVERVIEW = Route("overview.py", "Overview", ":material/dashboard:")
BOARD_PAGES = [
    Route("timeline.py", "Programme timeline", ":material/timeline:"),
    Route("present.py", "Present", ":material/co_present:"),
    Route("my_mail.py", "My e-mail", ":material/mark_email_read:", Permission.CHOOSE_MAIL),
]
OFFICER_AND_ADMIN_PAGES = [
    Route("meetings.py", "Board meetings", ":material/event:", Permission.KEEP_MEETINGS),
    Route("upload.py", "Upload", ":material/upload_file:", Permission.UPLOAD),
    Route("history.py", "History", ":material/history:", Permission.VIEW_HISTORY),
    Route("users.py", "Users", ":material/group:", Permission.MANAGE_USERS),
    Route("audit.py", "Audit log", ":material/policy:", Permission.VIEW_AUDIT),
    Route("mail.py", "Mail", ":material/outgoing_mail:", Permission.SEND_MAIL),
]


def routes() -> list[Route]:
    """Return every page in the sidebar's order: the Overview, each section's own page in the
    report's order, the programme timeline and meeting mode, then the officer and admin pages."""
    own = [Route(s.page.file, s.page.title, s.page.icon) for s in registry.SECTIONS if s.page]
    return [OVERVIEW, *own, *BOARD_PAGES, *OFFICER_AND_ADMIN_PAGES]


def __getattr__(name: str):
    # ROUTES is the list routes() builds, made when asked for so that it follows the registry.
    if name == "ROUTES":
        return routes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
