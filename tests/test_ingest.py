"""The ingest engine: a file in, parsed rows and every problem out."""

import datetime as dt

import pytest

from lgadata.ingest import check_bytes, normalise_header
from tests.workbooks import ARRANGEMENT_HEADER, make_csv, make_xlsx


def check(data: bytes, name: str = "upload.xlsx", workstream: str = "shared_services", **kw):
    return check_bytes(data, name, workstream=workstream, isolate=False, **kw)


def cells(result) -> list[tuple[str, str]]:
    return [(p.cell, p.code) for p in result.errors]


MESSY_SHARED_SERVICES = [
    ["Shared Services Map, January 2013 edition"],
    [],
    [
        "Savings (£)",
        "Lead council",
        "Arrangement",
        "Category",
        "Partner councils",
        "As at",
        "Start",
    ],
    [
        "£1.2m",
        "Stroud DC",
        "Revenues partnership",
        "Revenues and benefits",
        "Gloucester City",
        "31/01/2013",
        "March 2010",
    ],
    [None, None, None, None, None, None, None],
    [
        250000,
        "LB Camden",
        "Legal shared service",
        "legal",
        "Islington; Haringey",
        dt.datetime(2013, 1, 31),
        "2011-04-01",
    ],
    ["Total", None, None, None, None, None, None],
]


def test_a_messy_but_valid_workbook_is_accepted():
    result = check(make_xlsx({"Arrangements": MESSY_SHARED_SERVICES}))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert sheet.header_row == 3
    assert sheet.row_numbers == [4, 6]
    assert sheet.values["savings_gbp"] == [1_200_000.0, 250_000.0]
    assert sheet.values["lead_council"] == ["E07000082", "E09000007"]
    assert sheet.values["partner_councils"] == ["E07000081", "E09000019;E09000014"]
    assert sheet.values["start_date"] == [dt.date(2010, 3, 1), dt.date(2011, 4, 1)]
    assert sheet.values["status"] == ["Operational", "Operational"]
    assert sheet.periods == ["2013-01-31"]
    assert [(p.cell, p.code) for p in result.warnings] == [
        ("Arrangements row 7", "total-row-skipped")
    ]
    assert result.resolutions["Stroud DC"] == "E07000082"


def test_a_misspelt_council_names_the_cell_and_suggests_the_council():
    rows = [row[:] for row in MESSY_SHARED_SERVICES]
    rows[3][1] = "Stroude District Council"
    result = check(make_xlsx({"Arrangements": rows}))
    assert not result.ok
    assert cells(result) == [("Arrangements!B4", "unknown-council")]
    assert "Did you mean Stroud District Council" in result.errors[0].message


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("savings_gbp", "lots", "invalid-money"),
        ("savings_gbp", -5, "negative-value"),
        ("as_at", "31/02/2013", "invalid-date"),
        ("category", "Bins", "not-in-list"),
        ("lead_council", None, "missing-value"),
        ("arrangement", "   ", "missing-value"),
        ("status", "Dormant", "not-in-list"),
        ("partner_councils", "Stroud; Atlantis", "unknown-council"),
    ],
)
def test_each_kind_of_bad_value_is_reported_at_its_cell(column, value, code):
    row = ["2013-01-31", "Audit partnership", "Stroud", "", "Audit and fraud", "", "", 10, "", ""]
    row[ARRANGEMENT_HEADER.index(column)] = value
    result = check(make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, row]}))
    letter = "ABCDEFGHIJ"[ARRANGEMENT_HEADER.index(column)]
    assert cells(result) == [(f"Arrangements!{letter}2", code)]


def test_every_bad_cell_is_collected_not_just_the_first():
    row = ["2013-01-31", "Audit", "Nowhere", "", "Bins", "", "", "lots", "", ""]
    other = [row[0], "Audit 2", *row[2:]]  # a row repeated whole is a problem of its own
    result = check(make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, row, other]}))
    assert sorted(cells(result)) == sorted(
        [
            ("Arrangements!C2", "unknown-council"),
            ("Arrangements!C3", "unknown-council"),
            ("Arrangements!E2", "not-in-list"),
            ("Arrangements!E3", "not-in-list"),
            ("Arrangements!H2", "invalid-money"),
            ("Arrangements!H3", "invalid-money"),
        ]
    )


def test_a_missing_required_column_stops_the_sheet_with_one_message():
    header = [h for h in ARRANGEMENT_HEADER if h != "lead_council"]
    result = check(make_xlsx({"Arrangements": [header, ["2013-01-31", "A", "", "Legal"]]}))
    assert cells(result) == [("Arrangements row 1", "missing-column")]
    assert "lead_council" in result.errors[0].message


