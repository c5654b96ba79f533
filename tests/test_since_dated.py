"""A meeting's figures are judged by the data's own dates (a map edition by its date, a
bulletin by the day it was sent), and by what was known at the meeting when it was held
while the dashboard was in use: the Done-when of issue 17, on a fresh install."""

import datetime as dt

import pytest

from lgadata import periods, queries
from lgadata.meetings import add_meeting
from lgadata.overview import cards
from lgadata.paper import build_paper, render_docx, render_pdf
from lgadata.returns import returns_due
from lgadata.sections import registry
from lgadata.since import headline_figures, since
from lgadata.thresholds import reasons_for_meeting
from lgadata.workstreams import WORKSTREAMS
from tests.test_paper import docx_lines, pdf_lines
from tests.test_since import (
    JULY,
    MARCH,
    OFFICER,
    load,
    map_edition,
    sample_map_with_two_arrangements_in_the_east_of_england,
    shared,
)
from tests.workbooks import check_and_store, make_xlsx

WHY = "Norfolk and Broadland joined their legal teams"
BULLETIN_12 = make_xlsx(
    {
        "Links": [
            ["bulletin", "sent_on", "url", "link_text", "views", "unique_views"],
            ["Bulletin 12", dt.date(2013, 5, 14), "https://www.local.gov.uk/a", "A", 90, 60],
            ["Bulletin 12", dt.date(2013, 5, 14), "https://www.local.gov.uk/b", "B", 30, 20],
        ]
    }
)


@pytest.fixture
def backfilled(sample_engine):
    """The Done-when: the samples loaded today, meetings on 20 March and 10 July 2013
    registered, then a June 2013 map edition (with its reason) and a bulletin sent on 14 May
    2013 loaded, today too."""
    add_meeting(engine=sample_engine, by=OFFICER, meets_on=MARCH, title="Board")
    add_meeting(engine=sample_engine, by=OFFICER, meets_on=JULY, title="Board")
    new_map = sample_map_with_two_arrangements_in_the_east_of_england(edition="2013-06-30")
    check_and_store(
        sample_engine, new_map, workstream="shared_services", file_name="June map.xlsx", reason=WHY
    )
    check_and_store(sample_engine, BULLETIN_12, workstream="ebulletin", file_name="b12.xlsx")
    return sample_engine


def by_key(report):
    return {w.workstream: w for w in report}


def test_meetings_before_any_upload_count_the_periods_dated_by_their_days(backfilled):
    report = by_key(since(engine=backfilled, start=MARCH, end=JULY))

    assert report["shared_services"].sentences == (
        "Map edition 30 June 2013 is new: against map edition 31 January 2013, 2 arrangements "
        "added in the East of England, savings +£1.2m.",
    )
    [brought] = report["shared_services"].uploads
    assert (brought.file_name, brought.periods_text, brought.reason) == (
        "June map.xlsx",
        "map edition 30 June 2013",
        WHY,
    )
    bulletins = report["ebulletin"].sentences
    assert "Bulletin 12 (sent on 14 May 2013) is new: 2 links." in bulletins
    # The samples' own bulletins sent after 20 March were not at that meeting either.
    assert any(
        s.startswith("Improvement and Innovation Board e-bulletin, May 2013") for s in bulletins
    )
    assert not any("January 2013" in s or "February 2013" in s for s in bulletins)
    for key in ("capital_assets", "tenancy_fraud", "programme_milestones"):
        assert report[key].sentences == ("Nothing reported since 20 March 2013.",), key


def test_the_headline_figures_at_a_backfilled_meeting_are_its_own_not_none(backfilled):
    moved = {
        (f["card"], f["figure"]): (f["then"], f["now"])
        for f in headline_figures(engine=backfilled, start=MARCH, end=JULY)
        if f["changed"]
    }
    assert moved[("Shared Services Map", "Arrangements")] == ("325", "327")
    assert moved[("Shared Services Map", "Efficiency savings")] == ("£278m", "£279.2m")
    assert all(then is not None for then, _ in moved.values())
    assert not any(card == "Capital and Assets Programme" for card, _ in moved)


def test_a_headline_figure_moves_only_where_its_workstreams_report_a_change(backfilled):
    """The paper's and the Overview's "has moved" cannot disagree with their paragraphs."""
    now = cards(queries.metrics(engine=backfilled), queries.milestones(engine=backfilled))
    section_of = {card.title: s for card, s in zip(now, registry.board_sections(), strict=True)}
    cases = [(MARCH, JULY), (MARCH, None), (JULY, None), (dt.date(2012, 1, 1), MARCH)]
    moved_anywhere = False
    for start, end in cases:
        changed = {
            w.workstream
            for w in since(engine=backfilled, start=start, end=end)
            if not w.nothing_new
        }
        moved_cards = {
            f["card"]
            for f in headline_figures(engine=backfilled, start=start, end=end)
            if f["changed"]
        }
        moved_anywhere |= bool(moved_cards)
        for title in moved_cards:
            assert set(section_of[title].workstreams) & changed, (start, end, title)
    assert moved_anywhere


