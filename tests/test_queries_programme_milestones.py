"""Programme queries: milestones, their filters and span, EU reform, deep dives."""

import datetime as dt

import pytest

from lgadata import queries
from lgadata.queries.programme_milestones import months_apart

D = dt.date


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (D(2013, 3, 20), 0),  # the day of the board report
        (D(2013, 10, 1), 7),
        (D(2026, 1, 1), 13),
    ],
)
def test_a_milestone_not_done_or_missed_and_due_before_today_is_overdue(
    sample_engine, today, overdue
):
    rows = queries.milestones(engine=sample_engine, today=today)
    assert len(rows) == 23
    assert sum(r["overdue"] for r in rows) == overdue
    assert not any(r["overdue"] for r in rows if r["status"] in ("Done", "Missed"))


def test_milestones_come_by_due_date(sample_engine):
    dues = [r["due"] for r in queries.milestones(engine=sample_engine)]
    assert dues == sorted(dues)


@pytest.mark.parametrize(
    ("workstreams", "statuses", "expected"),
    [
        (None, None, 23),
        (["EU procurement reform"], None, 2),
        (["National Procurement Strategy"], None, 4),
        (["National Procurement Strategy", "EU procurement reform"], None, 6),
        (None, ["Done"], 9),
        (None, ["At risk", "Missed"], 2),
        (["Commissioning Academy"], ["Planned"], 3),
        ([], None, 0),
        (None, [], 0),
    ],
)
def test_milestones_are_filtered_by_workstream_and_status(
    sample_engine, workstreams, statuses, expected
):
    rows = queries.milestones(engine=sample_engine, workstreams=workstreams, statuses=statuses)
    assert len(rows) == expected
    assert all(r["workstream"] in workstreams for r in rows if workstreams)
    assert all(r["status"] in statuses for r in rows if statuses)


def test_the_facets_name_the_workstreams_and_statuses_in_use_and_the_span(sample_engine):
    facets = queries.milestone_facets(engine=sample_engine)
    assert len(facets["workstreams"]) == 7
    assert "E-bulletin" not in facets["workstreams"]
    assert facets["statuses"] == ["Planned", "Done", "At risk", "Missed"]
    assert (facets["first_due"], facets["last_due"]) == ("2013-01-22", "2015-09-30")


def test_an_empty_database_has_no_milestones_or_deep_dives(empty_engine):
    assert queries.milestones(engine=empty_engine) == []
    assert queries.milestone_facets(engine=empty_engine)["workstreams"] == []
    assert queries.eu_reform_timeline(engine=empty_engine) == []
    assert queries.deep_dive_totals(engine=empty_engine) == {
        "deep_dives": 0,
        "planned_spend_gbp": 0.0,
        "spend_not_reported": 0,
        "upload_id": None,
    }


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2013, 9, 30), D(2015, 9, 30), 24),
        (D(2013, 9, 1), D(2013, 9, 30), 0),
        (D(2013, 1, 15), D(2013, 2, 14), 0),
        (D(2013, 1, 15), D(2013, 2, 15), 1),
        (D(2013, 1, 31), D(2013, 2, 28), 1),
        (D(2013, 8, 31), D(2013, 9, 30), 1),
        (D(2013, 3, 20), D(2013, 3, 20), 0),
    ],
)
def test_months_apart_counts_whole_calendar_months(start, end, months):
    assert months_apart(start, end) == months


def test_transposition_is_24_months_after_the_eu_agreement_by_the_uploaded_dates(sample_engine):
    agreed, transposed = queries.eu_reform_timeline(engine=sample_engine)
    assert (agreed["milestone"], agreed["due"]) == (
        "EU procurement directives agreed",
        "2013-09-30",
    )
    assert agreed["months_after_previous"] is None
    assert (transposed["previous_milestone"], transposed["months_after_previous"]) == (
        "EU procurement directives agreed",
        24,
    )


def test_the_deep_dives_total_their_planned_spend(sample_engine):
    dives = queries.deep_dives(engine=sample_engine)
    assert [d["organisation"] for d in dives] == [
        "Gloucestershire County Council",
        "Lincolnshire Procurement Partnership",
        "London Borough of Camden",
    ]
    totals = queries.deep_dive_totals(engine=sample_engine)
    assert (totals["deep_dives"], totals["planned_spend_gbp"]) == (3, 81_500_000)
    assert totals["spend_not_reported"] == 0


def test_the_overview_metrics_still_count_milestones_and_overdue_ones(sample_engine):
    programme = queries.metrics(engine=sample_engine, today=D(2026, 1, 1))["programme_milestones"]
    assert (programme["milestones"], programme["overdue"]) == (23, 13)
    assert len(programme["deep_dives"]) == 3
