"""The board paper: drafted once from the data as a document model, rendered to PDF and Word."""

import importlib

from lgadata.paper import draft
from lgadata.paper.draft import CONTACT_LIMIT, NOTE_LIMIT, build_paper, clean_note
from lgadata.paper.model import Chart, Contact, Paper, Section, Source

# The renderers load fpdf, python-docx and openpyxl (about a second of a fresh server's
# first page): imported when a pack is first made, not whenever a section is read.
RENDERERS = {
    "render_docx": "lgadata.paper.docx",
    "render_pdf": "lgadata.paper.pdf",
    "figures_workbook": "lgadata.paper.workbook",
}


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
    if name in RENDERERS:
        return getattr(importlib.import_module(RENDERERS[name]), name)
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