def test_the_paper_for_july_says_what_moved_why_and_agrees_with_itself(backfilled):
    paper = build_paper(engine=backfilled, meeting_date=JULY)
    first, *workstreams, _due, _carried = paper.since.paragraphs

    assert "No headline figure has moved" not in first
    assert (
        "Shared Services Map: arrangements 325 to 327, efficiency savings £278m to £279.2m" in first
    )
    shared_paragraph = next(w for w in workstreams if w.startswith("Shared Services Map: "))
    assert "2 arrangements added in the East of England, savings +£1.2m" in shared_paragraph
    assert f"the reason given: {WHY}" in shared_paragraph
    assert "was none" not in " ".join(paper.since.paragraphs)
    line = reasons_for_meeting(engine=backfilled, section="shared_services", meeting_date=JULY)
    assert [r.endswith(WHY) for r in line] == [True]
    for kind in ("pdf", "docx"):
        lines = pdf_lines(render_pdf(paper)) if kind == "pdf" else docx_lines(render_docx(paper))
        text = " ".join(" ".join(lines).split())
        assert "Bulletin 12 (sent on 14 May 2013) is new: 2 links." in text, kind
        assert f"the reason given: {WHY}" in text, kind
        assert "arrangements 325 to 327" in text, kind


def test_a_live_meeting_sees_the_version_known_then_and_a_later_correction_is_a_change(
    empty_engine,
):
    load(empty_engine, map_edition(("A", "Stroud", 10), edition="2013-01-31"), "2013-02-01")
    load(empty_engine, map_edition(("A", "Stroud", 15), edition="2013-01-31"), "2013-04-01")
    # A late return for a period dated before the meeting is new since it, too.
    load(empty_engine, map_edition(("B", "Camden", 5), edition="2013-02-28"), "2013-04-02")

    report = shared(since(engine=empty_engine, start=MARCH, end=JULY))

    assert report.sentences == (
        "Map edition 31 January 2013: 1 arrangement changed, savings +£5.",
        "Map edition 28 February 2013 is new: against map edition 31 January 2013, 1 arrangement "
        "added in London, 1 removed in the South West, savings -£10.",
    )
    assert [u.version for u in report.uploads] == [2, 3]
    [then] = [
        f["then"]
        for f in headline_figures(engine=empty_engine, start=MARCH, end=JULY)
        if f["figure"] == "Efficiency savings"
    ]
    assert then == "£10"


def test_a_period_dated_after_a_live_meeting_is_new_since_though_uploaded_before(empty_engine):
    load(empty_engine, map_edition(("A", "Stroud", 10), edition="2013-01-31"), "2013-02-01")
    load(empty_engine, map_edition(("B", "Camden", 5), edition="2013-04-30"), "2013-03-10")
    [moved] = shared(since(engine=empty_engine, start=MARCH, end=JULY)).changes
    assert moved.period_text == "map edition 30 April 2013" and moved.is_new


@pytest.mark.parametrize(
    ("workstream", "sheet", "period", "day", "named"),
    [
        ("shared_services", "Arrangements", "2013-06-30", None, "map edition 30 June 2013"),
        ("capital_assets", "Budget", "2012/13", None, "financial year 2012/13"),
        ("capital_assets", "Councils", "2", None, "wave 2"),
        ("tenancy_fraud", "Outcomes", "2013-Q2", None, "outcomes for Apr to Jun 2013"),
        ("tenancy_fraud", "Pilots", "", None, "the pilot groups"),
        ("ebulletin", "Links", "Bulletin 12", dt.date(2013, 5, 14),
         "Bulletin 12 (sent on 14 May 2013)"),
        ("programme_milestones", "Milestones", "Commissioning Academy", None,
         "Commissioning Academy milestones"),
    ],
)  # fmt: skip
def test_periods_are_named_as_the_pages_name_them(workstream, sheet, period, day, named):
    assert periods.name_period(WORKSTREAMS[workstream].sheet(sheet), period, day) == named


def test_every_dated_sheet_dates_its_periods_by_a_column_it_has():
    for workstream in WORKSTREAMS.values():
        for sheet in workstream.sheets:
            if sheet.dated_by:
                assert sheet.column(sheet.dated_by).kind.name in ("DATE", "QUARTER"), sheet.name


def test_the_returns_due_at_a_backfilled_meeting_are_judged_by_the_data_dates(backfilled):
    due = {r.workstream: r for r in returns_due(engine=backfilled, on=JULY)}

    assert (due["shared_services"].status, due["shared_services"].next_due) == (
        "not due",
        dt.date(2014, 6, 30),
    )
    assert due["shared_services"].when == "map edition 30 June 2013"
    assert (due["ebulletin"].status, due["ebulletin"].next_due) == ("overdue", dt.date(2013, 6, 23))
    assert due["capital_assets"].sentence == (
        "Capital and Assets Programme: its data carry no date to place a return by (yearly)."
    )
    # Today, with the uploads made, the returns are still judged by the dates the data carry:
    # a 2013 edition loaded this morning is not this year's return (the walk of issue 17 saw
    # the Overview call every return in while the July paper said the bulletin was overdue).
    today = {r.workstream: r for r in returns_due(engine=backfilled, on=dt.date.today())}
    assert (today["shared_services"].status, today["shared_services"].next_due) == (
        "overdue",
        dt.date(2014, 6, 30),
    )
    assert (today["ebulletin"].status, today["ebulletin"].next_due) == (
        "overdue",
        dt.date(2013, 6, 23),
    )
    # The budget's data carry no date: judged by when its last upload came in.
    assert today["capital_assets"].status == "not due"
