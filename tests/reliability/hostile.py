"""Builders of hostile and awkward files, made at test time so no large binary is committed."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl

from tests.workbooks import (
    ARRANGEMENT_HEADER,
    MAIN_NS,
    handmade_parts,
    make_xlsx,
    zipped,
)

VALID_ROW = ["2013-01-31", "Stroud legal", "Stroud DC", "Gloucester City", "Legal", "", "", 5000]
OTHER_ROW = ["2013-01-31", "Camden audit", "LB Camden", "", "Audit and fraud", "", "", 250]


def arrangements(*rows: list, header: list | None = None) -> list[list]:
    """Return a Shared Services Map sheet: the template's header, then rows."""
    return [header or ARRANGEMENT_HEADER, *[list(row) for row in rows]]


def map_xlsx(*rows: list, header: list | None = None) -> bytes:
    """Return a Shared Services Map workbook with the rows given."""
    return make_xlsx({"Arrangements": arrangements(*rows, header=header)})


def sheet_rows(rows: list[list]) -> str:
    """Return sheetData with inline strings and numbers, one cell per value."""
    out = []
    for number, row in enumerate(rows, 1):
        cells = []
        for index, value in enumerate(row):
            ref = f"{openpyxl.utils.get_column_letter(index + 1)}{number}"
            if isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    return f"<sheetData>{''.join(out)}</sheetData>"


def pdf() -> bytes:
    """Return the start of a PDF document."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def png() -> bytes:
    """Return a one-pixel PNG image."""
    pixel = zlib.compress(b"\x00\x00\x00\x00")
    chunks = [(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)), (b"IDAT", pixel)]
    body = b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        for kind, data in [*chunks, (b"IEND", b"")]
    )
    return b"\x89PNG\r\n\x1a\n" + body


def password_protected(password: str = "Secret123") -> bytes:
    """Return a valid map workbook encrypted with a password, as Excel's Protect Workbook does."""
    encrypted = io.BytesIO()
    office_file = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(map_xlsx(VALID_ROW)))
    office_file.encrypt(password, encrypted)
    return encrypted.getvalue()


def html_table() -> bytes:
    """Return an HTML table, as a web report 'exported to Excel' saves it."""
    cells = "".join(f"<td>{value}</td>" for value in ARRANGEMENT_HEADER)
    return (
        "<html xmlns:x='urn:schemas-microsoft-com:office:excel'><head><meta charset='utf-8'>"
        f"</head><body><table><tr>{cells}</tr></table></body></html>"
    ).encode()


def with_shared_strings(shared_strings: str) -> bytes:
    """Return a workbook whose A1 is the first shared string of the XML given."""
    parts = handmade_parts('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>')
    return zipped(parts | {"xl/sharedStrings.xml": shared_strings})


def billion_laughs() -> bytes:
    """Return a workbook whose shared strings define entities that expand exponentially."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return with_shared_strings(
        f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]>'
        f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )


def external_entity(path: Path) -> bytes:
    """Return a workbook whose shared string is an external entity pointing at a local file."""
    return with_shared_strings(
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{path}">]>'
        f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
    )


def dimension_bomb() -> bytes:
    """Return a tiny workbook with cells at A1 and XFD1048576, which makes calamine abort."""
    cells = (
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    return zipped(handmade_parts(cells))


def with_cell(cell_xml: str, row: list = VALID_ROW) -> bytes:
    """Return a map of one row with a cell written by hand added after its values."""
    cells = sheet_rows([ARRANGEMENT_HEADER, row])
    return zipped(
        handmade_parts(cells.replace("</row></sheetData>", f"{cell_xml}</row></sheetData>"))
    )


def formulas(*, cached: bool) -> bytes:
    """Return a valid map whose savings are a formula, with or without the value Excel saves."""
    return with_cell(f'<c r="H2"><f>2500*2</f>{"<v>5000</v>" if cached else ""}</c>', VALID_ROW[:7])


def all_rows(cache: Path) -> bytes:
    """Return (and cache) a map sheet with a value in every one of Excel's 1,048,576 rows."""
    path = cache / "all_rows.xlsx"
    if not path.exists():
        head = sheet_rows([ARRANGEMENT_HEADER, VALID_ROW]).removesuffix("</sheetData>")
        rows = "".join(f'<row r="{n}"><c r="H{n}"><v>1</v></c></row>' for n in range(3, 1048577))
        path.write_bytes(zipped(handmade_parts(f"{head}{rows}</sheetData>")))
    return path.read_bytes()


def all_columns() -> bytes:
    """Return a map sheet whose header runs across all 16,384 of Excel's columns."""
    header = ARRANGEMENT_HEADER + [f"extra {n}" for n in range(16_384 - len(ARRANGEMENT_HEADER))]
    return zipped(handmade_parts(sheet_rows([header, VALID_ROW])))


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """Return raw deflate data for size zero bytes (whole MiB), and their CRC."""
    mib = 1024 * 1024
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush a block no longer refers back, so one compressed MiB repeats.
    chunk = block.compress(bytes(mib)) + block.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zero_mib = bytes(mib)
    for _ in range(size // mib):
        crc = zlib.crc32(zero_mib, crc)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return chunk * (size // mib) + final, crc


def zip_bomb(cache: Path, size: int, *, declared: int | None = None) -> bytes:
    """Return (and cache) an xlsx whose sheet unpacks to size bytes, declaring declared bytes."""
    declared = size if declared is None else declared
    path = cache / f"zip_bomb_{size}_{declared}.xlsx"
    if path.exists():
        return path.read_bytes()
    small = zipfile.ZipFile(io.BytesIO(zipped(handmade_parts(""))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in small.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, small.read(info.filename))
    # zipfile cannot take data already deflated, so the bomb's entry is written by hand.
    data, crc = _deflated_zeros(size)
    name = b"xl/worksheets/sheet1.xml"
    existing = buffer.getvalue()
    directory_at = existing.rindex(b"PK\x05\x06")
    start = existing.index(b"PK\x01\x02")
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), declared,
                        len(name), 0) + name  # fmt: skip
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data),
                          declared, len(name), 0, 0, 0, 0, 0, start) + name  # fmt: skip
    entries = existing[start:directory_at]
    count = len(small.infolist())
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(entries) + len(central),
                      start + len(local) + len(data), 0)  # fmt: skip
    path.write_bytes(existing[:start] + local + data + entries + central + end)
    return path.read_bytes()
