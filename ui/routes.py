"""Every page of the dashboard, declared once: the router, the signed-out and not-allowed
addresses and the wiring tests all read this list."""

from dataclasses import dataclass
from pathlib import Path

from lgadata.auth import Permission

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


# In the sidebar's order.
ROUTES = [
    Route("overview.py", "Overview", ":material/dashboard:"),
    Route("capital_assets.py", "Capital and Assets", ":material/account_balance:"),
    Route("shared_services.py", "Shared Services", ":material/hub:"),
    Route("tenancy_fraud.py", "Tenancy Fraud Pilot", ":material/home_work:"),
    Route("procurement.py", "Procurement", ":material/shopping_cart:"),
    Route("ebulletin.py", "E-bulletin statistics", ":material/mail:"),
    Route("timeline.py", "Programme timeline", ":material/timeline:"),
    Route("present.py", "Present", ":material/co_present:"),
    Route("upload.py", "Upload", ":material/upload_file:", Permission.UPLOAD),
    Route("history.py", "History", ":material/history:", Permission.VIEW_HISTORY),
    Route("users.py", "Users", ":material/group:", Permission.MANAGE_USERS),
    Route("audit.py", "Audit log", ":material/policy:", Permission.VIEW_AUDIT),
]
