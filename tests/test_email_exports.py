"""E-bulletin statistics as the e-mail tools export them, as CSV and saved in Excel.

The layouts follow Mailchimp's campaign report export (title lines, then blocks such as
"Clicks by URL", one per combination in an A/B test) and the timestamps each tool writes.
"""

import csv
import datetime as dt
import io

import pytest

from lgadata.ingest import check_bytes
from lgadata.reader import read_workbook
from lgadata.recognise import recognise
from tests.workbooks import make_xlsx


def make_csv(rows: list[list]) -> bytes:
    """Return rows as a tool's export writes them: every field quoted, so commas survive."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(rows)
    return buffer.getvalue().encode()


def mailchimp_report(delivered: str, *blocks: list[list]) -> list[list]:
    """Return a campaign report's rows: the title lines, then each block and a blank line."""
    rows = [
        ["Campaign Report"],
        ["Title:", "Board e-bulletin March 2013"],
        ["Subject Line:", "Improvement and Innovation Board: March"],
        ["Delivery Date/Time:", delivered],
        ["Overall Stats"],
        ["Total Recipients:", "1,200"],
        ["Successful Deliveries:", "1,190"],
        ["Recipients Who Clicked:", "150 (12.6%)"],
        [],
    ]
    for block in blocks:
        rows += [*block, []]
    return rows + [["Top Links by Domain"], ["Domain", "Clicks"], ["local.gov.uk", "150"]]


CLICKS = [
    ["Clicks by URL"],
    ["URL", "Total Clicks", "Unique Clicks"],
    ["https://www.local.gov.uk/productivity", "120", "90"],
    ["https://www.local.gov.uk/other", "30", "25"],
]


def as_file(rows: list[list], extension: str) -> tuple[bytes, str]:
    if extension == "csv":
        return make_csv(rows), "mailchimp.csv"
    return make_xlsx({"mailchimp": rows}), "mailchimp.xlsx"


def check(data: bytes, name: str):
    return check_bytes(data, name, workstream="ebulletin", isolate=False)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "delivered",
    ["Wed, Mar 20, 2013 10:00", "Wed, Mar 20, 2013 10:05 am", "03/20/2013 10:00 AM GMT"],
)
def test_a_mailchimp_campaign_report_loads_as_csv_and_saved_in_excel(extension, delivered):
    result = check(*as_file(mailchimp_report(delivered, CLICKS), extension))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert sheet.row_numbers == [12, 13]
    assert sheet.values["views"] == [120, 30]
    assert sheet.periods == ["Board e-bulletin March 2013"]
    assert sheet.values["sent_on"] == [dt.date(2013, 3, 20)] * 2


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_ab_test_report_gives_every_combinations_clicks(extension):
    first = [["Combination 1 Clicks by URL"], *CLICKS[1:]]
    second = [
        ["Combination 2 Clicks by URL"],
        CLICKS[1],
        ["https://www.local.gov.uk/productivity", "60", "50"],
    ]
    rows = mailchimp_report("Tue, Apr 16, 2013 10:05 am", first, second)
    result = check(*as_file(rows, extension))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert (sheet.row_numbers, sheet.values["views"]) == ([12, 13, 17], [120, 30, 60])
    assert sheet.values["sent_on"] == [dt.date(2013, 4, 16)] * 3
    warnings = [(p.cell, p.code) for p in result.warnings]
    assert warnings == [(f"{sheet.source_name} row 16", "repeated-header")]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_problem_in_the_reports_title_lines_names_that_line(extension):
    result = check(*as_file(mailchimp_report("sometime in March", CLICKS), extension))
    sheet = "mailchimp.csv" if extension == "csv" else "mailchimp"
    assert [(p.cell, p.code) for p in result.errors] == [(f"{sheet}!B4", "invalid-date")]
    assert "sometime in March" in result.errors[0].message


def test_a_govdelivery_bulletin_report_loads_with_its_us_timestamp():
    rows = [
        ["Bulletin Detail Report"],
        ["Bulletin Subject:", "Improvement and Innovation Board e-bulletin"],
        ["Delivery Date:", "04/03/2013 10:00 AM GMT"],
        [],
        ["Link URL", "Total Clicks", "Unique Clicks"],
        ["https://www.local.gov.uk/productivity", 12, 10],
    ]
    result = check(make_csv(rows), "bulletin.csv")
    assert result.ok, [str(p) for p in result.errors]
    assert result.sheets[0].values["sent_on"] == [dt.date(2013, 4, 3)]
    assert result.sheets[0].periods == ["Improvement and Innovation Board e-bulletin"]


def test_a_flat_link_click_export_takes_iso_timestamps():
    rows = [
        ["subject", "sent_at", "link_url", "total_click_count", "unique_click_count"],
        ["March bulletin", "2013-03-20T10:00:00Z", "https://www.local.gov.uk/a", 12, 10],
        ["March bulletin", "2013-03-20T10:00:00Z", "https://www.local.gov.uk/b", 3, 3],
    ]
    result = check(make_csv(rows), "clicks.csv")
    assert result.ok, [str(p) for p in result.errors]
    assert result.sheets[0].values["sent_on"] == [dt.date(2013, 3, 20)] * 2


def test_a_date_an_officer_types_stays_day_first():
    rows = [
        ["bulletin", "sent_on", "url", "views"],
        ["March bulletin", "04/03/2013", "https://www.local.gov.uk/a", 12],
        ["March bulletin", "04/03/2013 10:00", "https://www.local.gov.uk/b", 3],
    ]
    result = check(make_csv(rows), "clicks.csv")
    assert result.sheets[0].values["sent_on"] == [dt.date(2013, 3, 4)] * 2


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_mailchimp_report_saved_in_excel_is_still_recognised_as_one(extension):
    data, name = as_file(mailchimp_report("Wed, Mar 20, 2013 10:00", CLICKS), extension)
    assert recognise(read_workbook(data, name, isolate=False)).workstream.key == "ebulletin"


@pytest.mark.parametrize(
    ("dates", "warned"),
    [
        (["04/03/2013", "05/03/2013"], True),  # 4 or 3 April? Nothing in the file says
        (["04/03/2013", "20/03/2013"], False),  # a day over 12: day first throughout
        (["03/03/2013", "03/03/2013"], False),  # the same either way
        (["2013-03-04", "2013-03-05"], False),
    ],
)
def test_dates_that_could_be_month_first_are_read_day_first_with_a_warning(dates, warned):
    rows = [["bulletin", "sent_on", "url", "views"]] + [
        ["March bulletin", date, f"https://www.local.gov.uk/{n}", 1] for n, date in enumerate(dates)
    ]
    result = check(make_csv(rows), "clicks.csv")
    assert result.ok
    ambiguous = [p.cell for p in result.warnings if p.code == "day-month-ambiguous"]
    assert ambiguous == (["clicks.csv!B1"] if warned else [])
    assert result.sheets[0].values["sent_on"][0].day == int(dates[0][:2]) or not warned
