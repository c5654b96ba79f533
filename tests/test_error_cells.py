"""Cells whose value the file does not hold: Excel errors, and formulas never calculated.

calamine reads both as blank. Each must be an error at its cell, quoting what Excel shows,
in every format, and only where the cell would be loaded.
"""

import io
import zipfile

import pytest

from lgadata.ingest import check_bytes
from tests.workbooks import handmade_parts, make_csv, make_xlsx, zipped

BUDGET_HEADER = ["financial_year", "line", "category", "budget_gbp", "spent_gbp"]
BUDGET = [
    BUDGET_HEADER,
    ["2013/14", "Secondees", "Secondees", 100000, 50000],
    ["2013/14", "Events", "Events and support", "#DIV/0!", 1000],
    ["2013/14", "Other", "Other", 5000, "#N/A"],
]
OFFICE = "urn:oasis:names:tc:opendocument:xmlns"


def ods_of(name: str, rows: list[list]) -> bytes:
    """Return an .ods holding rows, each error text written as LibreOffice writes an error."""

    def cell(value) -> str:
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
        if str(value).startswith(("#", "Err:")):  # LibreOffice: formula, empty text, the error
            return (
                '<table:table-cell table:formula="of:=[.Z1]/0" office:value-type="string" '
                'office:string-value="" calcext:value-type="error">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        text = f"<text:p>{value}</text:p>"
        return f'<table:table-cell office:value-type="string">{text}</table:table-cell>'

    body = "".join(
        "<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows
    )
    content = (
        f'<office:document-content xmlns:office="{OFFICE}:office:1.0" '
        f'xmlns:table="{OFFICE}:table:1.0" xmlns:text="{OFFICE}:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{name}">'
        '<table:table-column table:number-columns-repeated="5"/>'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            f'<manifest:manifest xmlns:manifest="{OFFICE}:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/'
            'vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    return buffer.getvalue()


def check(data: bytes, name: str, workstream: str = "capital_assets"):
    return check_bytes(data, name, workstream=workstream, isolate=False)


def errors(result) -> list[tuple[str, str]]:
    return [(p.cell, p.code) for p in result.errors]


@pytest.mark.parametrize(
    ("file_name", "build"),
    [
        # openpyxl writes an error text as Excel does: <c t="e"><v>#DIV/0!</v></c>.
        ("budget.xlsx", lambda: make_xlsx({"Budget": BUDGET})),
        ("budget.ods", lambda: ods_of("Budget", BUDGET)),
        # Excel saving as CSV writes what the cell shows.
        ("budget.csv", lambda: make_csv(BUDGET)),
    ],
    ids=["xlsx", "ods", "csv"],
)
def test_an_error_cell_is_an_error_at_its_cell_quoting_what_excel_shows(file_name, build):
    result = check(build(), file_name)
    budget = "budget.csv" if file_name.endswith(".csv") else "Budget"
    assert errors(result) == [(f"{budget}!D3", "error-cell"), (f"{budget}!E4", "error-cell")]
    assert result.errors[0].message == (
        f"{budget}!D3 shows #DIV/0!: the formula behind it failed in Excel; fix it and save again."
    )
    assert "#N/A" in result.errors[1].message


def test_an_error_in_a_column_that_is_not_loaded_is_no_problem():
    rows = [[*BUDGET_HEADER, "check"], ["2013/14", "Secondees", "Secondees", 1, 1, "#REF!"]]
    result = check(make_xlsx({"Budget": rows}), "budget.xlsx")
    assert errors(result) == []
    assert result.ok


def test_a_row_of_nothing_but_errors_is_skipped_like_a_blank_row():
    rows = [*BUDGET[:2], [None, "#N/A", None, "#N/A", None]]
    result = check(make_xlsx({"Budget": rows}), "budget.xlsx")
    assert (errors(result), result.row_count) == ([], 1)


def inline(ref: str, value) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def uncalculated_budget() -> bytes:
    """Return a budget whose formulas were never calculated: in a loaded cell, a blank row
    and a total row, beside a cell with another problem."""
    rows = [
        [inline(f"{col}1", v) for col, v in zip("ABCDE", BUDGET_HEADER, strict=True)],
        [inline("A2", "2013/14"), inline("B2", "Secondees"), inline("C2", "Secondees"),
         inline("D2", "lots")],
        [inline("A3", "2013/14"), inline("B3", "Events"), inline("C3", "Events and support"),
         '<c r="D3"><f>D2*2</f></c>', '<c r="E3"><f>D3/2</f><v></v></c>'],
        ['<c r="E4"><f>IF(B4="","",D4)</f></c>'],
        [inline("A5", "Total"), '<c r="D5"><f>SUM(D2:D3)</f></c>'],
    ]  # fmt: skip
    sheet = "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in enumerate(rows, start=1))
    return zipped(
        handmade_parts(f"<sheetData>{sheet}</sheetData>", name="Budget", shared_strings=False)
    )


def test_a_formula_never_calculated_is_a_problem_at_its_cell_collected_with_the_rest():
    result = check(uncalculated_budget(), "budget.xlsx")
    assert errors(result) == [
        ("Budget!D2", "invalid-money"),
        ("Budget!D3", "uncalculated-formula"),
        ("Budget!E3", "uncalculated-formula"),
    ]
    assert result.errors[1].message.startswith("Budget!D3 holds a formula whose result")


def test_libreoffices_own_error_is_quoted_as_it_shows_it():
    rows = [BUDGET_HEADER, ["2013/14", "Secondees", "Secondees", "Err:502", 1]]
    result = check(ods_of("Budget", rows), "budget.ods")
    assert errors(result) == [("Budget!D2", "error-cell")]
    assert result.errors[0].message.startswith("Budget!D2 shows Err:502:")
