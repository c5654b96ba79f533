"""Uploads and board meetings marked on the time charts, and listed in their table views."""

import datetime as dt
import json

import pytest

from lgadata.charts import annotations
from lgadata.charts import capital_assets as cap
from lgadata.charts import ebulletin as eb
from lgadata.charts import shared_services as ss
from lgadata.meetings import BoardMeeting

REASON = "Two county councils joined the map <b>late</b>"


def upload(version: int, periods: list[str], note: str = "") -> dict:
    """A history entry as lgadata.queries.history returns it."""
    return {
        "version": version,
        "kind": "upload",
        "uploaded_by": "officer@example.gov.uk",
        "when": "1 August 2013 10:00",
        "file_name": f"upload-{version}.xlsx",
        "periods": periods,
        "note": note,
    }


def meeting(on: dt.date, title: str = "Improvement and Innovation Board") -> BoardMeeting:
    return BoardMeeting(1, on, title, "Item 4", 1, "admin", dt.datetime(2013, 1, 1, tzinfo=dt.UTC))


MEETINGS = [
    meeting(dt.date(2012, 1, 10), "Before every chart"),
    meeting(dt.date(2013, 3, 20)),
    meeting(dt.date(2013, 7, 10)),
    meeting(dt.date(2030, 1, 1), "After every chart"),
]


def rules(chart) -> list[dict]:
    """Return the rows drawn as rule marks in a chart's spec."""
    spec = chart.to_dict()
    found = []
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        if (mark if isinstance(mark, str) else (mark or {}).get("type")) == "rule":
            found += spec["datasets"][layer["data"]["name"]]
            tooltip = [t["field"] for t in layer["encoding"]["tooltip"]]
            assert "reason" in tooltip and "what" in tooltip
    return found


def edition(as_at: str, savings: float) -> dict:
    return {"as_at": as_at, "savings_gbp": savings, "councils": 100, "arrangements": 50}


