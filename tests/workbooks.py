"""Build small workbooks in memory for tests."""

import io

from openpyxl import Workbook


def make_xlsx(sheets: dict[str, list[list]]) -> bytes:
    """Return .xlsx bytes with one sheet per key, rows as given (row 1 first)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_csv(rows: list[list], *, separator: str = ",", encoding: str = "utf-8") -> bytes:
    """Return delimited text as a spreadsheet program would save it."""
    lines = [separator.join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


ARRANGEMENT_HEADER = [
    "as_at",
    "arrangement",
    "lead_council",
    "partner_councils",
    "category",
    "services",
    "start_date",
    "savings_gbp",
    "savings_note",
    "status",
]
