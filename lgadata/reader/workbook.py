"""The raw sheets the reader returns, and Excel's names for their cells."""

import re
from dataclasses import dataclass

# What Excel shows for each error a formula (or a typed constant) can give, by the code a
# BIFF record keeps it as.
EXCEL_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


@dataclass(frozen=True, slots=True)
class CellError:
    """A cell whose value the file does not hold: an Excel error, or a formula never calculated.

    calamine reads both as blank, which would load nothing where the officer sees an error
    or a figure, so the reader puts one of these in the cell instead.
    """

    shown: str  # what Excel shows, such as "#DIV/0!"; "" for a formula never calculated

    @property
    def uncalculated(self) -> bool:
        """Say whether the cell holds a formula whose result was never saved."""
        return not self.shown

    def __str__(self) -> str:
        return self.shown


@dataclass
class RawSheet:
    """One sheet's cells: rows[i][j] is spreadsheet row i + 1, column j + 1; empty is None.

    A cell showing an error, or holding a formula never calculated, is a CellError.
    """

    name: str
    rows: list[list[object]]
    hidden: bool = False

    def __reduce__(self):
        # Sent as columns, a sheet is a few long lists instead of a list per row: it pickles
        # and unpickles in under half the time, and the rows are rebuilt in C.
        width = len(self.rows[0]) if self.rows else 0
        if not width or any(len(row) != width for row in self.rows):
            return RawSheet, (self.name, self.rows, self.hidden)
        return sheet_from_columns, (self.name, list(zip(*self.rows, strict=True)), self.hidden)


def sheet_from_columns(name: str, columns: list, hidden: bool) -> RawSheet:
    """Return the sheet whose columns these are (each the same length)."""
    return RawSheet(name, list(map(list, zip(*columns, strict=True))), hidden)


@dataclass(frozen=True, slots=True)
class SentSheet:
    """A sheet as the reader's child holds it, in columns: it pickles as the RawSheet it is.

    The child reads columns; building rows there only to turn them back into columns for
    the parent would cost as much as the read's Python work.
    """

    name: str
    columns: list[list]
    hidden: bool = False

    def __reduce__(self):
        return sheet_from_columns, (self.name, self.columns, self.hidden)


@dataclass
class RawWorkbook:
    """Every worksheet of one uploaded file, in workbook order."""

    file_name: str
    format: str
    sheets: list[RawSheet]


def column_letter(index: int) -> str:
    """Return the Excel column letters for a 0-based column index (0 -> "A")."""
    if index < 0:
        raise ValueError(f"column index must not be negative, got {index}")
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_ref(sheet: str, row: int, col: int) -> str:
    """Return an Excel reference such as "'Deep dives'!B3" for a 1-based row and 0-based column."""
    plain = re.fullmatch(r"[^\W\d]\w*", sheet) and not re.fullmatch(
        r"[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*", sheet
    )
    name = sheet if plain else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{column_letter(col)}{row}"
