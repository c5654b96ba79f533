"""Read an xlsx, xls or ods file with calamine, in whichever process calls it."""

import datetime
import io
import zipfile
from collections.abc import Callable

import python_calamine

from lgadata.problems import Code
from lgadata.reader.limits import ReadLimits
from lgadata.reader.ods_scan import scan_ods
from lgadata.reader.rejection import FileRejected, reject, too_many_cells
from lgadata.reader.workbook import (
    CellError,
    RawSheet,
    RawWorkbook,
    SentSheet,
    cell_ref,
    sheet_from_columns,
)
from lgadata.reader.xls_scan import scan_xls
from lgadata.reader.xlsx_scan import scan_xlsx

_SHAREABLE = frozenset({str, datetime.date, datetime.datetime, datetime.time})


def read_binary(
    data: bytes,
    file_name: str,
    file_format: str,
    limits: ReadLimits,
    *,
    prescan: bool = True,
    build: Callable[[str, list[list], bool], RawSheet | SentSheet] = sheet_from_columns,
) -> RawWorkbook:
    """Read an xlsx, xls or ods file with calamine, after a scan for dimension bombs, with the
    cells calamine reads as blank but the file does not (errors, formulas never calculated).

    build makes each sheet from its name, columns and hidden flag; the reader's child passes
    one that keeps the columns, which is how they are sent to the parent.
    """
    try:
        unsaved = _unsaved_values(data, file_name, file_format, limits) if prescan else {}
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            cells = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            marks = unsaved.get(meta.name, {})
            columns = _columns(cells, marks)
            if columns is None:  # ragged, or a mark beyond calamine's cells: row by row
                rows = _rows(cells)
                _mark(rows, marks)
                height, width = len(rows), max(map(len, rows), default=0)
            else:
                _mark_columns(columns, marks)
                height, width = len(columns[0]) if columns else 0, len(columns)
            if height > limits.max_rows or width > limits.max_columns:
                ref = cell_ref(meta.name, height, max(width - 1, 0))
                raise too_many_cells(file_name, ref, limits)
            if columns is None:
                sheets.append(RawSheet(name=meta.name, rows=rows, hidden=hidden))
            else:
                sheets.append(build(meta.name, columns, hidden))
    except FileRejected:
        raise
    except python_calamine.PasswordError as error:
        raise reject(Code.ENCRYPTED, file_name) from error
    except MemoryError as error:
        raise reject(Code.READER_OUT_OF_MEMORY, file_name, megabytes=limits.memory_mb) from error
    except Exception as error:
        raise reject(Code.CORRUPT, file_name) from error
    return RawWorkbook(file_name=file_name, format=file_format, sheets=sheets)


def _columns(cells: list[list], marks: dict[tuple[int, int], CellError]) -> list[list] | None:
    """Return calamine's rows as columns, shared as _rows shares them, or None if the rows
    are not all one width or a mark lies beyond them (those sheets are read row by row)."""
    width = max(map(len, cells), default=0)
    if not width or any(len(row) != width for row in cells):  # calamine's are one width
        return None
    height = len(cells)
    if any(row >= height or column >= width for row, column in marks):
        return None
    shared: dict = {"": None}  # the blank "" becomes None as it is shared
    return [_shared(column, shared) for column in zip(*cells, strict=True)]


def _mark_columns(columns: list[list], cells: dict[tuple[int, int], CellError]) -> None:
    """Put each CellError in its cell, all of which lie within the columns."""
    for (row, column), error in cells.items():
        columns[column][row] = error


def _rows(cells: list[list]) -> list[list]:
    """Return calamine's rows with None for blanks, each repeated text or date one object.

    A return repeats its bulletin titles, categories and dates down thousands of rows; as one
    object each, the child's result pickles in a fifth of the time and unpickles in a
    quarter. Only text and dates are shared: 1, 1.0 and True are equal, so numbers are not.
    The work goes column by column: a column of nothing but text and dates (most of them)
    is shared by one map() in C, and only a column holding numbers takes a loop in Python.
    """
    width = max(map(len, cells), default=0)
    if not width or any(len(row) != width for row in cells):  # calamine's are one width
        return [_shared(list(row), {"": None}) for row in cells]
    shared: dict = {"": None}  # the blank "" becomes None as it is shared
    columns = [_shared(column, shared) for column in zip(*cells, strict=True)]
    return list(map(list, zip(*columns, strict=True)))


def _shared(values, shared: dict) -> list:
    """Return values with "" as None and each text or date the one object shared keeps."""
    if set(map(type, values)) <= _SHAREABLE:
        return list(map(shared.setdefault, values, values))
    share = shared.setdefault
    shareable = _SHAREABLE
    return [share(value, value) if type(value) in shareable else value for value in values]


def _unsaved_values(
    data: bytes, file_name: str, file_format: str, limits: ReadLimits
) -> dict[str, dict[tuple[int, int], CellError]]:
    """Return each sheet's cells that show an error or hold a formula never calculated."""
    if file_format == "xlsx":
        return scan_xlsx(zipfile.ZipFile(io.BytesIO(data)), file_name, limits)
    if file_format == "ods":
        return scan_ods(zipfile.ZipFile(io.BytesIO(data)), limits)
    return scan_xls(data, limits)


def _mark(rows: list[list], cells: dict[tuple[int, int], CellError]) -> None:
    """Put each CellError in its cell, where calamine has left a blank, a 0 or no cell at all."""
    for (row, column), error in cells.items():
        rows.extend([] for _ in range(row + 1 - len(rows)))
        cells_in_row = rows[row]
        cells_in_row.extend([None] * (column + 1 - len(cells_in_row)))
        cells_in_row[column] = error
