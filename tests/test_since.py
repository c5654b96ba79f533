"""Since the last meeting: what the version history says changed between two days."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lgadata import queries
from lgadata.auth import command_line
from lgadata.models import Upload
from lgadata.since import headline_figures, since
from lgadata.store import rollback
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx

MARCH, JULY = dt.date(2013, 3, 20), dt.date(2013, 7, 10)
OFFICER = command_line("officer@example.gov.uk")


def on(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=dt.UTC)


def dated(engine, upload: Upload, when: dt.datetime) -> Upload:
    """Say an upload was made at a moment: these histories are built by hand."""
    with engine.begin() as conn:
        conn.execute(sa.update(Upload).where(Upload.id == upload.id).values(uploaded_at=when))
    return upload


def map_edition(*rows, edition="2013-01-31") -> bytes:
    body = [
        [edition, name, lead, "", "Legal", "", "", savings, "", ""] for name, lead, savings in rows
    ]
    return make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *body]})


def load(engine, data: bytes, when: str, name="map.xlsx") -> Upload:
    upload = check_and_store(
        engine, data, workstream="shared_services", file_name=name, actor=OFFICER
    )
    return dated(engine, upload, on(when))


def undo(engine, upload: Upload, when: str) -> Upload:
    return dated(engine, rollback(engine=engine, upload_id=upload.id, actor=OFFICER), on(when))


def shared(report):
    return next(w for w in report if w.workstream == "shared_services")


@pytest.fixture
def before_march(empty_engine):
    """The map as the March meeting knew it: two arrangements in Stroud."""
    load(empty_engine, map_edition(("A", "Stroud", 10), ("B", "Stroud", 20)), "2013-03-01")
    return empty_engine


def test_an_upload_a_rollback_and_a_reupload_are_listed_and_only_their_net_effect_counts(
    before_march,
):
    wrong = load(before_march, map_edition(("A", "Stroud", 10), ("C", "Camden", 1)), "2013-04-02")
    undo(before_march, wrong, "2013-04-03")
    three = map_edition(("A", "Stroud", 10), ("B", "Stroud", 20), ("C", "Camden", 1_200_000))
    load(before_march, three, "2013-04-04", name="map v3.xlsx")

    report = shared(since(engine=before_march, start=MARCH, end=JULY))

    assert [(u.kind, u.version, u.file_name, u.uploaded_by) for u in report.uploads] == [
        ("upload", 2, "map.xlsx", "officer@example.gov.uk"),
        ("rollback", 3, "map.xlsx", "officer@example.gov.uk"),
        ("upload", 4, "map v3.xlsx", "officer@example.gov.uk"),
    ]
    assert {u.periods_text for u in report.uploads} == {"31 January 2013"}
    assert report.uploads[0].when == "2 April 2013 11:00"
    assert report.sentences == (
        "Map edition 31 January 2013: 1 arrangement added in London; savings +£1.2m.",
    )


def test_a_period_replaced_twice_is_compared_with_what_the_earlier_meeting_saw(before_march):
    load(before_march, map_edition(("A", "Stroud", 15), ("B", "Stroud", 20)), "2013-04-02")
    load(before_march, map_edition(("A", "Stroud", 12)), "2013-05-02")

    [moved] = shared(since(engine=before_march, start=MARCH, end=JULY)).changes

    assert [r["arrangement"] for r in moved.diff.removed] == ["B"]
    assert [
        (c["before"]["savings_gbp"], c["after"]["savings_gbp"]) for c in moved.diff.changed
    ] == [(10, 12)]
    assert moved.sentence == (
        "Map edition 31 January 2013: 1 arrangement removed in the South West, 1 changed; "
        "savings -£18."
    )


def test_a_workstream_with_nothing_new_says_since_when(before_march):
    report = since(engine=before_march, start=MARCH, end=JULY)
    keys = ("shared_services", "capital_assets", "tenancy_fraud", "ebulletin", "programme")
    nothing = ("Nothing reported since 20 March 2013.",)
    assert {w.workstream: w.sentences for w in report} == dict.fromkeys(keys, nothing)
    assert all(w.nothing_new and not w.changes for w in report)


def test_an_upload_undone_before_the_meeting_leaves_the_figures_as_they_were(before_march):
    wrong = load(before_march, map_edition(("Z", "Camden", 5)), "2013-04-02")
    undo(before_march, wrong, "2013-04-03")
    report = shared(since(engine=before_march, start=MARCH, end=JULY))
    assert report.sentences == ("2 uploads since 20 March 2013 left the figures as they were.",)


def test_a_new_edition_is_new_and_uploads_after_the_later_meeting_do_not_count(before_march):
    load(before_march, map_edition(("N", "Camden", 5), edition="2013-04-30"), "2013-05-01")
    load(before_march, map_edition(("M", "Camden", 9), edition="2013-08-31"), "2013-09-01")

    report = shared(since(engine=before_march, start=MARCH, end=JULY))
    assert report.sentences == ("Map edition 30 April 2013 is new: 1 arrangement; savings +£5.",)
    assert len(shared(since(engine=before_march, start=MARCH)).changes) == 2


def test_an_upload_on_the_day_of_a_meeting_is_known_to_that_meeting(before_march):
    load(before_march, map_edition(("N", "Camden", 5), edition="2013-03-20"), "2013-03-20")
    assert shared(since(engine=before_march, start=MARCH, end=JULY)).nothing_new
    assert len(shared(since(engine=before_march, start=dt.date(2013, 3, 19))).changes) == 1


def test_headline_queries_give_the_figures_as_known_at_a_moment(before_march):
    load(before_march, map_edition(("A", "Stroud", 10)), "2013-04-02")

    then = queries.shared_services_editions(engine=before_march, known_at=on("2013-03-21"))
    assert [(e["arrangements"], e["savings_gbp"]) for e in then] == [(2, 30.0)]
    assert [e["arrangements"] for e in queries.shared_services_editions(engine=before_march)] == [1]
    assert queries.shared_services_editions(engine=before_march, known_at=on("2013-02-01")) == []


def test_each_headline_figure_is_given_at_the_meeting_and_now(before_march):
    load(before_march, map_edition(("A", "Stroud", 10)), "2013-04-02")
    figures = {
        (f["card"], f["figure"]): f for f in headline_figures(engine=before_march, start=MARCH)
    }
    arrangements = figures[("Shared Services Map", "Arrangements")]
    assert (arrangements["then"], arrangements["now"], arrangements["changed"]) == ("2", "1", True)
    savings = figures[("Shared Services Map", "Efficiency savings")]
    assert (savings["then"], savings["now"], savings["changed"]) == ("£30", "£10", True)
