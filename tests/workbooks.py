"""Build small workbooks in memory for tests."""

import io
import zipfile

import openpyxl
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


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHARED_STRINGS_REL = (
    f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
)


def openpyxl_bytes(build) -> bytes:
    """Return the bytes of a workbook that build(workbook) fills in."""
    book = openpyxl.Workbook()
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def handmade_parts(
    sheet_xml: str, *, name: str = "Arrangements", shared_strings: bool = True
) -> dict[str, str]:
    """Return the parts of a minimal xlsx written by hand, to say what no library would."""
    return {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (SHARED_STRINGS_REL if shared_strings else "")
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN_NS}">{sheet_xml}</worksheet>',
    }


def zipped(parts: dict[str, str | bytes]) -> bytes:
    """Return the parts deflated into a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return buffer.getvalue()
