"""Files written by Excel and other real programs (tests/files/, credited in its README).

Each is checked through the whole ingest, in the reader's child process as an upload is,
against a declaration shaped like the file, so the assertions are on (cell, code) pairs.
"""

from pathlib import Path

import pytest

from lgadata.ingest import check_bytes
from lgadata.reader import CellError, read_workbook
from lgadata.workstreams import Column, Kind, Sheet, Workstream

FILES = Path(__file__).with_name("files")


def declared(sheet: str, *columns: Column) -> Workstream:
    """Return a workstream of one sheet, for a real file that is no return of ours."""
    return Workstream("real", "Real file", "", (Sheet(sheet, "real_rows", columns),))


def check(file_name: str, workstream: Workstream | str):
    return check_bytes((FILES / file_name).read_bytes(), file_name, workstream=workstream)


def errors(result) -> list[tuple[str, str]]:
    return [(p.cell, p.code) for p in result.errors]


def error_cells(file_name: str) -> dict[str, list[tuple[int, int, str]]]:
    book = read_workbook((FILES / file_name).read_bytes(), file_name)
    return {
        sheet.name: [
            (row, column, value.shown)
            for row, cells in enumerate(sheet.rows, start=1)
            for column, value in enumerate(cells)
            if isinstance(value, CellError)
        ]
        for sheet in book.sheets
    }


ERROR_TYPES = declared(
    "RawErrors",
    Column("error", Kind.TEXT, "", required=True),
    Column("bang", Kind.TEXT, ""),
    Column("errtype", Kind.INTEGER, ""),
)


@pytest.mark.parametrize("file_name", ["sheetjs-ErrorTypes.xls", "sheetjs-ErrorTypes.xlsx"])
def test_every_kind_of_excel_error_is_an_error_at_its_cell_in_xls_and_xlsx(file_name):
    result = check(file_name, ERROR_TYPES)
    # Column A holds the seven errors; B repeats them but for two typed texts (#NAME!, #N/A!),
    # which are text; ERROR.TYPE in F gives #N/A for every value that is no error.
    assert errors(result) == [
        *[(f"RawErrors!A{row}", "error-cell") for row in range(2, 9)],
        *[(f"RawErrors!B{row}", "error-cell") for row in (2, 3, 4, 5, 7)],
        *[(f"RawErrors!F{row}", "error-cell") for row in range(9, 15)],
    ]
    shown = [p.message.split(" ")[2].rstrip(":") for p in result.errors[:7]]
    assert shown == ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"]
    assert result.errors[1].message == (
        "RawErrors!A3 shows #DIV/0!: the formula behind it failed in Excel; fix it and save again."
    )


def test_calamines_error_file_gives_each_error_at_its_cell():
    assert error_cells("calamine-errors.xlsx")["Feuil1"] == [
        (1, 0, "#DIV/0!"),
        (2, 0, "#NAME?"),
        (3, 0, "#VALUE!"),
        (4, 0, "#NULL!"),
        (5, 0, "#REF!"),
        (6, 0, "#NUM!"),
        (7, 0, "#N/A"),
    ]


STRESS_ERRORS = {
    "Engineering": [(2, 4, "#NUM!")],
    "Information": [(2, 2, "#DIV/0!"), (9, 2, "#N/A"), (16, 1, "#N/A")],
    "Logical": [(12, 2, "#DIV/0!")],
    "Text": [(47, 1, "#N/A"), (48, 1, "#NAME?"), (49, 1, "#NAME?")],
}


@pytest.mark.parametrize(
    "file_name",
    [
        "sheetjs-formula_stress_test.xls",
        "sheetjs-formula_stress_test.xlsx",
        # Excel's own .ods writes an error as the number 0 with the error as its text, so
        # calamine alone would load a 0.
        "sheetjs-formula_stress_test.ods",
    ],
)
def test_one_workbook_saved_in_three_formats_gives_the_same_error_cells(file_name):
    found = {sheet: cells for sheet, cells in error_cells(file_name).items() if cells}
    assert found == STRESS_ERRORS


@pytest.mark.parametrize(
    "file_name",
    [
        "sheetjs-formula_stress_test.xls",
        "sheetjs-formula_stress_test.xlsx",
        "sheetjs-formula_stress_test.ods",
    ],
)
def test_only_the_error_cells_in_columns_that_are_loaded_count(file_name):
    information = declared(
        "Information",
        Column("cell", Kind.TEXT, "", required=True),
        Column("d1", Kind.TEXT, ""),  # the header cell is $D$1
    )
    assert errors(check(file_name, information)) == [("Information!B16", "error-cell")]


def test_an_xls_whose_workbook_stream_is_named_in_capitals_is_read():
    # calamine's capitalized_wbook_stream.xls names its stream BOOK; Excel opens it.
    result = check("calamine-capitalized_wbook_stream.xls", "shared_services")
    assert errors(result) == [("", "missing-sheet")]
    assert 'sheets found: "Sheet1"' in result.errors[0].message


@pytest.mark.parametrize(
    "file_name", ["python-calamine-password.ods", "python-calamine-password.xls"]
)
def test_a_password_protected_ods_or_xls_asks_for_the_password_to_be_removed(file_name):
    result = check(file_name, "shared_services")
    assert errors(result) == [("", "encrypted")]
    assert "protected with a password" in result.errors[0].message


@pytest.mark.parametrize(
    ("file_name", "sheet", "rows"),
    [
        ("calamine-issue_530.xlsx", "出勤分类组织汇总表", 5),  # part names with backslashes
        ("calamine-minimal_package.xlsx", "Sheet1", 196),  # no xl/ folder
    ],
)
def test_a_workbook_that_excel_reads_is_read_whatever_its_package_layout(file_name, sheet, rows):
    book = read_workbook((FILES / file_name).read_bytes(), file_name)
    assert [(s.name, len(s.rows)) for s in book.sheets] == [(sheet, rows)]
