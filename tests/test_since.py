"""Since the last meeting: what the version history says changed between two days."""

import datetime as dt

import openpyxl
import pytest
import sqlalchemy as sa

from lgadata import queries
from lgadata.auth import command_line
from lgadata.bootstrap import SAMPLES_DIR
from lgadata.meetings import add_meeting
from lgadata.models import Upload
from lgadata.returns import missing_before, returns_due
from lgadata.since import headline_figures, since, since_last_meeting
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


def test_after_an_upload_a_rollback_and_a_reupload_only_the_upload_that_left_the_change_is_listed(
    before_march,
):
    wrong = load(before_march, map_edition(("A", "Stroud", 10), ("C", "Camden", 1)), "2013-04-02")
    undo(before_march, wrong, "2013-04-03")
    three = map_edition(("A", "Stroud", 10), ("B", "Stroud", 20), ("C", "Camden", 1_200_000))
    load(before_march, three, "2013-04-04", name="map v3.xlsx")

    report = shared(since(engine=before_march, start=MARCH, end=JULY))

    assert [(u.kind, u.version, u.file_name, u.uploaded_by) for u in report.uploads] == [
        ("upload", 4, "map v3.xlsx", "officer@example.gov.uk"),
    ]
    assert report.uploads[0].periods_text == "map edition 31 January 2013"
    assert report.uploads[0].when == "4 April 2013 11:00"
    assert report.sentences == (
        "Map edition 31 January 2013: 1 arrangement added in London, savings +£1.2m.",
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
        "Map edition 31 January 2013: 1 arrangement removed in the South West, 1 changed, "
        "savings -£18."
    )


def test_a_workstream_with_nothing_new_says_since_when(before_march):
    report = since(engine=before_march, start=MARCH, end=JULY)
    keys = (
        "shared_services",
        "capital_assets",
        "tenancy_fraud",
        "ebulletin",
        "programme_milestones",
    )
    nothing = ("Nothing reported since 20 March 2013.",)
    assert {w.workstream: w.sentences for w in report} == dict.fromkeys(keys, nothing)
    assert all(w.nothing_new and not w.changes for w in report)


def test_an_upload_undone_before_the_meeting_leaves_the_figures_as_they_were(before_march):
    wrong = load(before_march, map_edition(("Z", "Camden", 5)), "2013-04-02")
    undo(before_march, wrong, "2013-04-03")
    report = shared(since(engine=before_march, start=MARCH, end=JULY))
    assert report.sentences == ("2 uploads since 20 March 2013 left the figures as they were.",)


def test_a_new_edition_is_read_against_the_one_before_and_later_uploads_do_not_count(
    before_march,
):
    load(before_march, map_edition(("N", "Camden", 5), edition="2013-04-30"), "2013-05-01")
    load(before_march, map_edition(("M", "Camden", 9), edition="2013-08-31"), "2013-09-01")

    report = shared(since(engine=before_march, start=MARCH, end=JULY))
    assert report.sentences == (
        "Map edition 30 April 2013 is new: against map edition 31 January 2013, 1 arrangement "
        "added in London, 2 removed in the South West, savings -£25.",
    )
    assert len(shared(since(engine=before_march, start=MARCH)).changes) == 2


def test_the_later_day_given_first_is_refused(empty_engine):
    with pytest.raises(ValueError, match="20 March 2013 is before 10 July 2013"):
        since(engine=empty_engine, start=JULY, end=MARCH)


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


