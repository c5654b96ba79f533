"""The board paper: drafted once from the data as a document model, rendered to PDF and Word."""

from lgadata.paper import draft
from lgadata.paper.docx import render_docx
from lgadata.paper.draft import CONTACT_LIMIT, NOTE_LIMIT, build_paper, clean_note
from lgadata.paper.model import Chart, Contact, Paper, Section, Source
from lgadata.paper.pdf import render_pdf
from lgadata.paper.workbook import figures_workbook


def contact_from_settings() -> Contact:
    """Return the contact officer set for the server (LGADATA_CONTACT_OFFICER)."""
    from lgadata.settings import get_settings

    given = get_settings().contact_officer
    return Contact(
        **{part: given.get(part, "") for part in ("name", "position", "telephone", "email")}
    )


def __getattr__(name: str):
    # The sections' (key, title), read from the registry when asked for (see draft.py).
    if name == "SECTIONS":
        return draft.SECTIONS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CONTACT_LIMIT",
    "NOTE_LIMIT",
    "SECTIONS",
    "Chart",
    "Contact",
    "Paper",
    "Section",
    "Source",
    "build_paper",
    "clean_note",
    "contact_from_settings",
    "figures_workbook",
    "render_docx",
    "render_pdf",
]
