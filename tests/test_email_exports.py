"""E-bulletin statistics as the e-mail tools export them, as CSV and saved in Excel.

Each layout is reproduced from a public source, named beside it:
- Mailchimp's campaign report and A/B test report: the anonymised exports that Simple Dash,
  a dashboard for these files, tests its parsers with (MAILCHIMP_SOURCE). Their first line
  is bare, every other field quoted; the date is "Mon, Apr 26, 2021 12:25"; an A/B report
  opens with "Campaign Report" and has a "Combination N Stats" block per combination, each
  with its own "Subject Line:".
- Granicus govDelivery's bulletin report and its links, as its reports API names the fields
  (`subject`, `created_at` such as "2019-12-04T14:10:13.000Z", `link_url`,
  `unique_click_count`, `total_click_count`), from a public client of that API
  (GRANICUS_SOURCE), flattened to one row per link as a script or Power Query writes it.
  govDelivery's own bulletin detail report downloads as a PDF (GOVDELIVERY_PDF), so the
  bulletin report below is an officer's sheet typed from it, with its US timestamp.
Saved in Excel, a CSV's plain numbers ("1,751") become numbers and its dates stay text.
"""

import csv
import datetime as dt
import io
import re

import pytest

from lgadata.ingest import check_bytes
from lgadata.reader import read_workbook
from lgadata.recognise import recognise
from tests.workbooks import make_xlsx

MAILCHIMP_SOURCE = (
    "https://github.com/derekology/simple-dash/blob/"
    "4df0cfcc7caa0c9ec969cee2b3b9e4f23ba8b18f/tests/fixtures.py"
)
GRANICUS_SOURCE = (
    "https://github.com/loganpowell/granicus/blob/"
    "18141a4059fe7cbbe391d881ef7fdd6b15a166d0/backend/src/commands/graphql.repl.ts"
)
GOVDELIVERY_PDF = (
    "https://sites.google.com/view/covidcommshub/resources/govdelivery-newsletters/"
    "reports-in-govdelivery"
)
AB_TESTS = "https://mailchimp.com/help/about-ab-tests/"  # "no one receives more than 1 combination"


def quoted(rows: list[list]) -> str:
    """Return rows as Mailchimp writes them: every field quoted, so commas survive."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def mailchimp_csv(title_line: str, rows: list[list]) -> bytes:
    """Return a Mailchimp report: its bare title line, then quoted lines (MAILCHIMP_SOURCE)."""
    return (title_line + "\n" + quoted(rows)).encode()


# A report's figures, in its order and its formats: US short dates, "141 (8.1%)".
STATS = [
    ["Total Recipients:", "1,751"],
    ["Successful Deliveries:", "1,742"],
    ["Bounces:", "9 (0.5%)"],
    ["Times Forwarded:", "0"],
    ["Forwarded Opens:", "0"],
    ["Recipients Who Opened:", "141 (8.1%)"],
    ["Total Opens:", "201"],
    ["Last Open Date:", "1/7/26 17:40"],
    ["Recipients Who Clicked:", "20 (1.1%)"],
    ["Total Clicks:", "157"],
    ["Last Click Date:", "9/8/23 16:20"],
    ["Total Unsubs:", "1"],
    ["Total Abuse Complaints:", "0"],
]


def campaign_report(delivered: str, *blocks: list[list], title: str = "March bulletin") -> bytes:
    """Return a campaign report as MAILCHIMP_SOURCE's single report, with these click blocks."""
    rows = [
        ["Title:", title],
        ["Subject Line:", "Improvement and Innovation Board: March"],
        ["Delivery Date/Time:", delivered],
        [],
        ["Overall Stats"],
        *STATS,
        ["Times Liked on Facebook:", "0"],
        [],
    ]
    for block in blocks:
        rows += [*block, []]
    return mailchimp_csv("Email Campaign Report", rows)


def ab_report(delivered: str, *blocks: list[list]) -> bytes:
    """Return an A/B test report as MAILCHIMP_SOURCE's, with these click blocks after it."""
    rows = [["Title:", "Spring bulletin A/B test"], ["Delivery Date/Time:", delivered], []]
    for number, subject in ((1, "Spring: what councils saved"), (2, "Spring bulletin")):
        rows += [
            [f"Combination {number} Stats"],
            ["Subject Line:", subject],
            ["From Name:", "Local Government Association"],
            ["From Email:", "productivity@example.gov.uk"],
            *STATS,
            [],
        ]
    for block in blocks:
        rows += [*block, []]
    return mailchimp_csv("Campaign Report", rows)


HEADER = ["URL", "Total Clicks", "Unique Clicks"]
PRODUCTIVITY = "https://www.local.gov.uk/productivity"
OTHER = "https://www.local.gov.uk/other"
CLICKS = [["Clicks by URL"], HEADER, [PRODUCTIVITY, "120", "90"], [OTHER, "30", "25"]]


def combination(number: int, *links: list) -> list[list]:
    return [[f"Combination {number} Clicks by URL"], HEADER, *links]


