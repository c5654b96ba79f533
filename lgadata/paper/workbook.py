"""The figures behind the board paper as an .xlsx: a sheet per workstream and their sources.

Uploaded text is written as text, never as a formula: every text cell goes through
`text_cell`.
"""

import datetime as dt
import io
from collections.abc import Iterable

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lgadata import commentary, meetings, queries
from lgadata.paper.facts import current_uploads, dated_by, uploads_cited
from lgadata.paper.since_part import since_report
from lgadata.paper.workbook_sheets import MOMENT, Context
from lgadata.queries import RECENT_BULLETINS
from lgadata.sections import registry
from lgadata.values import format_date
from lgadata.workstreams import WORKSTREAMS

# Text starting with one of these is read as a formula by spreadsheet programs (OWASP's list).
FORMULA_LIKE = ("=", "+", "-", "@", "\t", "\r")
TITLE, BOLD = Font(bold=True, size=14), Font(bold=True)
FIGURE_HEADER = ("Figure", "Value", "As at", "Source upload", "Note")
Uploads = int | Iterable[int] | None


def text_cell(sheet, text: str, *, font: Font | None = None) -> WriteOnlyCell:
    """Return a cell that holds the text exactly as given and is never read as a formula."""
    # XML cannot hold control characters other than tab and line breaks; openpyxl refuses them.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))
    # openpyxl types text starting with "=" as a formula: force it back to text, and set
    # quotePrefix so that the visible text is exact and editing the cell keeps it text.
    cell.data_type = "s"
    if text.startswith(FORMULA_LIKE):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _cell(sheet, value, number_format: str | None = None, font: Font | None = None):
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if isinstance(value, str):
        return text_cell(sheet, value, font=font)
    cell = WriteOnlyCell(sheet, value=value)
    if number_format and value is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _ids(uploads: Uploads) -> list[int]:
    if uploads is None:
        return []
    return [uploads] if isinstance(uploads, int) else sorted({u for u in uploads if u})


class _Sheet:
    """A write-only worksheet filled from the top: a title, the figures, then tables."""

    def __init__(self, book: Workbook, title: str, widths: Iterable[int], cited: set[int]):
        self.ws = book.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.cited = cited

    def row(self, values: Iterable, formats: Iterable = (), font: Font | None = None) -> None:
        """Append one row; formats give each value's number format, in order."""
        formats = list(formats)
        self.ws.append(
            [
                _cell(self.ws, value, formats[i] if i < len(formats) else None, font)
                for i, value in enumerate(values)
            ]
        )

    def upload(self, uploads: Uploads):
        """Return a source-upload cell's value, and cite the uploads in the Sources sheet."""
        ids = _ids(uploads)
        self.cited.update(ids)
        return ids[0] if len(ids) == 1 else ", ".join(map(str, ids)) or None

    def figures(self, rows: list[tuple]) -> None:
        """Write the headline figures: (label, value, format, as at, uploads[, note])."""
        self.row(FIGURE_HEADER, font=BOLD)
        for label, value, number_format, as_at, uploads, *note in rows:
            self.row(
                (label, value, as_at, self.upload(uploads), *note),
                (None, number_format, None, None, None),
            )

    def table(self, title: str, columns: list[tuple[str, str | None]], rows: Iterable) -> None:
        """Write a titled table: columns are (heading, number format) pairs."""
        self.row(())
        self.row((title,), font=BOLD)
        self.row([heading for heading, _ in columns], font=BOLD)
        rows = list(rows)
        for values in rows:
            self.row(values, [number_format for _, number_format in columns])
        if not rows:
            self.row(("None.",))


def figures_at_meeting(*, engine: sa.Engine, meeting_date: dt.date) -> dict:
    """Return the `metrics` figures as they stood for a meeting: later periods left out."""
    figures = queries.metrics(engine=engine, today=meeting_date)
    # The paper's own rule, so that the paper and its workbook cannot disagree.
    dated = dated_by(
        meeting_date,
        editions=figures["shared_services"]["editions"],
        bulletins=queries.bulletins(engine=engine),
        outcomes=figures["tenancy_fraud"]["outcomes"],
    )
    figures["shared_services"] = queries.edition_figures(dated["editions"])
    figures["ebulletin"] = {"bulletins": dated["bulletins"][:RECENT_BULLETINS]}
    figures["tenancy_fraud"]["outcomes"] = dated["outcomes"]
    return figures


