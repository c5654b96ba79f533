"""Reading uploaded bytes into raw sheets, and refusing hostile files without falling over."""

import codecs
import datetime
import io
import sys
import types
import zipfile

import pytest

from lgadata.reader import (
    FileRejected,
    ReadLimits,
    cell_ref,
    column_letter,
    isolation,
    read_workbook,
    sniff,
    xlsx_scan,
)
from tests.workbooks import MAIN_NS, handmade_parts, openpyxl_bytes, zipped


def handmade_xlsx(sheet_data: str, *, dimension: str | None = None, name: str = "Data") -> bytes:
    """Return a minimal xlsx written by hand, so it can say things openpyxl never would."""
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f"{dimension_xml}<sheetData>{sheet_data}</sheetData>"
    return zipped(handmade_parts(sheet, name=name, shared_strings=False))


def cells_xml(*refs: str) -> str:
    """Return sheetData rows holding the number 1 at each reference, one row element each."""
    rows = []
    for ref in refs:
        row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        rows.append(f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>')
    return "".join(rows)


DIMENSION_BOMB = handmade_xlsx(cells_xml("A1", "XFD1048576"))


def ods_bytes() -> bytes:
    """Return a small OpenDocument spreadsheet with a visible and a hidden sheet."""
    office = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        f'<office:document-content xmlns:office="{office}:office:1.0" '
        f'xmlns:table="{office}:table:1.0" xmlns:text="{office}:text:1.0" '
        f'xmlns:style="{office}:style:1.0" office:version="1.2"><office:automatic-styles>'
        '<style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        '<table:table table:name="Returns"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>Council</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="12.5"/>'
        '<table:table-cell office:value-type="date" office:date-value="2024-03-01"/>'
        '</table:table-row><table:table-row table:number-rows-repeated="2">'
        '<table:table-cell table:number-columns-repeated="3"/></table:table-row>'
        "<table:table-row><table:table-cell/>"
        '<table:table-cell office:value-type="string"><text:p>Barnet</text:p></table:table-cell>'
        "</table:table-row></table:table>"
        '<table:table table:name="Notes" table:style-name="ta1"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        f'<manifest:manifest xmlns:manifest="{office}:manifest:1.0"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def rejection(data: bytes, file_name: str, **kwargs) -> FileRejected:
    """Return the FileRejected that reading the bytes raises, checking it names the file."""
    with pytest.raises(FileRejected) as caught:
        read_workbook(data, file_name, **kwargs)
    assert file_name in caught.value.message
    assert "Traceback" not in caught.value.message
    return caught.value


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"),
     (702, "AAA"), (16383, "XFD")],
)  # fmt: skip
def test_column_letters_match_excel(index, letters):
    assert column_letter(index) == letters


@pytest.mark.parametrize(
    ("sheet", "row", "col", "ref"),
    [
        ("Arrangements", 14, 3, "Arrangements!D14"),
        ("Deep dives", 3, 1, "'Deep dives'!B3"),
        ("Bob's returns", 1, 0, "'Bob''s returns'!A1"),
        ("2024", 2, 0, "'2024'!A2"),
        ("A1", 2, 0, "'A1'!A2"),
        ("Sheet-2", 1, 26, "'Sheet-2'!AA1"),
        ("Données", 5, 2, "Données!C5"),
        ("Shared_services", 1, 0, "Shared_services!A1"),
    ],
)
def test_cell_references_are_quoted_like_excel(sheet, row, col, ref):
    assert cell_ref(sheet, row, col) == ref


@pytest.mark.parametrize("isolate", [True, False], ids=["isolated", "in-process"])
def test_an_xlsx_keeps_text_numbers_dates_and_positions(isolate):
    def build(workbook):
        sheet = workbook.active
        sheet.title = "Arrangements"
        sheet.append(["Council", "Savings", "Start", "Shared"])
        sheet.append(["Barnet", 700000, datetime.date(2024, 4, 1), True])
        sheet.append(["Camden", 12.5, datetime.datetime(2024, 4, 2, 9, 30), False])
        sheet["B5"] = "note"

    book = read_workbook(openpyxl_bytes(build), "returns.xlsx", isolate=isolate)
    assert (book.file_name, book.format, [s.name for s in book.sheets]) == (
        "returns.xlsx",
        "xlsx",
        ["Arrangements"],
    )
    rows = book.sheets[0].rows
    assert rows[0] == ["Council", "Savings", "Start", "Shared"]
    assert rows[1] == ["Barnet", 700000, datetime.date(2024, 4, 1), True]
    assert rows[2] == ["Camden", 12.5, datetime.datetime(2024, 4, 2, 9, 30), False]
    assert rows[3] == [None, None, None, None]
    assert rows[4][1] == "note"