def granicus_links(sent: str = "2019-12-04T14:10:13.000Z") -> bytes:
    """Return a bulletin's links with the fields Granicus's reports API gives (GRANICUS_SOURCE)."""
    header = ["id", "subject", "created_at", "link_url", "unique_click_count", "total_click_count"]
    subject = "Improvement and Innovation Board e-bulletin"
    rows = [
        header,
        ["140415414", subject, sent, PRODUCTIVITY, "10", "12"],
        ["140415416", subject, sent, OTHER, "3", "4"],
    ]
    return quoted(rows).encode()


def govdelivery_sheet(delivered: str = "04/03/2013 10:00 AM GMT") -> bytes:
    """Return an officer's sheet typed from govDelivery's bulletin detail PDF (GOVDELIVERY_PDF)."""
    rows = [
        ["Bulletin Detail Report"],
        ["Bulletin Subject:", "Improvement and Innovation Board e-bulletin"],
        ["Delivery Date:", delivered],
        [],
        ["Link URL", "Total Clicks", "Unique Clicks"],
        [PRODUCTIVITY, "12", "10"],
    ]
    return quoted(rows).encode()


def as_excel_saves(rows: list[list]) -> list[list]:
    """Return a CSV's rows as Excel keeps them: plain numbers, with their commas, as numbers."""
    number = re.compile(r"\d{1,3}(,\d{3})+|\d+")
    return [
        [int(c.replace(",", "")) if number.fullmatch(c) and len(c) < 9 else c for c in row]
        for row in rows
    ]


def as_file(data: bytes, extension: str, stem: str = "report") -> tuple[bytes, str]:
    """Return the export as the tool wrote it, or that CSV opened in Excel and saved."""
    if extension == "csv":
        return data, f"{stem}.csv"
    rows = as_excel_saves(list(csv.reader(io.StringIO(data.decode()))))
    return make_xlsx({stem: rows}), f"{stem}.xlsx"


def check(data: bytes, name: str):
    return check_bytes(data, name, workstream="ebulletin", isolate=False)


def sheet_name(name: str) -> str:
    """Return how a file's one sheet is named in messages: a CSV by its file name."""
    return name if name.endswith(".csv") else name.rpartition(".")[0]


EXTENSIONS = pytest.mark.parametrize("extension", ["csv", "xlsx"])


@EXTENSIONS
@pytest.mark.parametrize(
    "delivered",
    ["Mon, Apr 26, 2021 12:25", "Tue, Apr 16, 2013 10:05 am", "03/20/2013 10:00 AM GMT"],
)
def test_a_mailchimp_campaign_report_loads_as_csv_and_saved_in_excel(extension, delivered):
    result = check(*as_file(campaign_report(delivered, CLICKS), extension))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert sheet.row_numbers == [24, 25]
    assert (sheet.values["views"], sheet.values["unique_views"]) == ([120, 30], [90, 25])
    assert sheet.periods == ["March bulletin"]
    day = dt.date(2013, 3, 20) if "03/20" in delivered else None
    assert sheet.values["sent_on"][0] == day or sheet.values["sent_on"][0].month == 4


@EXTENSIONS
def test_an_ab_test_report_gives_every_combinations_clicks(extension):
    blocks = (
        combination(1, [PRODUCTIVITY, "120", "90"], [OTHER, "30", "25"]),
        combination(2, [OTHER, "7", "6"]),
    )
    result = check(*as_file(ab_report("Sat, May 1, 2021 10:15", *blocks), extension))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert (sheet.values["url"], sheet.values["views"]) == ([PRODUCTIVITY, OTHER], [120, 37])
    assert sheet.periods == ["Spring bulletin A/B test"]  # the Title, not a combination's subject
    assert sheet.values["sent_on"] == [dt.date(2021, 5, 1)] * 2


@EXTENSIONS
def test_a_link_in_several_combinations_adds_up_its_clicks_and_its_recipients(extension):
    # Each combination goes to other recipients (AB_TESTS), so unique clicks add up too.
    blocks = (
        combination(1, [PRODUCTIVITY, "120", "90"], [OTHER, "30", "25"]),
        combination(2, [PRODUCTIVITY, "60", "50"]),
        combination(3, [PRODUCTIVITY, "1,200", "1,000"]),
    )
    report = ab_report("Sat, May 1, 2021 10:15", *blocks)
    result = check(*as_file(report, extension))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert sheet.values["url"] == [PRODUCTIVITY, OTHER]
    assert (sheet.values["views"], sheet.values["unique_views"]) == ([1380, 30], [1140, 25])
    first = next(
        n for n, line in enumerate(report.decode().splitlines(), 1) if PRODUCTIVITY in line
    )
    assert sheet.row_numbers[0] == first  # the link's first listing, where Excel shows it


@EXTENSIONS
def test_the_same_counts_in_two_combinations_are_two_combinations_not_a_pasted_row(extension):
    blocks = (
        combination(1, [PRODUCTIVITY, "12", "10"]),
        combination(2, [PRODUCTIVITY, "12", "10"]),
    )
    result = check(*as_file(ab_report("Sat, May 1, 2021 10:15", *blocks), extension))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert (sheet.values["views"], sheet.values["unique_views"]) == ([24], [20])


