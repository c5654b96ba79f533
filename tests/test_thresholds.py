"""Thresholds on headline figures: which an upload crosses, and the reason it then needs.

Both databases. Each file is checked as an upload would be, then compared with the data as it
stands; storing it is refused without a reason and keeps the reason when one is given.
"""

import datetime as dt
import json
import threading
import time

import pytest
import sqlalchemy as sa

from lgadata import queries, thresholds
from lgadata.auth import Actor, Role
from lgadata.ingest import check_bytes
from lgadata.meetings import add_meeting
from lgadata.models import AuditEvent, Upload
from lgadata.paper import build_paper, render_docx, render_pdf
from lgadata.sections.registry import SECTIONS
from lgadata.store import ReasonNeeded, StoreError, store_upload
from lgadata.workstreams import WORKSTREAMS
from tests.conftest import save_accounts
from tests.test_paper import docx_lines, pdf_lines
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx

OFFICER = Actor("officer@example.gov.uk", Role.OFFICER)
MARCH, JULY = dt.date(2013, 3, 20), dt.date(2013, 7, 10)

BUDGET = ["financial_year", "line", "category", "budget_gbp", "spent_gbp"]
PILOTS = ["pilot", "council", "lead", "status", "next_milestone", "rag"]


def map_edition(as_at: str, savings: float) -> tuple[str, bytes]:
    row = [as_at, "A", "Stroud", "", "Legal", "", "", savings, "", ""]
    return "shared_services", make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, row]})


def budget(*lines: tuple[str, float, float]) -> tuple[str, bytes]:
    rows = [["2013/14", name, "Other", spent_of, spent] for name, spent_of, spent in lines]
    return "capital_assets", make_xlsx({"Budget": [BUDGET, *rows]})


def pilots(*groups: tuple[str, str]) -> tuple[str, bytes]:
    rows = [[name, "Stroud", "yes", "Live", "", rag] for name, rag in groups]
    return "tenancy_fraud", make_xlsx({"Pilots": [PILOTS, *rows]})


def parse(file: tuple[str, bytes]):
    workstream, data = file
    parsed = check_bytes(data, f"{workstream}.xlsx", workstream=workstream, isolate=False)
    assert parsed.ok, [str(p) for p in parsed.errors]
    return parsed


def store(engine, file: tuple[str, bytes], **kw):
    workstream, data = file
    return check_and_store(
        engine, data, workstream=workstream, file_name=f"{workstream}.xlsx", **kw
    )


@pytest.mark.parametrize(
    ("first", "then", "crossed"),
    [
        (map_edition("2013-01-31", 100_000), map_edition("2013-06-30", 109_000), []),
        (map_edition("2013-01-31", 100_000), map_edition("2013-06-30", 111_000), [
            "Efficiency savings would move from £100,000 to £111,000 (+11%), more than the "
            "10% that needs a reason."
        ]),
        (map_edition("2013-01-31", 100_000), map_edition("2013-01-31", 80_000), [
            "Efficiency savings would move from £100,000 to £80,000 (-20%), more than the "
            "10% that needs a reason."
        ]),
        # An edition older than the latest leaves the headline figure where it is.
        (map_edition("2013-01-31", 100_000), map_edition("2012-01-31", 5), []),
        (budget(("Events", 100, 90)), budget(("Events", 100, 100)), []),
        (budget(("Events", 100, 90)), budget(("Events", 100, 120), ("Advice", 50, 10)), [
            "The budget line Events (2013/14) would be overspent: £120 spent of a £100 budget."
        ]),
        (budget(("Events", 100, 90)), budget(("Events", 100, 90), ("Advice", 50, 60)), [
            "The budget line Advice (2013/14) would be overspent: £60 spent of a £50 budget."
        ]),
        (budget(("Events", 100, 120)), budget(("Events", 100, 130)), []),  # overspent already
        (pilots(("North", "Amber")), pilots(("North", "Red")), [
            "The RAG status of the pilot group North would turn red (it was amber)."
        ]),
        (pilots(("North", "Amber")), pilots(("North", "Amber"), ("South", "Red")), [
            "The RAG status of the pilot group South would turn red (it had no status)."
        ]),
        (pilots(("North", "Red")), pilots(("North", "Red")), []),
        (pilots(("North", "Red")), pilots(("North", "Green")), []),
    ],
)  # fmt: skip
def test_an_upload_crosses_the_thresholds_its_figures_declare(empty_engine, first, then, crossed):
    store(empty_engine, first)
    found = thresholds.crossings(engine=empty_engine, parsed=parse(then))
    assert [c.words for c in found] == crossed
    assert len(queries.history(engine=empty_engine)) == 1  # the preview stored nothing


def test_the_first_map_edition_has_no_savings_to_move_from(empty_engine):
    parsed = parse(map_edition("2013-01-31", 5))
    assert thresholds.crossings(engine=empty_engine, parsed=parsed) == []


def test_storing_a_crossing_upload_without_a_reason_stores_nothing(empty_engine):
    store(empty_engine, pilots(("North", "Amber")))
    with pytest.raises(ReasonNeeded, match="needs a one-line reason") as refused:
        store(empty_engine, pilots(("North", "Red")), reason="  ")
    assert [c.section for c in refused.value.crossings] == ["tenancy_fraud"]
    assert len(queries.history(engine=empty_engine)) == 1
    assert queries.fraud_pilots(engine=empty_engine)[0]["rag"] == "Amber"


