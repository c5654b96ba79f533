"""Recognising a file's workstream from its sheet names and header rows, reading it once."""

import pytest

from lgadata import recognise as recognise_module
from lgadata.bootstrap import SAMPLES_DIR
from lgadata.ingest import check_bytes
from lgadata.reader import read_workbook
from lgadata.recognise import check_read, check_upload, outcome, recognise, refusal
from lgadata.templates import build_template
from lgadata.workstreams import WORKSTREAMS
from tests.workbooks import ARRANGEMENT_HEADER, make_csv, make_xlsx

PILOTS_HEADER = ["pilot", "council", "lead", "status", "next_milestone", "rag"]
ARRANGEMENT = ["2013-01-31", "Legal partnership", "Stroud DC", "Gloucester City", "Legal"]


def recognised(data: bytes, file_name: str = "file.xlsx"):
    return recognise(read_workbook(data, file_name, isolate=False))


def sample(key: str) -> bytes:
    return (SAMPLES_DIR / WORKSTREAMS[key].sample_file).read_bytes()


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_each_shipped_sample_is_recognised_as_its_workstream(key):
    found = recognised(sample(key))
    assert found.workstream is WORKSTREAMS[key]
    assert found.reason.startswith(f"Recognised as {WORKSTREAMS[key].title}: sheet ")


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_each_blank_template_is_recognised_as_its_workstream(key):
    assert recognised(build_template(key)).workstream is WORKSTREAMS[key]


@pytest.mark.parametrize(
    ("sheets", "reason"),
    [
        (
            {"Arrangements": [ARRANGEMENT_HEADER, ARRANGEMENT]},
            "Recognised as Shared Services Map: sheet Arrangements, 10 of 10 columns.",
        ),
        (
            {"Arrangements": [ARRANGEMENT_HEADER[:-1], ARRANGEMENT]},
            "Recognised as Shared Services Map: sheet Arrangements, 9 of 10 columns.",
        ),
        (
            {"Sheet1": [["Shared services 2013"], ARRANGEMENT_HEADER, ARRANGEMENT]},
            "Recognised as Shared Services Map: sheet Sheet1 (as Arrangements), 10 of 10 columns.",
        ),
        (
            {"Budget": [["financial_year", "line", "category", "budget_gbp"]]},
            "Recognised as Capital and Assets Programme: sheet Budget, 4 of 5 columns.",
        ),
    ],
)
def test_the_reason_names_the_sheets_and_how_many_columns_match(sheets, reason):
    assert recognised(make_xlsx(sheets)).reason == reason


def test_a_mailchimp_report_is_recognised_by_its_clicks_block_and_title_lines():
    rows = [
        ["Campaign Report"],
        ["Title:", "Board e-bulletin March 2013"],
        ["Delivery Date/Time:", "20/03/2013"],
        [],
        ["Clicks by URL"],
        ["URL", "Total Clicks", "Unique Clicks"],
        ["https://www.local.gov.uk/productivity", "120", "90"],
    ]
    found = recognised(make_csv(rows), "report.csv")
    assert found.workstream is WORKSTREAMS["ebulletin"]
    assert "5 of 6 columns" in found.reason


def test_a_file_like_no_template_is_not_recognised_and_the_officer_is_asked():
    found = recognised(make_csv([["name", "amount"], ["Anything", 12]]), "other.csv")
    assert found.workstream is None
    assert "does not look like any workstream's spreadsheet" in found.reason
    assert "Choose its workstream" in found.reason


def test_a_file_matching_two_workstreams_equally_is_not_guessed():
    data = make_xlsx(
        {"Arrangements": [ARRANGEMENT_HEADER], "Pilots": [PILOTS_HEADER, ["P", "Stroud DC"]]}
    )
    found = recognised(data)
    assert found.workstream is None
    assert "Shared Services Map" in found.reason
    assert "Housing Tenancy Fraud Pilot" in found.reason
    assert found.reason.endswith("Choose its workstream.")


def test_a_hidden_sheet_is_not_taken_for_a_declared_one_by_its_headers():
    data = make_xlsx({"About": [["notes"]], "Sheet1": [ARRANGEMENT_HEADER, ARRANGEMENT]})
    book = read_workbook(data, "file.xlsx", isolate=False)
    book.sheets[1].hidden = True
    assert recognise(book).workstream is None


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_checking_an_upload_reads_it_once_and_parses_it_as_check_bytes_does(key, monkeypatch):
    reads = []

    def counted(*args, **kwargs):
        reads.append(args[1])
        return read_workbook(*args, **kwargs)

    monkeypatch.setattr(recognise_module, "read_workbook", counted)
    data = sample(key)
    checked = check_upload(data, "sample.xlsx", isolate=False)
    assert reads == ["sample.xlsx"]
    expected = check_bytes(data, "sample.xlsx", workstream=key, isolate=False)
    assert checked.parsed.as_dict() == expected.as_dict()
    assert checked.recognition.workstream.key == key


