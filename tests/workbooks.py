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


def check_and_store(engine, data: bytes, *, workstream: str, file_name: str, actor=None, **kw):
    """Check a file as an upload would and store it; fail the test if it has errors."""
    from lgadata.auth import command_line
    from lgadata.ingest import check_bytes
    from lgadata.store import store_upload

    parsed = check_bytes(data, file_name, workstream=workstream, isolate=False)
    assert parsed.ok, [str(p) for p in parsed.errors]
    actor = actor or command_line("test")
    return store_upload(engine=engine, parsed=parsed, content=data, actor=actor, **kw)
