"""Render the board paper to PDF with fpdf2, its fonts embedded so £, quotes and dashes print."""

import io
import struct
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from lgadata.paper.draft import AUTHOR
from lgadata.paper.model import SOURCE_COLUMNS, Chart, Paper, Section, Source, write
from lgadata.values import format_date

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
MARGIN = 20  # millimetres
LINE = 5.5
BODY, SMALL, SUBHEADING, HEADING, TITLE = 10.5, 8, 12, 13, 20
INDENT = 10
GREY = (90, 90, 90)


class _BoardPDF(FPDF):
    """A4 pages with the board's name and the meeting date at the top, page numbers below."""

    def __init__(self, paper: Paper):
        super().__init__(format="A4")
        self.paper = paper
        for style, name in (
            ("", "DejaVuSans"),
            ("B", "DejaVuSans-Bold"),
            ("I", "DejaVuSans-Oblique"),
        ):
            self.add_font(FAMILY, style, str(FONTS / f"{name}.ttf"))
        self.set_margins(MARGIN, MARGIN + 4, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)

    def header(self):
        self.set_font(FAMILY, "", SMALL)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN, 10)
        when = format_date(self.paper.meeting_date)
        room = self.epw - self.get_string_width(when) - 4
        self.cell(room, 5, _fit(self, self.paper.board, room))
        self.cell(0, 5, when, align="R")
        self.line(MARGIN, 16, self.w - MARGIN, 16)
        self.set_text_color(0, 0, 0)
        self.set_y(MARGIN + 4)

    def footer(self):
        self.set_y(-14)
        self.set_font(FAMILY, "", SMALL)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Return text cut short with an ellipsis to fit the width: a long meeting title."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def render_pdf(paper: Paper) -> bytes:
    """Return the paper as an A4 PDF."""
    pdf = _BoardPDF(paper)
    pdf.set_title(paper.title)
    pdf.set_author(AUTHOR)
    pdf.set_subject(f"{paper.board}, {format_date(paper.meeting_date)}")
    pdf.set_creator("LGA Productivity Programme dashboard")
    pdf.set_lang("en-GB")
    pdf.add_page()
    pdf.set_font(FAMILY, "B", TITLE)
    pdf.multi_cell(0, 10, paper.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(2)
    write(paper, _Writer(pdf, paper))
    return bytes(pdf.output())


class _Writer:
    """Lays each part of the paper out on the PDF's pages."""

    def __init__(self, pdf: FPDF, paper: Paper):
        self.pdf, self.paper = pdf, paper

    def heading(self, text: str, *, level: int) -> None:
        pdf, size = self.pdf, HEADING if level == 1 else SUBHEADING
        # Keep a heading with the first lines under it.
        if pdf.will_page_break(size + 4 * LINE):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", size)
        pdf.start_section(text, level=level - 1)
        pdf.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(1.5)

    def paragraph(self, text: str, *, style: str = "", size: float = BODY) -> None:
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.multi_cell(0, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.pdf.ln(2)

    def numbered(self, number: int, text: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(2 * LINE):
            pdf.add_page()
        pdf.set_font(FAMILY, "", BODY)
        top = pdf.get_y()
        pdf.cell(INDENT, LINE, f"{number}.")
        pdf.set_xy(MARGIN + INDENT, top)
        pdf.multi_cell(pdf.epw - INDENT, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(2)

    def chart(self, chart: Chart, figure: int) -> None:
        pdf = self.pdf
        width_px, height_px = _png_size(chart.png)
        width = pdf.epw
        height = width * height_px / width_px
        room = pdf.h - 2 * MARGIN - 20
        if height > room:  # a tall chart is shrunk to fit one page with its caption
            width, height = width * room / height, room
        left = pdf.h - MARGIN - pdf.get_y() - 12  # the room above the bottom margin and caption
        # A chart that nearly fits the rest of the page is shrunk a little rather than moved on.
        if left < height <= left / 0.8:
            width, height = width * left / height, left
        if pdf.will_page_break(height + 10):
            pdf.add_page()
        pdf.ln(1)
        pdf.image(io.BytesIO(chart.png), x=MARGIN, w=width, h=height, alt_text=chart.alt_text)
        pdf.set_font(FAMILY, "I", SMALL + 1)
        caption = f"Figure {figure}: {chart.caption}"
        pdf.multi_cell(0, 4.5, caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)

    def note_and_sources(self, section: Section) -> None:
        pdf = self.pdf
        if section.note:
            if pdf.will_page_break(3 * LINE):
                pdf.add_page()
            pdf.set_font(FAMILY, "B", BODY)
            pdf.cell(0, LINE, "Officer’s note", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            self.paragraph(section.note, style="I")
        if section.sources:
            pdf.set_text_color(*GREY)
            self.paragraph(self.paper.source_line(section), size=SMALL)
            pdf.set_text_color(0, 0, 0)

    def page_break(self) -> None:
        self.pdf.add_page()

    def sources_table(self, sources: tuple[Source, ...]) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "", SMALL + 0.5)
        with pdf.table(
            col_widths=(17, 42, 40, 31, 40),
            line_height=4.5,
            text_align="LEFT",
            padding=1.2,
        ) as table:
            heading = table.row()
            for text in SOURCE_COLUMNS:
                heading.cell(text)
            for source in sources:
                row = table.row()
                for text in source.cells():
                    row.cell(text)
                table.row().cell(f"SHA-256: {source.sha256}", colspan=len(SOURCE_COLUMNS))


def _png_size(png: bytes) -> tuple[int, int]:
    # The PNG header holds width and height at bytes 16 to 24.
    return struct.unpack(">II", png[16:24])