@EXTENSIONS
def test_a_link_listed_twice_in_one_report_adds_its_clicks_but_not_its_recipients(extension):
    # The same recipients may have clicked both listings: the larger count is who surely did.
    block = [["Clicks by URL"], HEADER, [PRODUCTIVITY, "120", "90"], [PRODUCTIVITY, "40", "35"]]
    result = check(*as_file(campaign_report("Mon, Apr 26, 2021 12:25", block), extension))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert (sheet.row_numbers, sheet.values["views"], sheet.values["unique_views"]) == (
        [24],
        [160],
        [90],
    )


def test_a_repeated_link_with_a_count_that_cannot_be_read_is_left_for_its_cell_to_be_named():
    block = [["Clicks by URL"], HEADER, [PRODUCTIVITY, "120", "90"], [PRODUCTIVITY, "lots", "35"]]
    result = check(campaign_report("Mon, Apr 26, 2021 12:25", block), "report.csv")
    assert [(p.cell, p.code) for p in result.errors] == [("report.csv!B25", "invalid-integer")]


@EXTENSIONS
def test_granicus_bulletin_links_load_with_their_iso_timestamps(extension):
    result = check(*as_file(granicus_links(), extension, "links"))
    assert result.ok, [str(p) for p in result.errors]
    sheet = result.sheets[0]
    assert sheet.values["sent_on"] == [dt.date(2019, 12, 4)] * 2
    assert (sheet.values["views"], sheet.values["unique_views"]) == ([12, 4], [10, 3])
    assert sheet.periods == ["Improvement and Innovation Board e-bulletin"]
    assert [p.code for p in result.warnings] == ["unknown-column"]  # the link's id


@pytest.mark.parametrize("sent", ["2013-03-20T10:00:00Z", "2013-03-20T10:00:00.000-05:00"])
def test_granicus_timestamps_with_and_without_a_zone_are_read_as_their_date(sent):
    result = check(granicus_links(sent), "links.csv")
    assert result.ok and result.sheets[0].values["sent_on"] == [dt.date(2013, 3, 20)] * 2


@EXTENSIONS
def test_a_govdelivery_bulletin_sheet_loads_with_its_us_timestamp(extension):
    result = check(*as_file(govdelivery_sheet(), extension, "bulletin"))
    assert result.ok, [str(p) for p in result.errors]
    assert result.sheets[0].values["sent_on"] == [dt.date(2013, 4, 3)]
    assert result.sheets[0].periods == ["Improvement and Innovation Board e-bulletin"]


@EXTENSIONS
@pytest.mark.parametrize(
    ("build", "stem", "cell"),
    [
        (lambda when: campaign_report(when, CLICKS), "report", "B4"),
        (lambda when: ab_report(when, combination(1, [OTHER, "3", "3"])), "report", "B3"),
        (govdelivery_sheet, "bulletin", "B3"),
        (granicus_links, "links", "C2"),  # no header block: the date is a column's cell
    ],
    ids=["mailchimp", "mailchimp-ab", "govdelivery", "granicus"],
)
def test_a_problem_in_an_exports_header_block_names_that_line(extension, build, stem, cell):
    data, name = as_file(build("sometime in March"), extension, stem)
    result = check(data, name)
    problems = [(p.cell, p.code) for p in result.errors]
    assert problems[0] == (f"{sheet_name(name)}!{cell}", "invalid-date")
    assert {code for _, code in problems} == {"invalid-date"}
    assert "sometime in March" in result.errors[0].message


@EXTENSIONS
@pytest.mark.parametrize(
    "build",
    [
        lambda: campaign_report("Mon, Apr 26, 2021 12:25", CLICKS),
        lambda: ab_report("Sat, May 1, 2021 10:15", combination(1, [OTHER, "3", "3"])),
        granicus_links,
        govdelivery_sheet,
    ],
    ids=["mailchimp", "mailchimp-ab", "granicus", "govdelivery"],
)
def test_every_export_is_recognised_as_the_e_bulletins_as_csv_and_saved_in_excel(extension, build):
    data, name = as_file(build(), extension)
    assert recognise(read_workbook(data, name, isolate=False)).workstream.key == "ebulletin"


def test_a_date_an_officer_types_stays_day_first():
    rows = [
        ["bulletin", "sent_on", "url", "views"],
        ["March bulletin", "04/03/2013", "https://www.local.gov.uk/a", 12],
        ["March bulletin", "04/03/2013 10:00", "https://www.local.gov.uk/b", 3],
    ]
    result = check(quoted(rows).encode(), "clicks.csv")
    assert result.sheets[0].values["sent_on"] == [dt.date(2013, 3, 4)] * 2


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
    result = check(quoted(rows).encode(), "clicks.csv")
    assert result.ok
    ambiguous = [p.cell for p in result.warnings if p.code == "day-month-ambiguous"]
    assert ambiguous == (["clicks.csv!B1"] if warned else [])
    assert result.sheets[0].values["sent_on"][0].day == int(dates[0][:2]) or not warned
