"""Read an xlsx, xls or ods file with calamine, in whichever process calls it."""

import io
import zipfile

import python_calamine

from lgadata.reader.limits import ReadLimits
from lgadata.reader.rejection import FileRejected, reject, too_many_cells
from lgadata.reader.workbook import RawSheet, RawWorkbook, cell_ref
from lgadata.reader.xlsx_scan import scan_xlsx


def read_binary(
    data: bytes, file_name: str, file_format: str, limits: ReadLimits, *, prescan: bool = True
) -> RawWorkbook:
    """Read an xlsx, xls or ods file with calamine, after a scan for dimension bombs."""
    try:
        if prescan and file_format == "xlsx":
            scan_xlsx(zipfile.ZipFile(io.BytesIO(data)), file_name, limits)
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            cells = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            rows = [[None if value == "" else value for value in row] for row in cells]
            width = max(map(len, rows), default=0)
            if len(rows) > limits.max_rows or width > limits.max_columns:
                ref = cell_ref(meta.name, len(rows), max(width - 1, 0))
                raise too_many_cells(file_name, ref, limits)
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            sheets.append(RawSheet(name=meta.name, rows=rows, hidden=hidden))
    except FileRejected:
        raise
    except python_calamine.PasswordError as error:
        raise reject("encrypted", file_name) from error
    except MemoryError as error:
        raise reject("reader-out-of-memory", file_name, megabytes=limits.memory_mb) from error
    except Exception as error:
        raise reject("corrupt", file_name) from error
    return RawWorkbook(file_name=file_name, format=file_format, sheets=sheets)