def test_a_sheet_starting_at_b3_keeps_excel_row_and_column_numbers():
    def build(workbook):
        sheet = workbook.active
        sheet.title = "Deep dives"
        sheet["B3"] = "Council"
        sheet["C3"] = "Savings"
        sheet["B4"] = "Barnet"
        sheet["D5"] = 3

    rows = read_workbook(openpyxl_bytes(build), "dives.xlsx", isolate=False).sheets[0].rows
    found = {
        cell_ref("Deep dives", i + 1, j): value
        for i, row in enumerate(rows)
        for j, value in enumerate(row)
        if value is not None
    }
    assert found == {
        "'Deep dives'!B3": "Council",
        "'Deep dives'!C3": "Savings",
        "'Deep dives'!B4": "Barnet",
        "'Deep dives'!D5": 3,
    }


def test_hidden_and_empty_sheets_are_listed_in_workbook_order():
    def build(workbook):
        workbook.active.title = "Returns"
        workbook.active["A1"] = "x"
        hidden = workbook.create_sheet("Lookups")
        hidden["A1"] = "y"
        hidden.sheet_state = "hidden"
        workbook.create_sheet("Blank")

    book = read_workbook(openpyxl_bytes(build), "returns.xlsx", isolate=False)
    assert [(s.name, s.hidden, s.rows) for s in book.sheets] == [
        ("Returns", False, [["x"]]),
        ("Lookups", True, [["y"]]),
        ("Blank", False, []),
    ]


def test_an_ods_is_read_with_positions_and_hidden_sheets():
    book = read_workbook(ods_bytes(), "returns.ods")
    assert book.format == "ods"
    returns, notes = book.sheets
    assert returns.rows == [
        ["Council", 12.5, datetime.date(2024, 3, 1)],
        [None, None, None],
        [None, None, None],
        [None, "Barnet", None],
    ]
    assert (returns.hidden, notes.name, notes.hidden) == (False, "Notes", True)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16", b""), ("cp1252", b"")],
    ids=["utf-8", "utf-8 with BOM", "utf-16", "windows-1252"],
)
def test_csv_is_decoded_whatever_excel_saved_it_as(encoding, prefix):
    text = "Council,Saving\r\nBarnet,£700\r\nCamden,\r\n"
    book = read_workbook(prefix + text.encode(encoding), "returns.csv")
    assert (book.format, book.sheets[0].name) == ("csv", "returns.csv")
    assert book.sheets[0].rows == [["Council", "Saving"], ["Barnet", "£700"], ["Camden", None]]


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("Council;Saving\nBarnet;1,5\n", [["Council", "Saving"], ["Barnet", "1,5"]]),
        ("Council\tSaving\nBarnet\t700\n", [["Council", "Saving"], ["Barnet", "700"]]),
        ('Council,Note\nBarnet,"a, b; c"\n', [["Council", "Note"], ["Barnet", "a, b; c"]]),
        ("Council,Saving\n\nBarnet,700\n", [["Council", "Saving"], [], ["Barnet", "700"]]),
        ("Council\nBarnet\n", [["Council"], ["Barnet"]]),
    ],
    ids=["semicolon", "tab", "quoted comma", "blank line kept", "one column"],
)
def test_csv_separators_are_sniffed(text, rows):
    assert read_workbook(text.encode(), "returns.txt").sheets[0].rows == rows


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 64, "a file of another kind"),
    ],
    ids=["pdf", "png", "jpeg", "binary junk"],
)
def test_files_that_are_not_spreadsheets_are_named_for_what_they_are(data, what):
    error = rejection(data, "budget.xlsx")
    assert error.code == "not-a-spreadsheet"
    assert what in error.message


@pytest.mark.parametrize(
    "page",
    [
        b"<html xmlns:x='urn:schemas-microsoft-com:office:excel'><body><table>",
        b"\r\n<table border=1><tr><td>Council</td></tr></table>",
    ],
    ids=["html", "bare table"],
)
def test_a_web_page_named_xls_asks_for_a_real_spreadsheet(page):
    error = rejection(page, "export.xls")
    assert error.code == "not-a-spreadsheet"
    assert "Save As" in error.message


@pytest.mark.parametrize(
    ("names", "code", "words"),
    [
        (["word/document.xml"], "not-a-spreadsheet", "Word document"),
        (["xl/workbook.bin"], "unsupported-format", ".xlsb"),
        (["readme.txt"], "not-a-spreadsheet", "zip archive"),
    ],
)
def test_zips_that_hold_no_readable_spreadsheet_are_refused(names, code, words):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    error = rejection(buffer.getvalue(), "budget.xlsx")
    assert (error.code, words in error.message) == (code, True)


