"""The board paper: drafted once from the data as a document model, rendered to PDF and Word."""

from lgadata.paper.docx import render_docx
from lgadata.paper.draft import NOTE_LIMIT, SECTIONS, build_paper, clean_note
from lgadata.paper.model import Chart, Paper, Section, Source
from lgadata.paper.pdf import render_pdf
from lgadata.paper.workbook import figures_workbook

__all__ = [
    "NOTE_LIMIT",
    "SECTIONS",
    "Chart",
    "Paper",
    "Section",
    "Source",
    "build_paper",
    "clean_note",
    "figures_workbook",
    "render_docx",
    "render_pdf",
]
