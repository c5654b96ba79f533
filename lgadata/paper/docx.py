"""Render the board paper to Word with python-docx: real headings, numbered paragraphs, a table."""

import io

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from lgadata.paper.draft import BOARD
from lgadata.paper.model import Chart, Paper, Section
from lgadata.paper.pdf import AUTHOR, source_line
from lgadata.values import format_date

TEXT_WIDTH_MM = 170
MAX_CHART_HEIGHT_MM = 200
GREY = RGBColor(90, 90, 90)


def render_docx(paper: Paper) -> bytes:
    """Return the paper as a Word document."""
    document = Document()
    _page(document, paper)
    properties = document.core_properties
    properties.title, properties.author = paper.title, AUTHOR
    properties.subject = f"{BOARD}, {format_date(paper.meeting_date)}"
    properties.language = "en-GB"
    document.add_heading(paper.title, level=0)
    document.add_heading("Purpose of report", level=1)
    for text in paper.purpose:
        document.add_paragraph(text)
    document.add_heading("Recommendations", level=1)
    for number, text in paper.numbered_recommendations():
        _numbered(document, number, text)
    figure = 0
    for index, (section, paragraphs) in enumerate(paper.numbered()):
        if index == 0:
            document.add_heading("Background", level=1)
        document.add_heading(section.title, level=1 if section is paper.financial else 2)
        for number, text in paragraphs:
            _numbered(document, number, text)
        for chart in section.charts:
            figure += 1
            _chart(document, chart, figure)
        _note_and_sources(document, section, paper)
    _appendix(document, paper)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document, paper: Paper) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(f"{BOARD}\t{format_date(paper.meeting_date)}").font.color.rgb = GREY
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


def _numbered(document, number: int, text: str) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.left_indent, layout.first_line_indent = Mm(10), Mm(-10)
    layout.tab_stops.add_tab_stop(Mm(10))
    paragraph.add_run(f"{number}.\t{text}")


def _chart(document, chart: Chart, figure: int) -> None:
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


def _note_and_sources(document, section: Section, paper: Paper) -> None:
    if section.note:
        document.add_paragraph().add_run("Officer’s note").bold = True
        for line in section.note.split("\n"):
            document.add_paragraph().add_run(line).italic = True
    if section.sources:
        run = document.add_paragraph().add_run(source_line(section, paper))
        run.font.size, run.font.color.rgb = Pt(8), GREY


def _appendix(document, paper: Paper) -> None:
    document.add_page_break()
    document.add_heading("Appendix: sources of the figures", level=1)
    if not paper.sources:
        document.add_paragraph("No uploads are quoted: no data has been uploaded yet.")
        return
    document.add_paragraph(
        "Each figure in this paper comes from one of these uploads. The SHA-256 fingerprint "
        "identifies the exact file: any change to the file changes it."
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ("Upload", "Workstream", "File", "Uploaded by", "Uploaded (UK time)"),
        strict=True,
    ):
        cell.paragraphs[0].add_run(text).bold = True
    for source in paper.sources:
        cells = table.add_row().cells
        for cell, text in zip(
            cells,
            (
                str(source.upload_id),
                source.workstream,
                source.filename,
                source.uploaded_by,
                source.uploaded_at,
            ),
            strict=True,
        ):
            cell.text = text
        merged = table.add_row().cells
        whole = merged[0].merge(merged[-1])
        run = whole.paragraphs[0].add_run(f"SHA-256: {source.sha256}")
        run.font.size = Pt(8)