@pytest.mark.parametrize("isolate", [True, False], ids=["isolated", "in-process"])
def test_a_truncated_xlsx_is_corrupt(isolate):
    data = openpyxl_bytes(lambda workbook: workbook.active.append(["Council"]))
    assert rejection(data[: len(data) // 2], "budget.xlsx", isolate=isolate).code == "corrupt"


@pytest.mark.parametrize("isolate", [True, False], ids=["isolated", "in-process"])
def test_a_reader_error_inside_an_old_excel_file_is_reported_as_corrupt(isolate):
    # A directory entry named Workbook where the first directory sector would start.
    entry = "Workbook\x00".encode("utf-16-le")
    fake_xls = sniff._OLE_MAGIC + b"\x00" * 504 + entry + b"\x00" * 200
    assert rejection(fake_xls, "budget.xls", isolate=isolate).code == "corrupt"


def test_a_password_protected_workbook_asks_for_the_password_to_be_removed():
    encrypted = sniff._OLE_MAGIC + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")
    error = rejection(encrypted, "budget.xlsx")
    assert error.code == "encrypted"
    assert "Remove the password" in error.message


@pytest.mark.parametrize(
    ("data", "limits", "code"),
    [
        (b"", ReadLimits(), "empty-file"),
        (b"x" * 11, ReadLimits(max_bytes=10), "too-large"),
        (b"a\nb\nc\nd\n", ReadLimits(max_rows=3), "too-many-cells"),
        (b"a,b,c,d\n", ReadLimits(max_columns=3), "too-many-cells"),
    ],
    ids=["empty", "too large", "csv rows", "csv columns"],
)
def test_size_limits_are_checked(data, limits, code):
    assert rejection(data, "returns.csv", limits=limits).code == code


def test_a_zip_bomb_is_refused_from_its_directory_without_decompressing(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(50):
                sheet.write(b" " * 1024 * 1024)
    data = buffer.getvalue()
    assert len(data) < 200_000

    def no_unpacking(*args, **kwargs):
        raise AssertionError("the bomb was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    assert rejection(data, "budget.xlsx", isolate=False).code == "zip-bomb"


@pytest.mark.parametrize(
    "limits",
    [ReadLimits(max_zip_entries=4), ReadLimits(max_uncompressed_bytes=1000)],
    ids=["entries", "total size"],
)
def test_a_zip_over_the_entry_or_size_limits_is_a_zip_bomb(limits):
    assert rejection(handmade_xlsx(""), "budget.xlsx", limits=limits).code == "zip-bomb"


@pytest.mark.parametrize("isolate", [True, False], ids=["isolated", "in-process"])
def test_a_dimension_bomb_is_refused_before_calamine_reads_it(isolate):
    assert len(DIMENSION_BOMB) < 2000
    error = rejection(DIMENSION_BOMB, "budget.xlsx", isolate=isolate)
    assert error.code == "too-many-cells"
    assert "Data!XFD1048576" in error.message


@pytest.mark.parametrize(
    ("sheet_data", "dimension"),
    [
        (cells_xml("A1"), "A1:XFD1048576"),  # Gnumeric declares the whole grid
        (cells_xml("A1", "C3"), "A1:AMJ3"),  # LibreOffice declares its 1,024 columns
        (cells_xml("A1") + '<row r="1"><c r="IV1" s="1"/></row>', None),  # one bold empty cell
        (cells_xml("A1") + '<row r="600000" ht="20" customHeight="1"/>', None),  # a row height
        (cells_xml("A1") + '<row r="600000"><c r="A600000" s="2"><v></v></c></row>', None),
    ],
    ids=["gnumeric dimension", "libreoffice dimension", "styled empty cell", "row height",
         "empty value"],
)  # fmt: skip
def test_formatting_far_from_the_data_is_not_counted_as_cells(sheet_data, dimension):
    data = handmade_xlsx(sheet_data, dimension=dimension, name="Deep dives")
    rows = read_workbook(data, "budget.xlsx").sheets[0].rows
    assert (rows[0][0], len(rows) <= 3, max(map(len, rows)) <= 3) == (1, True, True)


def test_a_formula_far_beyond_the_limits_is_counted_even_without_a_value():
    sheet_data = cells_xml("A1") + '<row r="1"><c r="XFD1"><f>A1*2</f></c></row>'
    error = rejection(handmade_xlsx(sheet_data, name="Deep dives"), "budget.xlsx", isolate=False)
    assert (error.code, "'Deep dives'!XFD1" in error.message) == ("too-many-cells", True)


@pytest.mark.parametrize(
    ("limits", "ref", "refused"),
    [
        (ReadLimits(), "GR500000", False),
        (ReadLimits(), "GS1", True),
        (ReadLimits(), "AAA1", True),
        (ReadLimits(), "A500001", True),
        (ReadLimits(), "A1000000", True),
        (ReadLimits(max_rows=99, max_columns=26), "Z99", False),
        (ReadLimits(max_rows=99, max_columns=26), "AA1", True),
        (ReadLimits(max_rows=99, max_columns=26), "A100", True),
        (ReadLimits(max_rows=1200, max_columns=702), "ZZ1199", False),
        (ReadLimits(max_rows=1200, max_columns=702), "AAA1", True),
        (ReadLimits(max_rows=1200, max_columns=702), "A1201", True),
    ],
)
def test_the_scan_refuses_exactly_the_cells_beyond_the_limits(limits, ref, refused):
    archive = zipfile.ZipFile(io.BytesIO(handmade_xlsx(cells_xml("A1", ref))))
    if not refused:
        assert xlsx_scan.scan_xlsx(archive, "budget.xlsx", limits) == {}
        return
    with pytest.raises(FileRejected) as caught:
        xlsx_scan.scan_xlsx(archive, "budget.xlsx", limits)
    assert (caught.value.code, f"Data!{ref}" in caught.value.message) == ("too-many-cells", True)


def test_a_dimension_bomb_past_the_scan_kills_only_the_child_not_the_dashboard(capfd):
    # The proof that isolation works: calamine aborts the whole process on this file.
    with pytest.raises(FileRejected) as caught:
        isolation.read_isolated(
            DIMENSION_BOMB, "budget.xlsx", "xlsx", ReadLimits(memory_mb=1024), prescan=False
        )
    assert caught.value.code in {"reader-crashed", "reader-out-of-memory"}
    assert "could not be read safely" in caught.value.message
    assert "memory allocation" not in capfd.readouterr().err


def test_a_slow_read_is_stopped_at_the_timeout():
    # 20,000 rows take the child about a tenth of a second: far over the limit, every time.
    def fill(workbook):
        for row in range(20_000):
            workbook.active.append(["Council", row, "text in a cell"])

    data = openpyxl_bytes(fill)
    assert rejection(data, "budget.xlsx", limits=ReadLimits(timeout_s=0.005)).code == (
        "reader-timeout"
    )


def test_the_reader_child_does_not_rerun_the_apps_main_script(monkeypatch, tmp_path):
    # Streamlit installs the page script as __main__; the child must not execute it again.
    marker = tmp_path / "ran"
    script = tmp_path / "dashboard.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    data = openpyxl_bytes(lambda workbook: workbook.active.append(["Council"]))
    assert read_workbook(data, "returns.xlsx").sheets[0].rows == [["Council"]]
    assert not marker.exists()
    assert sys.modules["__main__"] is fake_main


def straddling_chunks(sheet_data: str) -> str:
    """Return sheet_data padded so its last r=" attribute starts 5 bytes before a chunk ends."""
    head = f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
    padding = xlsx_scan._CHUNK - 5 - len(head) - sheet_data.rindex(' r="') - len("<!---->")
    return f"<!--{'x' * padding}-->{sheet_data}"


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row\nr="1048576"><c\nr="XFD1048576"><v>1</v></c></row>',
        '<row\tr="1"><c\tr="XFD1"><v>1</v></c></row>',
        straddling_chunks('<row r="1"><c r="XFD1"><v>1</v></c></row>'),
    ],
    ids=["newlines between attributes", "tabs between attributes", "split across chunks"],
)
def test_the_scan_finds_references_however_the_xml_is_laid_out(sheet_data):
    archive = zipfile.ZipFile(io.BytesIO(handmade_xlsx(sheet_data)))
    with pytest.raises(FileRejected) as caught:
        xlsx_scan.scan_xlsx(archive, "budget.xlsx", ReadLimits())
    assert (caught.value.code, "Data!XFD" in caught.value.message) == ("too-many-cells", True)


@pytest.mark.parametrize("encoding", ["mac_roman", "cp1252"])
@pytest.mark.parametrize(
    "text",
    ["children’s services – “joint”", "Clyde Café", "naïve – déjà vu", "€5 saved", "£5 000"],
)
def test_a_csv_from_excel_for_mac_or_for_windows_is_decoded_as_it_was_written(encoding, text):
    data = f"services\r\n{text}\r\n".encode(encoding)
    assert read_workbook(data, "returns.csv").sheets[0].rows == [["services"], [text]]
