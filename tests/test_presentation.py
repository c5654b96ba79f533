"""Meeting mode's logic: the screens in the report's order, their sources, and what comes next."""

import datetime as dt
from types import SimpleNamespace

import pytest

from lgadata import queries, returns
from lgadata.auth import command_line
from lgadata.overview import Card
from lgadata.presentation import (
    Due,
    due,
    progress,
    screens,
    seconds_per_screen,
    source_line,
    step,
    theme,
)
from lgadata.sections import registry
from lgadata.store import rollback
from lgadata.values import format_count, format_date
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx

TODAY = dt.date(2013, 3, 20)


def all_screens(engine) -> list:
    figures = queries.metrics(engine=engine, today=TODAY)
    milestones = queries.milestones(engine=engine, today=TODAY)
    return screens(figures, milestones, queries.current_uploads(engine=engine))


def store_new_edition(engine):
    """Store a later Shared Services map edition, as an officer would."""
    rows = [
        ["2014-03-31", "Gloucestershire legal", "Stroud", "Gloucester", "Legal"],
        ["2014-03-31", "North London audit", "Camden", "Islington", "Audit and fraud"],
    ]
    rows = [row + ["", "", 1000, "", "Operational"] for row in rows]
    data = make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]})
    return check_and_store(engine, data, workstream="shared_services", file_name="map.xlsx")


@pytest.mark.parametrize(
    ("index", "count", "by", "expected"),
    [
        (0, 6, 1, 1),
        (4, 6, 1, 5),
        (5, 6, 1, 0),  # from the last screen round to the first
        (0, 6, -1, 5),  # and back from the first to the last
        (3, 6, -7, 2),
        (2, 6, 0, 2),
        (0, 1, 1, 0),
        (0, 0, 1, 0),  # no screens at all does not divide by zero
    ],
)
def test_next_and_previous_go_round_the_screens(index, count, by, expected):
    assert step(index, count, by) == expected


@pytest.mark.parametrize(
    ("index", "count", "expected"),
    [
        (0, 6, "Screen 1 of 6"),
        (2, 6, "Screen 3 of 6"),
        (5, 6, "Screen 6 of 6"),
        (0, 0, "No screens"),
    ],
)
def test_progress_says_which_screen_of_how_many(index, count, expected):
    assert progress(index, count) == expected


@pytest.mark.parametrize(
    ("asked", "default", "expected"),
    [
        (None, 30.0, 30.0),  # the setting when the link asks nothing
        ("10", 30.0, 10.0),
        ("7.5", 30.0, 7.5),
        ("0", 30.0, 0.0),  # the link can turn advancing off
        (None, 0.0, 0.0),  # and so can the setting
        ("-5", 30.0, 0.0),
        ("nan", 30.0, 0.0),
        ("soon", 30.0, 30.0),  # a typing slip falls back to the setting
        ("", 30.0, 30.0),
        ("1", 30.0, 3.0),  # too fast to read out is slowed to the shortest
        ("99999", 30.0, 3600.0),
        ("inf", 30.0, 3600.0),
    ],
)
def test_seconds_per_screen_come_from_the_link_or_else_the_setting(asked, default, expected):
    assert seconds_per_screen(asked, default=default) == expected


@pytest.mark.parametrize(
    ("asked", "expected"),
    [(None, "light"), ("", "light"), ("light", "light"), ("dark", "dark"), (" Dark ", "dark"),
     ("blue", "light")],
)  # fmt: skip
def test_meeting_mode_is_light_unless_dark_is_asked_for(asked, expected):
    assert theme(asked) == expected


@pytest.mark.parametrize(
    ("seconds_up", "every", "expected"),
    [(29.9, 30, False), (30, 30, True), (45, 30, True), (1000, 0, False), (3, 3, True)],
)
def test_a_screen_moves_on_once_it_has_been_up_its_time(seconds_up, every, expected):
    shown = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)
    assert due(shown, shown + dt.timedelta(seconds=seconds_up), every) is expected


def test_there_is_one_screen_per_overview_card_then_its_further_screens_in_order(sample_engine):
    assert [s.card.title for s in all_screens(sample_engine)] == [
        title
        for s in registry.board_sections()
        for title in (s.title, *(more.title for more in s.more_screens))
    ]
    assert [s.slug for s in all_screens(sample_engine)][2:4] == [
        "shared-services",
        "shared-services-map",
    ]


def test_the_map_screen_shows_the_councils_sharing_and_a_map_of_them(sample_engine):
    figures = queries.metrics(engine=sample_engine, today=TODAY)
    latest = figures["shared_services"]["latest"]
    screen = next(s for s in all_screens(sample_engine) if s.slug == "shared-services-map")
    assert screen.card.title == "Shared Services Map: where councils share"
    assert screen.card.figures[0].value == format_count(latest["councils"]) == "337"
    assert screen.sentences == [] and screen.plan.chart_alone
    assert screen.source.startswith("Map of 31 January 2013 · figures from the upload of ")
    councils = queries.shared_services_council_figures(engine=sample_engine, as_at=latest["as_at"])
    chart = screen.plan.chart(
        figures, [], query=lambda function, **kw: function(engine=sample_engine, **kw)
    )
    spec = chart.to_dict()
    sharing = [c for c in councils if c["sharing"]]
    counties = [c for c in sharing if c["type"] == "County"]
    assert spec["title"]["text"] == (
        f"{len(sharing) - len(counties)} districts and unitaries sharing "
        f"(and {len(counties)} county councils)"
    )
    assert len(sharing) == latest["councils"]
    drawn = spec["datasets"]["council-figures"]
    assert len(drawn) == len(councils) - len(counties_of(councils))
    assert {d["code"] for d in drawn if d["Band"] == "Sharing services"} == {
        c["gss_code"] for c in sharing if c["type"] != "County"
    }


