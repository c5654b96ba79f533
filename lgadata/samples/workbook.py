"""Write one sample workbook: an About sheet, then the declared sheets, with fixed times."""

import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from lgadata.workstreams import Workstream

BUILT_AT = dt.datetime(2013, 3, 20, 9, 0)
NOTICE = (
    "SAMPLE DATA for demonstration. Built from the LGA Improvement and Innovation Board's "
    "Productivity Programme report; arrangement names, splits and per-council figures are "
    "illustrative where the report gives only totals."
)

NOTES = {
    "shared_services": (
        "Both Shared Services Map editions are in the Arrangements sheet, told apart by as_at: "
        "31 January 2013 (325 arrangements, 337 councils sharing, £278m efficiency savings) "
        "and 30 November 2011 (170 arrangements, 220 councils, £165m). The report gives no "
        "day for the 2011 edition, so 30 November 2011 is illustrative.",
        "Which councils share what, and each arrangement's savings, are illustrative; the "
        "totals are the report's. A blank saving means not reported, not nothing saved.",
    ),
    "capital_assets": (
        "The 2013/14 budget of £700,000, about half (£350,000) for secondees, and the 12 "
        "councils of wave 4 are the report's. The 2012/13 budget, the spend to date, the "
        "councils of waves 1 to 3 and their receipts and savings are illustrative.",
    ),
    "tenancy_fraud": (
        "The three pilot groups and their councils are the report's; each has held an "
        "initial meeting. RAG ratings and next milestones are illustrative. There are no "
        "outcomes yet, so the Outcomes sheet has headers only.",
    ),
    "ebulletin": (
        "Five monthly e-bulletins, January to May 2013. The links and their views are "
        "illustrative; in each, a Productivity Programme page is the most viewed link.",
    ),
    "programme": (
        "Milestones as they stood on 20 March 2013; dates the report does not give are "
        "illustrative. The three procurement deep dives are the report's; their spend "
        "and next steps are illustrative.",
    ),
}


def workbook_bytes(workstream: Workstream, sheets: dict[str, list[dict]], notes: tuple) -> bytes:
    """Return a sample workbook's bytes: an About sheet, then each declared sheet."""
    book = Workbook()
    about = book.active
    about.title = "About"
    about.column_dimensions["A"].width = 120
    for row, text in enumerate((NOTICE, *notes), start=1):
        about.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
    for declared in workstream.sheets:
        sheet = book.create_sheet(declared.name)
        names = [c.name for c in declared.columns]
        rows = sheets[declared.name]
        if unknown := {key for row in rows for key in row} - set(names):
            raise ValueError(f"the {declared.name} sheet has no columns {sorted(unknown)}")
        sheet.append(names)
        for row in rows:
            sheet.append([row.get(name) for name in names])
        for index, name in enumerate(names, start=1):
            sheet.cell(row=1, column=index).font = Font(bold=True)
            longest = max([len(name), *(len(str(r.get(name) or "")) for r in rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
        sheet.freeze_panes = "A2"
    book.properties.creator = "lgadata.samples"
    book.properties.created = book.properties.modified = BUILT_AT
    return _with_fixed_times(book)


def _with_fixed_times(book: Workbook) -> bytes:
    """Return the workbook's bytes with every zip entry stamped BUILT_AT, so builds repeat."""
    first = io.BytesIO()
    # ExcelWriter, not Workbook.save, which would stamp the modified time with the clock.
    with zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    stamped = io.BytesIO()
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(stamped, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=BUILT_AT.timetuple()[:6])
            target.writestr(fixed, source.read(entry), compress_type=zipfile.ZIP_DEFLATED)
    return stamped.getvalue()