def test_a_chosen_workstream_is_not_second_guessed():
    checked = check_upload(sample("shared_services"), "map.xlsx", workstream="capital_assets")
    assert checked.recognition is None
    assert checked.parsed.workstream.key == "capital_assets"
    assert [p.code for p in checked.parsed.errors] == ["missing-sheet"]


def test_an_unreadable_file_is_rejected_with_one_message_and_nothing_parsed():
    damaged = b"PK\x03\x04" + bytes(40)
    checked = check_upload(damaged, "map.xlsx", isolate=False)
    assert checked.rejected.message.startswith("map.xlsx is damaged or not a complete file.")
    assert (checked.book, checked.recognition, checked.parsed) == (None, None, None)
    assert checked.size_bytes == 44


def test_a_period_given_at_upload_fills_a_missing_period_column():
    rows = [ARRANGEMENT_HEADER[1:], ARRANGEMENT[1:]]
    book = read_workbook(make_xlsx({"Arrangements": rows}), "map.xlsx", isolate=False)
    checked = check_read(
        book, sha256="x", size_bytes=1, workstream="shared_services", period="31/01/2013"
    )
    assert checked.parsed.ok, [str(p) for p in checked.parsed.errors]
    assert checked.parsed.sheets[0].periods == ["2013-01-31"]


def test_a_file_chosen_as_the_wrong_workstream_is_said_to_look_like_its_own():
    checked = check_upload(sample("capital_assets"), "cap.xlsx", workstream="tenancy_fraud")
    assert [p.code for p in checked.parsed.errors] == ["missing-column"]
    assert checked.elsewhere.workstream.key == "capital_assets"
    assert checked.elsewhere.candidates[0].describe() == (
        "sheet Budget, 5 of 5 columns; sheet Councils, 6 of 6 columns"
    )


def test_a_file_that_fits_the_workstream_chosen_is_not_said_to_look_like_another():
    checked = check_upload(sample("capital_assets"), "cap.xlsx", workstream="capital_assets")
    assert checked.parsed.ok and checked.elsewhere is None


TEXT = b"Dear colleague,\nthe figures are attached.\nThanks\n"


def test_plain_text_named_xlsx_is_refused_as_not_a_spreadsheet():
    checked = check_upload(TEXT, "figures.xlsx", isolate=False)
    assert (checked.rejected.code, checked.parsed) == ("not-a-spreadsheet", None)
    assert checked.rejected.message.startswith("figures.xlsx is plain text, not a spreadsheet")


def test_plain_text_named_xlsx_for_a_chosen_workstream_is_first_called_not_a_spreadsheet():
    checked = check_upload(TEXT, "figures.xlsx", workstream="tenancy_fraud", isolate=False)
    assert [p.code for p in checked.parsed.errors] == ["not-a-spreadsheet", "missing-sheet"]


def test_a_csv_table_named_xls_is_still_read_as_the_table_it_is():
    data = b"bulletin,url,views\nMay 2013,https://www.local.gov.uk/a,12\n"
    checked = check_upload(data, "links.xls", workstream="ebulletin", isolate=False)
    assert checked.parsed.ok, [str(p) for p in checked.parsed.errors]


@pytest.mark.parametrize(
    ("data", "name", "chosen", "code"),
    [
        (sample("capital_assets"), "cap.xlsx", "capital_assets", None),
        (sample("capital_assets"), "cap.xlsx", "tenancy_fraud", "another-workstream"),
        (TEXT, "figures.xlsx", None, "not-a-spreadsheet"),
        (b"hello,world\n1,2\n", "notes.csv", None, "not-recognised"),
    ],
    ids=["fits", "another-workstream", "text-named-xlsx", "unrecognised"],
)
def test_one_refusal_says_why_a_file_is_refused_before_its_rows(data, name, chosen, code):
    checked = check_upload(data, name, workstream=chosen, isolate=False)
    refused = refusal(checked)
    assert (refused.code if refused else None) == code


def test_a_file_for_another_workstream_is_refused_in_words_naming_both():
    checked = check_upload(sample("capital_assets"), "cap.xlsx", workstream="ebulletin")
    assert refusal(checked).message == (
        "cap.xlsx does not look like an E-bulletin statistics workbook: it looks like a "
        "Capital and Assets Programme workbook (sheet Budget, 5 of 5 columns; sheet Councils, "
        "6 of 6 columns)."
    )


def test_the_outcome_leads_with_the_refusal_and_leaves_the_checked_file_as_it_was():
    checked = check_upload(sample("capital_assets"), "cap.xlsx", workstream="tenancy_fraud")
    parsed = outcome(checked, "tenancy_fraud")
    assert [p.code for p in parsed.errors] == ["another-workstream", "missing-column"]
    assert [p.code for p in checked.parsed.errors] == ["missing-column"]


def test_the_outcome_of_a_file_that_cannot_be_read_is_its_one_problem():
    checked = check_upload(b"PK\x03\x04 broken", "broken.xlsx", workstream="ebulletin")
    parsed = outcome(checked, "ebulletin")
    assert [p.code for p in parsed.errors] == [checked.rejected.code]
    assert (parsed.file_name, parsed.workstream.key, parsed.sheets) == (
        "broken.xlsx",
        "ebulletin",
        [],
    )