def counties_of(councils: list[dict]) -> list[dict]:
    return [c for c in councils if c["type"] == "County"]


def test_every_screen_leads_on_its_datas_period_then_names_its_upload(sample_engine):
    uploads = queries.current_uploads(engine=sample_engine)
    for screen in all_screens(sample_engine):
        upload = next(u for u in uploads if u["workstream"] == screen.workstream)
        when = format_date(upload["uploaded_at"].date())
        words = f"igures from the upload of {when} by {upload['uploaded_by']}"
        assert screen.source.endswith(words), screen.source
        assert screen.source.startswith(screen.card.as_at), screen.source
        assert "upload #" not in screen.source and "As at" not in screen.source


def test_the_source_line_names_who_uploaded_the_figures():
    card = Card("Capital and Assets Programme", "capital_assets.py", as_at="Financial year 2013/14")
    upload = {
        "upload_id": 2,
        "workstream": "capital_assets",
        "uploaded_at": dt.datetime(2013, 3, 3, 9, 30),
        "uploaded_by": "Jane Smith",
    }
    assert source_line(card, "capital_assets", [upload]) == (
        "Financial year 2013/14 · figures from the upload of 3 March 2013 by Jane Smith"
    )


def test_the_shared_services_screen_reads_the_report_figures_from_the_maps_upload(sample_engine):
    screen = next(s for s in all_screens(sample_engine) if s.slug == "shared-services")
    assert [f.value for f in screen.card.figures] == ["337", "325", "£278m"]
    assert screen.source.startswith("Map of 31 January 2013 · figures from the upload of ")
    assert screen.sentences[0].startswith("At least 337 councils in 325 arrangements")


def test_a_new_upload_is_the_source_its_screen_names_and_a_rollback_undoes_that(sample_engine):
    new = store_new_edition(sample_engine)
    screen = next(s for s in all_screens(sample_engine) if s.slug == "shared-services")
    assert screen.card.upload_id == new.id
    assert screen.source.startswith("Map of 31 March 2014 · figures from the upload of ")
    rollback(engine=sample_engine, upload_id=new.id, actor=command_line("test"))
    assert new.id not in [u["upload_id"] for u in queries.current_uploads(engine=sample_engine)]
    screen = next(s for s in all_screens(sample_engine) if s.slug == "shared-services")
    assert screen.card.upload_id != new.id
    assert "Map of 31 January 2013" in screen.source


def test_the_tenancy_fraud_screen_names_every_pilot_group_then_the_outcomes(sample_engine):
    screen = next(s for s in all_screens(sample_engine) if s.slug == "tenancy-fraud")
    pilots = queries.fraud_pilots(engine=sample_engine)
    assert len(screen.sentences) == len(pilots) + 2  # the groups, the outcomes, the status
    assert "properties recovered" in screen.sentences[len(pilots)]


def test_the_ebulletin_screen_does_not_repeat_its_top_link(sample_engine):
    screen = next(s for s in all_screens(sample_engine) if s.slug == "ebulletin")
    assert len(screen.sentences) == 1
    assert "top link" in screen.sentences[0]


def test_an_empty_database_gives_screens_that_say_nothing_is_uploaded(empty_engine):
    shown = all_screens(empty_engine)
    # A section's further screens (the map) wait for its figures.
    assert len(shown) == len(registry.board_sections())
    assert {s.source for s in shown} == {"No figures uploaded yet"}
    assert all(s.sentences == [] and s.card.empty_workstream for s in shown)


def due_for(engine, meets_on: dt.date, actions_carried=()) -> Due:
    missing = returns.missing_before(engine=engine, on=TODAY, meeting=meets_on)
    return Due(meets_on, f"before {meets_on}", missing, list(actions_carried))


def test_a_registered_meeting_closes_the_screens_with_what_is_due(sample_engine):
    figures = queries.metrics(engine=sample_engine, today=TODAY)
    milestones = queries.milestones(engine=sample_engine, today=TODAY)
    uploads = queries.current_uploads(engine=sample_engine)
    due = due_for(sample_engine, dt.date(2014, 7, 10))
    shown = screens(figures, milestones, uploads, due)
    assert [s.card.title for s in shown] == [*(s.card.title for s in all_screens(sample_engine)),
                                             "What is due"]  # fmt: skip
    closing = shown[-1]
    assert closing.due is due and not closing.leads
    assert closing.source == "For the meeting of 10 July 2014"
    assert due.returns, "the samples are a year old by July 2014: returns are due"
    assert closing.sentences[: len(due.returns)] == [r.sentence for r in due.returns]
    assert closing.sentences[-1] == "No actions were carried from the last meeting."
    assert [s.leads for s in shown if s.slug.startswith("shared-services")] == [True, False]


def test_the_closing_screen_lists_each_action_with_its_owner_due_date_and_status():
    action = SimpleNamespace(
        text="Write to the councils", owner="Jo", due_on=dt.date(2013, 5, 1), status="open"
    )
    bare = SimpleNamespace(text="Publish the map", owner="", due_on=None, status="done")
    due = Due(dt.date(2013, 7, 10), "on 10 July 2013", [], [action, bare])
    assert due.return_lines == ["No return is due on 10 July 2013."]
    assert due.action_lines == [
        "Write to the councils (Jo, by 1 May 2013): open",
        "Publish the map: done",
    ]
