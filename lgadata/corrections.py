"""Officers' corrections to the cells of an uploaded file, applied before it is checked again.

The file's bytes are kept as uploaded; the corrections are stored with the upload, so its
history says which cells were changed, from what and to what.
"""

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from lgadata.ingest import ParsedUpload, check_book
from lgadata.reader import RawWorkbook, cell_ref, column_letter
from lgadata.settings import Settings

Cell = tuple[str, int, str]  # (sheet as the file names it, spreadsheet row, column letters)

SMALL_SHEET_ROWS = 30
EDITABLE_ROWS = 200


@dataclass(frozen=True)
class EditableSheet:
    """The cells of one sheet an officer may correct: its rows with errors, or all if small."""

    sheet: str
    letters: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[int, ...]
    cells: tuple[tuple[str | None, ...], ...]
    rows_with_errors: int


def as_text(value: object) -> str | None:
    """Return a cell's value as an officer would type it: 500 not 500.0, dates as 2013-01-31."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def column_index(letters: str) -> int:
    """Return the 0-based index of Excel column letters ("A" -> 0, "AA" -> 26)."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _cell(book: RawWorkbook, sheet: str, row: int, index: int) -> object:
    raw = next((s for s in book.sheets if s.name == sheet), None)
    if raw is None or row > len(raw.rows) or index >= len(raw.rows[row - 1]):
        return None
    return raw.rows[row - 1][index]


def editable_sheets(
    book: RawWorkbook,
    parsed: ParsedUpload,
    *,
    small: int = SMALL_SHEET_ROWS,
    limit: int = EDITABLE_ROWS,
) -> list[EditableSheet]:
    """Return, for each parsed sheet with cell errors, the cells an officer may correct."""
    found = []
    for sheet in parsed.sheets:
        name = sheet.source_name
        wrong = sorted(
            {p.row for p in parsed.errors if p.sheet == name and p.row and p.row > sheet.header_row}
        )
        if not wrong:
            continue
        rows = sheet.row_numbers if sheet.row_count <= small else wrong
        indexes = sorted(sheet.columns.values())
        letters = tuple(column_letter(i) for i in indexes)
        headers = tuple(as_text(_cell(book, name, sheet.header_row, i)) or "" for i in indexes)
        cells = tuple(
            tuple(as_text(_cell(book, name, row, i)) for i in indexes) for row in rows[:limit]
        )
        found.append(EditableSheet(name, letters, headers, tuple(rows[:limit]), cells, len(wrong)))
    return found


def _typed(value: object) -> str | None:
    """Return a value from an editor as text, None for a blank."""
    text = as_text(value)
    return text.strip() if text else None


def edits_from(sheet: EditableSheet, cells: list[list]) -> dict[Cell, str | None]:
    """Return the cells an officer changed, comparing the editor's cells with the sheet's."""
    edits: dict[Cell, str | None] = {}
    for row, before, after in zip(sheet.rows, sheet.cells, cells, strict=True):
        for letters, old, new in zip(sheet.letters, before, after, strict=True):
            if _typed(new) != _typed(old):
                edits[(sheet.sheet, row, letters)] = _typed(new)
    return edits


def apply_corrections(book: RawWorkbook, edits: Mapping[Cell, object]) -> RawWorkbook:
    """Return a copy of the book with the corrected cells changed; the book is unchanged."""
    sheets = []
    for raw in book.sheets:
        mine = {
            (row, column_index(letters)): value
            for (sheet, row, letters), value in edits.items()
            if sheet == raw.name
        }
        if not mine:
            sheets.append(raw)
            continue
        rows = list(raw.rows)
        for (row, index), value in mine.items():
            rows.extend([] for _ in range(row - len(rows)))
            cells = list(rows[row - 1])
            cells.extend([None] * (index + 1 - len(cells)))
            cells[index] = value
            rows[row - 1] = cells
        sheets.append(replace(raw, rows=rows))
    return replace(book, sheets=sheets)


def corrections_made(book: RawWorkbook, edits: Mapping[Cell, object]) -> list[dict]:
    """Return the corrections as kept with the upload: cell, the value as uploaded, the new one."""
    order = {raw.name: i for i, raw in enumerate(book.sheets)}
    made = []
    for sheet, row, letters in sorted(
        edits, key=lambda c: (order.get(c[0], len(order)), c[1], column_index(c[2]))
    ):
        index = column_index(letters)
        was, now = as_text(_cell(book, sheet, row, index)), _typed(edits[(sheet, row, letters)])
        if was != now:
            made.append({"cell": cell_ref(sheet, row, index), "was": was, "now": now})
    return made


def recheck(
    book: RawWorkbook,
    parsed: ParsedUpload,
    edits: Mapping[Cell, object],
    *,
    period: object = None,
    settings: Settings | None = None,
) -> tuple[ParsedUpload, list[dict]]:
    """Check the file again with the corrections made; return it and the corrections."""
    checked = check_book(
        apply_corrections(book, edits),
        workstream=parsed.workstream,
        sha256=parsed.sha256,
        size_bytes=parsed.size_bytes,
        period=period,
        settings=settings,
    )
    return checked, corrections_made(book, edits)