def figures_workbook(*, engine: sa.Engine, meeting_date: dt.date) -> bytes:
    """Return the figures behind the board paper for a meeting date as .xlsx bytes."""
    figures = figures_at_meeting(engine=engine, meeting_date=meeting_date)
    context = Context(
        engine=engine,
        meeting_date=meeting_date,
        figures=figures,
        uploads=current_uploads(engine=engine),
    )
    book = Workbook(write_only=True)
    cited: set[int] = set()
    for declared in registry.sheets():
        sheet = _Sheet(book, declared.name, declared.widths, cited)
        sheet.row((WORKSTREAMS[declared.workstream].title,), font=TITLE)
        sheet.row((_meeting_line(meeting_date),))
        sheet.row(())
        declared.write(sheet, context)
    meeting = next(
        (m for m in meetings.meetings(engine=engine) if m.meets_on == meeting_date), None
    )
    if meeting is not None:
        _commentary(book, engine, meeting)
    _sources(book, engine, cited)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _meeting_line(meeting_date: dt.date) -> str:
    return (
        f"Figures for the board meeting of {format_date(meeting_date)}, computed from the "
        "database; periods dated after the meeting are left out."
    )


def _commentary(book: Workbook, engine: sa.Engine, meeting: meetings.BoardMeeting) -> None:
    """Write the Commentary sheet: each section's newest commentary for the meeting and the
    reasons given for it when an upload crossed a threshold (lgadata.thresholds), as text."""
    sheet = _Sheet(book, "Commentary", (34, 90, 30, 22, 40), set())
    sheet.row(("Commentary",), font=TITLE)
    sheet.row((f"The officers' commentary for the board meeting of {meeting.label}.",))
    written = commentary.commentary(engine=engine, meeting_id=meeting.id)
    sheet.table(
        "Commentary for the meeting",
        [("Section", None), ("Commentary", None), ("Written by", None),
         ("Written at (UTC)", MOMENT)],
        [(section.title, written[section.key].text, written[section.key].written_by,
          _utc(written[section.key].written_at.isoformat(timespec="seconds")))
         for section in registry.SECTIONS if section.key in written],
    )  # fmt: skip
    # The reasons the paper adds to each section's commentary (thresholds.reasons_in).
    report = since_report(engine=engine, meeting_date=meeting.meets_on)
    sheet.table(
        "Reasons given for crossing a threshold",
        [("Section", None), ("Reason", None), ("Given by", None),
         ("Given at (UTC)", MOMENT), ("Upload", None)],
        [(section.title, upload.reason, upload.uploaded_by,
          _utc(upload.uploaded_at.isoformat(timespec="seconds")),
          f"{workstream.title} version {upload.version}")
         for section in registry.SECTIONS
         for workstream in report if workstream.workstream in section.workstreams
         for upload in workstream.uploads if upload.reason],
    )  # fmt: skip


def _sources(book: Workbook, engine: sa.Engine, cited: set[int]) -> None:
    """Write the Sources sheet: each upload the figures come from, with its SHA-256."""
    sheet = _Sheet(book, "Sources", (12, 30, 40, 30, 22, 70, 40), set())
    sheet.row(("Sources",), font=TITLE)
    sheet.row(("Every upload that a figure in this workbook comes from.",))
    sheet.row(())
    columns = [
        ("Upload", None),
        ("Workstream", None),
        ("File name", None),
        ("Uploaded by", None),
        ("Uploaded at (UTC)", MOMENT),
        ("SHA-256", None),
        ("Note", None),
    ]
    sheet.row([heading for heading, _ in columns], font=BOLD)
    for entry in uploads_cited(engine=engine, upload_ids=cited):
        sheet.row(
            (
                entry["id"],
                entry["title"],
                entry["file_name"],
                entry["uploaded_by"],
                _utc(entry["uploaded_at"]),
                entry["sha256"],
                entry["note"] or "",
            ),
            [number_format for _, number_format in columns],
        )


def _utc(moment: str) -> dt.datetime:
    """Return a stored moment as a naive UTC datetime, which is all a spreadsheet can hold."""
    parsed = dt.datetime.fromisoformat(moment)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed
