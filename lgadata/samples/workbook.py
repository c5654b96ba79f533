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