def test_an_unknown_column_is_ignored_with_a_warning():
    header = [*ARRANGEMENT_HEADER, "Comments"]
    row = ["2013-01-31", "A", "Stroud", "", "Legal", "", "", "", "", "", "hello"]
    result = check(make_xlsx({"Arrangements": [header, row]}))
    assert result.ok
    assert [(p.cell, p.code) for p in result.warnings] == [("Arrangements!K1", "unknown-column")]


def test_the_period_can_be_given_at_upload_when_the_file_has_no_period_column():
    header = ["arrangement", "lead_council", "category"]
    data = make_xlsx({"Arrangements": [header, ["A", "Stroud", "Legal"]]})
    assert cells(check(data)) == [("Arrangements row 1", "missing-column")]
    result = check(data, period="20/03/2013")
    assert result.ok
    assert result.sheets[0].periods == ["2013-03-20"]


def test_a_missing_sheet_names_the_sheet_expected_and_the_sheets_found():
    data = make_xlsx({"Budget": [["line"], ["x"]]})
    result = check(data, workstream="tenancy_fraud")
    assert [p.code for p in result.errors] == ["missing-sheet"]
    assert '"Pilots"' in result.errors[0].message and '"Budget"' in result.errors[0].message


@pytest.mark.parametrize(
    ("header", "normalised"),
    [
        ("Savings (£)", "savings"),
        ("savings_gbp", "savingsgbp"),
        ("Lead-Council", "leadcouncil"),
        ("  LEAD COUNCIL ", "leadcouncil"),
        ("Unique clicks [count]", "uniqueclicks"),
    ],
)
def test_headers_are_normalised_ignoring_case_spacing_and_units(header, normalised):
    assert normalise_header(header) == normalised


def test_a_windows_csv_with_semicolons_and_a_pound_sign_is_read():
    rows = [
        ["Financial year", "Line", "Category", "Budget (£)", "Spent"],
        ["2013/14", "Secondees", "Secondees", "£350,000", "£120k"],
    ]
    data = make_csv(rows, separator=";", encoding="cp1252")
    result = check(data, "budget.csv", workstream="capital_assets")
    assert result.ok, [str(p) for p in result.errors]
    assert result.sheets[0].values["budget_gbp"] == [350_000.0]
    assert result.sheets[0].values["spent_gbp"] == [120_000.0]


def test_a_csv_error_names_the_file_as_its_sheet():
    rows = [
        ["line", "category", "budget_gbp", "financial_year"],
        ["x", "Secondees", "abc", "2013/14"],
    ]
    result = check(make_csv(rows), "budget.csv", workstream="capital_assets")
    assert cells(result) == [("budget.csv!C2", "invalid-money")]


def test_a_mailchimp_campaign_report_gives_its_clicks_by_url_block():
    rows = [
        ["Campaign Report"],
        ["Title:", "Board e-bulletin March 2013"],
        ["Delivery Date/Time:", "20/03/2013"],
        ["Total Recipients:", "1200"],
        [],
        ["Clicks by URL"],
        ["URL", "Total Clicks", "Unique Clicks"],
        ["https://www.local.gov.uk/productivity", "120", "90"],
        ["https://www.local.gov.uk/other", "30", "25"],
        [],
        ["Top Links by Domain"],
        ["Domain", "Clicks"],
        ["local.gov.uk", "150"],
    ]
    result = check(make_csv(rows), "mailchimp.csv", workstream="ebulletin")
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert sheet.row_numbers == [8, 9]
    assert sheet.values["views"] == [120, 30]
    assert sheet.values["unique_views"] == [90, 25]
    assert sheet.periods == ["Board e-bulletin March 2013"]
    assert sheet.values["sent_on"] == [dt.date(2013, 3, 20)] * 2


def test_a_flat_link_click_export_takes_the_bulletin_from_the_file_name():
    rows = [
        ["link_url", "total_click_count", "unique_click_count"],
        ["https://www.local.gov.uk/productivity", 12, 10],
    ]
    result = check(make_csv(rows), "April bulletin.csv", workstream="ebulletin")
    assert result.ok, [str(p) for p in result.errors]
    assert result.sheets[0].periods == ["April bulletin"]
    assert [p.code for p in result.warnings] == ["period-from-file-name"]


def test_a_file_that_is_not_a_spreadsheet_gets_one_clear_message():
    result = check(b"%PDF-1.4 not really", "report.xlsx")
    assert [p.code for p in result.problems] == ["not-a-spreadsheet"]
    assert "report.xlsx" in result.problems[0].message
    assert not result.ok


def test_the_json_form_lists_errors_with_sheet_row_column_and_message():
    rows = [row[:] for row in MESSY_SHARED_SERVICES]
    rows[3][0] = "a lot"
    data = check(make_xlsx({"Arrangements": rows})).as_dict()
    assert data["ok"] is False
    assert data["errors"][0] | {"message": ""} == {
        "code": "invalid-money",
        "message": "",
        "sheet": "Arrangements",
        "row": 4,
        "column": "A",
        "severity": "error",
        "cell": "Arrangements!A4",
    }
