"""Render the board paper to Word with python-docx: real headings, numbered paragraphs, a table."""

import io

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from lgadata.paper.draft import AUTHOR
from lgadata.paper.model import SOURCE_COLUMNS, Chart, Paper, Section, Source, write
from lgadata.values import format_date

TEXT_WIDTH_MM = 170
MAX_CHART_HEIGHT_MM = 200
SOURCE_WIDTHS_MM = (17, 40, 41, 30, 42)  # the appendix table's columns, across the text width
FONT = "Arial"
TABLE_TEXT, SMALL = Pt(9), Pt(8)
GREY = RGBColor(90, 90, 90)


def render_docx(paper: Paper) -> bytes:
    """Return the paper as a Word document."""
    document = Document()
    _house_style(document)
    _page(document, paper)
    properties = document.core_properties
    properties.title, properties.author = paper.title, AUTHOR
    properties.subject = f"{paper.board}, {format_date(paper.meeting_date)}"
    properties.language = "en-GB"
    document.add_heading(paper.title, level=0)
    write(paper, _Writer(document, paper))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _house_style(document) -> None:
    """Use one sans-serif font and British English throughout, as the PDF does."""
    # The default template sets body text in its theme's serif and spell-checks in US English.
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        for slot in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(slot), FONT)
    for language in styles.iter(qn("w:lang")):
        language.set(qn("w:val"), "en-GB")


def _page(document, paper: Paper) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    header = section.header.paragraphs[0]
    tabs = header.paragraph_format.tab_stops
    # The Header style's centre and right tabs are set for Letter paper: clear them, or the
    # date stops at the centre tab, hard against the board's name.
    for inherited in document.styles["Header"].paragraph_format.tab_stops:
        tabs.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(f"{paper.board}\t{format_date(paper.meeting_date)}").font.color.rgb = GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centre
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """Append a Word field (page number, page count) that Word fills in when it lays out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


class _Writer:
    """Adds each part of the paper to the Word document."""

    def __init__(self, document, paper: Paper):
        self.document, self.paper = document, paper

    def heading(self, text: str, *, level: int) -> None:
        self.document.add_heading(text, level=level)

    def paragraph(self, text: str) -> None:
        self.document.add_paragraph(text)

    def numbered(self, number: int, text: str) -> None:
        paragraph = self.document.add_paragraph()
        layout = paragraph.paragraph_format
        layout.left_indent, layout.first_line_indent = Mm(10), Mm(-10)
        layout.tab_stops.add_tab_stop(Mm(10))
        paragraph.add_run(f"{number}.\t{text}")

    def chart(self, chart: Chart, figure: int) -> None:
        document = self.document
        shape = document.add_picture(io.BytesIO(chart.png), width=Mm(TEXT_WIDTH_MM))
        if shape.height > Mm(MAX_CHART_HEIGHT_MM):
            ratio = Mm(MAX_CHART_HEIGHT_MM) / shape.height
            shape.height, shape.width = Mm(MAX_CHART_HEIGHT_MM), int(shape.width * ratio)
        # The picture sits in a paragraph of its own; keep it on the page of its caption.
        document.paragraphs[-1].paragraph_format.keep_with_next = True
        properties = shape._inline.docPr
        properties.set("descr", chart.alt_text)
        properties.set("title", chart.caption)
        document.add_paragraph(f"Figure {figure}: {chart.caption}", style="Caption")

    def note_and_sources(self, section: Section) -> None:
        document = self.document
        if section.note:
            label = document.add_paragraph()
            label.add_run("Officer’s note").bold = True
            label.paragraph_format.keep_with_next = True
            for line in section.note.split("\n"):
                document.add_paragraph().add_run(line).italic = True
        if section.sources:
            run = document.add_paragraph().add_run(self.paper.source_line(section))
            run.font.size, run.font.color.rgb = SMALL, GREY

    def page_break(self) -> None:
        self.document.add_page_break()

    def sources_table(self, sources: tuple[Source, ...]) -> None:
        table = self.document.add_table(rows=1, cols=len(SOURCE_COLUMNS))
        table.style, table.autofit = "Table Grid", False
        for column, width in zip(table.columns, SOURCE_WIDTHS_MM, strict=True):
            column.width = Mm(width)
        # Repeat the column headings at the top of each page the table runs onto.
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        _row(table.rows[0], SOURCE_COLUMNS, bold=True)
        for source in sources:
            _row(table.add_row(), source.cells(), keep_with_next=True)  # with its SHA-256
            merged = table.add_row().cells
            _cell(merged[0].merge(merged[-1]), f"SHA-256: {source.sha256}", size=SMALL)


def _row(row, texts, **style) -> None:
    for cell, text, width in zip(row.cells, texts, SOURCE_WIDTHS_MM, strict=True):
        cell.width = Mm(width)  # Word reads each cell's width, LibreOffice the grid's
        _cell(cell, text, **style)


def _cell(cell, text: str, *, bold=False, size=TABLE_TEXT, keep_with_next=False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.keep_with_next = keep_with_next
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, size