def test_with_the_samples_the_july_meeting_sees_the_new_map_and_bulletin_and_what_is_due(
    sample_engine,
):
    with sample_engine.begin() as conn:
        conn.execute(sa.update(Upload).values(uploaded_at=on("2013-03-01")))
    add_meeting(engine=sample_engine, by=OFFICER, meets_on=MARCH, title="Board")
    july = add_meeting(engine=sample_engine, by=OFFICER, meets_on=JULY, title="Board")
    new_map = sample_map_with_two_arrangements_in_the_east_of_england(edition="2013-05-31")
    map_upload = check_and_store(
        sample_engine, new_map, workstream="shared_services", file_name="map May 2013.xlsx"
    )
    dated(sample_engine, map_upload, on("2013-06-05"))
    bulletin = check_and_store(
        sample_engine, JUNE_BULLETIN, workstream="ebulletin", file_name="June bulletin.xlsx"
    )
    dated(sample_engine, bulletin, on("2013-06-21"))

    report = {w.workstream: w for w in since_last_meeting(engine=sample_engine, meeting=july)}

    bulletin = "Improvement and Innovation Board e-bulletin"
    assert {key: w.sentences for key, w in report.items()} == {
        "shared_services": (
            "Map edition 31 May 2013 is new: against map edition 31 January 2013, 2 "
            "arrangements added in the East of England, savings +£1.2m.",
        ),
        "capital_assets": ("Nothing reported since 20 March 2013.",),
        "tenancy_fraud": ("Nothing reported since 20 March 2013.",),
        # The samples' bulletins sent after 20 March were not at that meeting: dated by the
        # day each was sent, whenever uploaded.
        "ebulletin": (
            f"{bulletin}, March 2013 (sent on 21 March 2013) is new: 10 links.",
            f"{bulletin}, April 2013 (sent on 25 April 2013) is new: 11 links.",
            f"{bulletin}, May 2013 (sent on 23 May 2013) is new: 8 links.",
            f"{bulletin}, June 2013 (sent on 20 June 2013) is new: 2 links.",
        ),
        "programme_milestones": ("Nothing reported since 20 March 2013.",),
    }
    [seen] = report["shared_services"].uploads
    assert (seen.file_name, seen.uploaded_by, seen.when, seen.periods_text) == (
        "map May 2013.xlsx",
        "test",
        "5 June 2013 11:00",
        "map edition 31 May 2013",
    )
    moved = {
        (f["card"], f["figure"]): (f["then"], f["now"])
        for f in headline_figures(engine=sample_engine, start=MARCH, end=JULY)
        if f["changed"]
    }
    assert moved == {
        ("Shared Services Map", "Arrangements"): ("325", "327"),
        ("Shared Services Map", "Efficiency savings"): ("£278m", "£279.2m"),
        ("E-bulletin statistics", "Views, latest bulletin"): ("5,374", "1,200"),
        ("E-bulletin statistics", "Top link's share"): ("14%", "75%"),
        ("E-bulletin statistics", "Programme page on top"): ("2 of last 2", "5 of last 5"),
    }
    due = {r.workstream: (r.status, r.next_due) for r in returns_due(engine=sample_engine, on=JULY)}
    assert due == {
        # By the data's dates: a year after the May edition, a month after the June bulletin;
        # the budget and the pilots' data carry none, so by their upload's day.
        "shared_services": ("not due", dt.date(2014, 5, 31)),
        "capital_assets": ("not due", dt.date(2014, 3, 1)),
        "tenancy_fraud": ("overdue", dt.date(2013, 6, 1)),
        "ebulletin": ("not due", dt.date(2013, 7, 20)),
        "programme_milestones": ("overdue", dt.date(2013, 6, 1)),
    }
    before_october = missing_before(engine=sample_engine, on=JULY, meeting=dt.date(2013, 10, 9))
    assert [r.sentence for r in before_october] == [
        "Housing Tenancy Fraud Pilot: last return tenancy_fraud.xlsx from sample data, "
        "1 March 2013 10:00; overdue since 1 June 2013.",
        "E-bulletin statistics: last return June bulletin.xlsx from test, Improvement and "
        "Innovation Board e-bulletin, June 2013 (sent on 20 June 2013); due by 20 July 2013.",
        "Programme milestones and procurement: last return programme.xlsx from sample data, "
        "1 March 2013 10:00; overdue since 1 June 2013.",
    ]


JUNE_BULLETIN = make_xlsx(
    {
        "Links": [
            ["bulletin", "sent_on", "url", "link_text", "views", "unique_views"],
            *(
                ["Improvement and Innovation Board e-bulletin, June 2013", dt.date(2013, 6, 20)]
                + link
                for link in (
                    ["https://www.local.gov.uk/productivity", "Productivity Programme", 900, 600],
                    ["https://www.local.gov.uk/peer-challenge", "Peer challenge", 300, 200],
                )
            ),
        ]
    }
)