def test_the_reason_is_kept_with_the_upload_its_crossings_and_the_audit(empty_engine):
    store(empty_engine, pilots(("North", "Amber")))
    upload = store(
        empty_engine, pilots(("North", "Red")), reason="Two councils\nleft the <b>pilot</b>"
    )
    [entry] = queries.history(engine=empty_engine, limit=1)
    assert entry["reason"] == upload.reason == "Two councils left the <b>pilot</b>"
    assert entry["crossings"] == [
        "The RAG status of the pilot group North would turn red (it was amber)."
    ]
    with empty_engine.connect() as conn:
        detail = conn.execute(
            sa.select(AuditEvent.detail).where(AuditEvent.action == "upload")
        ).scalars()
        audited = [json.loads(d) for d in detail]
    assert audited[-1]["reason"] == "Two councils left the <b>pilot</b>"
    assert audited[-1]["crossings"] == 1
    [given] = thresholds.given_reasons(engine=empty_engine, workstreams=("tenancy_fraud",))
    assert given.upload_id == upload.id and given.crossings == tuple(entry["crossings"])


def test_a_reason_longer_than_one_line_allows_is_refused(empty_engine):
    store(empty_engine, pilots(("North", "Amber")))
    with pytest.raises(StoreError, match="at most 200 characters"):
        store(empty_engine, pilots(("North", "Red")), reason="x" * 201)
    with empty_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(Upload)).scalar_one() == 1


def test_every_threshold_belongs_to_a_workstream_its_section_draws_on():
    declared = [(s, t) for s in SECTIONS for t in s.thresholds]
    assert {t.workstream for _, t in declared} == {
        "shared_services",
        "capital_assets",
        "tenancy_fraud",
    }
    assert all(t.workstream in s.workstreams and t.workstream in WORKSTREAMS for s, t in declared)


def test_the_reasons_since_the_meeting_before_join_the_sections_commentary_and_paper(
    empty_engine,
):
    save_accounts(empty_engine, OFFICER)
    for day in (MARCH, JULY):
        add_meeting(engine=empty_engine, by=OFFICER, meets_on=day, title="Board")
    first = store(empty_engine, pilots(("North", "Amber")))
    early = store(empty_engine, pilots(("North", "Red")), reason="Before March")
    green = store(empty_engine, pilots(("North", "Green")))
    late = store(
        empty_engine, pilots(("North", "Red"), ("South", "Red")), reason="Stroud <i>withdrew</i>"
    )
    # In the order made: a reason counts where its upload brought a change the July meeting
    # has and the March one had not (the board saw North red in March already).
    dates = (
        (first, "2013-01-01"),
        (early, "2013-02-01"),
        (green, "2013-04-01"),
        (late, "2013-05-01"),
    )
    with empty_engine.begin() as conn:
        for upload, when in dates:
            moment = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)
            conn.execute(sa.update(Upload).where(Upload.id == upload.id).values(uploaded_at=moment))
    line = "Reason given with Housing Tenancy Fraud Pilot version 4 (test, 1 May 2013): "
    assert thresholds.reasons_for_meeting(
        engine=empty_engine, section="tenancy_fraud", meeting_date=JULY
    ) == [line + "Stroud <i>withdrew</i>"]
    assert (
        thresholds.reasons_for_meeting(
            engine=empty_engine, section="shared_services", meeting_date=JULY
        )
        == []
    )
    paper = build_paper(engine=empty_engine, meeting_date=JULY)
    [fraud] = [s for s in paper.sections if s.key == "tenancy_fraud"]
    assert fraud.note == line + "Stroud <i>withdrew</i>"
    assert "Stroud <i>withdrew</i>" in " ".join(docx_lines(render_docx(paper)))
    assert "Stroud <i>withdrew</i>" in " ".join(pdf_lines(render_pdf(paper)))


def test_a_reasoned_upload_queues_behind_another_writer_instead_of_failing(empty_engine):
    """Another upload holds the write lock and then commits: a store that checks
    thresholds waits its turn and stores (CI saw two loaders at once end in "database is
    locked" on SQLite, when the threshold read came before the workstream's lock)."""
    store(empty_engine, pilots(("North", "Amber")))
    parsed = parse(pilots(("North", "Red")))
    other = empty_engine.connect()
    writing = other.begin()
    # The other writer's first statement, as _next_version's: it holds the lock.
    other.execute(
        sa.text("UPDATE workstream_state SET version = version WHERE workstream = :w"),
        {"w": "tenancy_fraud"},
    )
    done, failed = [], []

    def load() -> None:
        try:
            done.append(store_upload(engine=empty_engine, parsed=parsed, content=b"",
                                     actor=OFFICER, reason="Red since May"))  # fmt: skip
        except Exception as error:  # reported below, from this thread
            failed.append(error)

    loader = threading.Thread(target=load)
    loader.start()
    time.sleep(1.0)  # the loader is waiting on the lock by now
    other.execute(sa.text("UPDATE upload SET note = note"))  # a change the loader must see
    writing.commit()
    other.close()
    loader.join(timeout=60)
    assert failed == [] and len(done) == 1, failed
    assert queries.fraud_pilots(engine=empty_engine)[0]["rag"] == "Red"


def test_only_a_workstream_given_a_reason_is_said_to_have_one(empty_engine):
    # The section pages skip reading a comparison for its reasons when none was ever given.
    store(empty_engine, pilots(("North", "Amber")))
    assert not thresholds.any_given(engine=empty_engine, workstreams=("tenancy_fraud",))
    store(empty_engine, pilots(("North", "Red")), reason="Two councils left the pilot")
    assert thresholds.any_given(engine=empty_engine, workstreams=("tenancy_fraud",))
    assert not thresholds.any_given(engine=empty_engine, workstreams=("shared_services",))
