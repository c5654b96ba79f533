"""The raw sheets the reader returns, and Excel's names for their cells."""

import re
from dataclasses import dataclass


@dataclass
class RawSheet:
    """One sheet's cells: rows[i][j] is spreadsheet row i + 1, column j + 1; empty is None."""

    name: str
    rows: list[list[object]]
    hidden: bool = False


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