def sample_map_with_two_arrangements_in_the_east_of_england(*, edition: str) -> bytes:
    """The sample's January 2013 edition again as a new edition, with two arrangements more."""
    sheet = openpyxl.load_workbook(SAMPLES_DIR / "shared_services.xlsx")["Arrangements"]
    header, *rows = (list(row) for row in sheet.iter_rows(values_only=True))
    day = dt.datetime.fromisoformat(edition)
    edition_rows = [[day, *row[1:]] for row in rows if row[0] == dt.datetime(2013, 1, 31)]
    start = dt.datetime(2013, 4, 1)
    edition_rows += [
        [day, "Norfolk and Suffolk legal", "Norfolk CC", "Suffolk CC", "Legal", "", start, 700_000],
        [day, "Broadland and South Norfolk", "Broadland DC", "South Norfolk DC", "Legal", "", start]
        + [500_000],
    ]
    return make_xlsx({"Arrangements": [header, *edition_rows]})


def test_a_rolled_back_upload_is_not_a_return_and_a_workstream_never_sent_is_said_so(
    before_march,
):
    wrong = load(before_march, map_edition(("Z", "Camden", 5)), "2013-04-02")
    undo(before_march, wrong, "2013-04-03")
    # The edition of 31 January 2013 is due again a year after its date.
    due = {r.workstream: r for r in returns_due(engine=before_march, on=dt.date(2014, 1, 31))}
    assert (due["shared_services"].upload_id, due["shared_services"].status) == (1, "due")
    assert due["shared_services"].next_due == dt.date(2014, 1, 31)
    assert due["ebulletin"].status == "none received"
    assert due["ebulletin"].sentence == "E-bulletin statistics: no return received yet (monthly)."
    later = returns_due(engine=before_march, on=dt.date(2014, 2, 1))
    assert later[0].sentence.endswith("overdue since 31 January 2014.")


def fraud_outcomes(*quarters: str) -> bytes:
    pilots = [["pilot", "council", "lead", "status"], ["North", "Leeds", "yes", "Live"]]
    outcomes = [["pilot", "period", "referrals"], *(["North", q, 3] for q in quarters)]
    return make_xlsx({"Pilots": pilots, "Outcomes": outcomes})


def test_a_quarters_return_is_due_once_the_next_quarter_is_over_whenever_it_was_uploaded(
    empty_engine,
):
    # Judged by the day of upload, Apr to Jun's outcomes sent on 15 July were due again by 15
    # October; judged by the quarter's first day, they were overdue on the day they came in.
    upload = check_and_store(
        empty_engine,
        fraud_outcomes("2013-Q1", "2013-Q2"),
        workstream="tenancy_fraud",
        file_name="outcomes.xlsx",
        actor=OFFICER,
    )
    dated(empty_engine, upload, on("2013-07-15"))

    def fraud(day: dt.date):
        return next(
            r for r in returns_due(engine=empty_engine, on=day) if r.workstream == "tenancy_fraud"
        )

    in_july = fraud(dt.date(2013, 7, 16))
    assert (in_july.status, in_july.next_due) == ("not due", dt.date(2013, 9, 30))
    assert in_july.when == "outcomes for Apr to Jun 2013"
    assert in_july.sentence.endswith("next by 30 September 2013.")
    assert fraud(dt.date(2013, 9, 30)).status == "due"
    assert fraud(dt.date(2013, 10, 1)).status == "overdue"
    # The same file loaded again years later is not a new return.
    again = check_and_store(
        empty_engine,
        fraud_outcomes("2013-Q1", "2013-Q2", "2013-Q3"),
        workstream="tenancy_fraud",
        file_name="outcomes again.xlsx",
        actor=OFFICER,
    )
    dated(empty_engine, again, on("2016-01-05"))
    later = fraud(dt.date(2016, 1, 6))
    assert (later.status, later.next_due, later.file_name) == (
        "overdue",
        dt.date(2013, 12, 31),
        "outcomes again.xlsx",
    )