EDITIONS = [edition("2012-10-31", 2e8), edition("2013-01-31", 2.5e8), edition("2013-07-31", 2.8e8)]
BULLETINS = [
    {"bulletin": name, "sent_on": sent, "views": 100, "programme_views": 20,
     "programme_share": 0.2}
    for name, sent in [("May", "2013-05-14"), ("January", "2013-01-15")]
]  # fmt: skip
YEARS = [
    {"financial_year": fy, "budget_gbp": 1e6, "spent_gbp": 5e5} for fy in ("2012/13", "2013/14")
]
CASES = {
    "shared services": (
        ss.edition_markers, ss.savings_over_editions, EDITIONS,
        [upload(1, ["2012-10-31", "2013-01-31"]), upload(2, ["2013-07-31"], REASON)],
        2,  # the meetings of March and July 2013 fall between October 2012 and July 2013
    ),
    "e-bulletin": (
        eb.trend_markers, eb.programme_share_trend, BULLETINS,
        [upload(1, ["January", "May"]), upload(2, ["May"], REASON)],
        1,  # only March 2013 falls between January and May
    ),
    "capital and assets": (
        cap.year_markers, cap.budget_over_years, YEARS,
        [upload(1, ["2012/13"]), upload(2, ["2013/14"], REASON)],
        2,  # April 2012 to March 2014
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES.values(), ids=CASES)
def test_each_upload_and_each_meeting_in_range_is_one_rule_with_its_reason(case):
    find, build, rows, uploads, meetings_in_range = case
    found = find(rows, uploads=uploads + [upload(9, ["not on the chart"])], meetings=MEETINGS)
    drawn = rules(build(rows, markers=found))
    kinds = [r["kind"] for r in drawn]
    assert kinds.count(annotations.UPLOAD) == len(uploads)
    assert kinds.count(annotations.MEETING) == meetings_in_range
    assert [r["reason"] for r in drawn if r["reason"]] == [REASON]
    assert not any("chart" in r["what"] for r in drawn)


def test_a_meeting_held_after_the_charts_last_date_is_listed_but_not_drawn():
    # The early walk of issue 17: meetings after the last bulletin were in neither.
    found = eb.trend_markers(BULLETINS, uploads=[], meetings=MEETINGS)
    table = annotations.markers_table(found)
    assert list(table["Date"]) == ["20 March 2013", "10 July 2013"]
    assert "after the chart's last date" in table["What"].iloc[-1]
    drawn = rules(eb.programme_share_trend(BULLETINS, markers=found))
    assert [r["shown"] for r in drawn] == ["20 March 2013"]


def test_an_upload_marker_names_its_version_and_the_upload_number_the_paper_cites():
    entry = upload(2, ["2013-07-31"]) | {"id": 6}
    found = ss.edition_markers(EDITIONS, uploads=[entry], meetings=[])
    assert found[0]["what"].startswith("Version 2 (upload 6), uploaded by officer@")


def test_an_upload_is_marked_at_the_newest_period_it_brought():
    found = ss.edition_markers(
        EDITIONS, uploads=[upload(1, ["2013-01-31", "2012-10-31"])], meetings=[]
    )
    assert [m["date"] for m in found] == ["2013-01-31"]


def test_the_markers_are_listed_in_the_table_view_oldest_first_with_their_reasons():
    found = ss.edition_markers(
        EDITIONS, uploads=[upload(2, ["2013-07-31"], REASON)], meetings=MEETINGS
    )
    table = annotations.markers_table(found)
    assert list(table.columns) == ["Date", "Marker", "What", "Reason"]
    assert list(table["Date"]) == ["20 March 2013", "10 July 2013", "31 July 2013"]
    assert list(table["Marker"]) == ["Board meeting", "Board meeting", "Upload"]
    assert table["Reason"].iloc[-1] == REASON
    assert "upload-2.xlsx" in table["What"].iloc[-1]


def test_a_chart_with_nothing_to_mark_has_no_rule_and_no_marker_legend():
    chart = ss.savings_over_editions(EDITIONS, markers=[])
    assert rules(chart) == []
    assert "Marked on the chart" not in str(chart.to_dict())


def test_the_two_kinds_are_told_apart_by_dash_and_named_in_the_legend():
    found = ss.edition_markers(EDITIONS, uploads=[upload(2, ["2013-07-31"])], meetings=MEETINGS)
    spec = ss.savings_over_editions(EDITIONS, markers=found).to_dict()
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    dash = rule["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == ["Upload", "Board meeting"]
    assert dash["scale"]["range"][0] != dash["scale"]["range"][1]
    assert rule["encoding"]["color"]["legend"]["title"] == "Marked on the chart"


def test_the_reason_given_for_crossing_a_threshold_is_the_markers_reason_before_the_note():
    crossed = upload(2, ["2013-07-31"], "A note for the history") | {"reason": REASON}
    found = ss.edition_markers(EDITIONS, uploads=[crossed], meetings=[])
    assert [m["reason"] for m in found] == [REASON]
    assert annotations.markers_table(found)["Reason"].iloc[-1] == REASON


def test_a_bar_chart_coloured_by_a_field_takes_its_colours_from_the_field():
    import pandas as pd

    from lgadata.charts import bar

    frame = pd.DataFrame({"pilot": ["A", "B"], "budget": [1, 2], "status": ["Live", "Planned"]})
    spec = bar(
        frame,
        category="pilot",
        value="budget",
        title="Budgets",
        value_title="Budget",
        colour="status",
    ).to_dict()
    assert spec["encoding"]["color"]["field"] == "status"
    assert "color" not in (spec["mark"] if isinstance(spec["mark"], dict) else {})


def test_the_savings_over_editions_x_axis_says_what_its_dates_are():
    # The walk of issue 18 read "Map of" under the axis, as if a title were cut short.
    spec = ss.savings_over_editions(EDITIONS, markers=[]).to_dict()
    titles = {layer["encoding"]["x"]["title"] for layer in spec["layer"]}
    assert titles == {"Date of the map edition"}


def test_the_meeting_screens_regions_leave_the_width_to_the_bars():
    # The walk of issue 18: on a phone and at 200% zoom the screen's region chart had no
    # bars left, its title and legend cut ("Cou"), between an axis of names and one of figures.
    rows = [
        {"region": "Yorkshire and The Humber", "councils": 22, "sharing": 21, "share": 21 / 22},
        {"region": "North East", "councils": 12, "sharing": 3, "share": 0.25},
    ]
    spec = ss.regions_screen_chart(rows, edition="31 January 2013").to_dict()
    encodings = [layer["encoding"] for layer in spec["layer"]]
    assert all(e["y"].get("axis", "none") is None for e in encodings)
    assert "legend" not in json.dumps(spec) and "color" not in json.dumps(encodings)
    assert max(len(line) for line in spec["title"]["text"]) <= 30
    words = {e["text"]["field"] for e in encodings if "text" in e}
    assert words == {"Region", "figures"}
    shown = {row["figures"] for row in spec["datasets"][spec["data"]["name"]]}
    assert shown == {"21 of 22 (95%)", "3 of 12 (25%)"}
