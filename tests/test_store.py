"""Storing uploads: versions, periods, rollback, and nothing half-done. Both databases."""

import json

import pytest
import sqlalchemy as sa

from lgadata import queries
from lgadata.auth import command_line
from lgadata.ingest import check_bytes
from lgadata.models import DATA_TABLES, Upload, UploadFile
from lgadata.store import StoreError, VersionConflict, rollback, store_upload
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx


def arrangements(as_at: str, *rows: tuple[str, str, float | None]) -> bytes:
    body = [
        [as_at, name, lead, "", "Legal", "", "", savings, "", ""] for name, lead, savings in rows
    ]
    return make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *body]})


OFFICER = command_line("officer@example.gov.uk")


def load(engine, data: bytes, *, actor=OFFICER, **kw):
    return check_and_store(
        engine, data, workstream="shared_services", file_name="map.xlsx", actor=actor, **kw
    )


def editions(engine) -> dict[str, tuple[int, float]]:
    return {
        e["as_at"]: (e["arrangements"], e["savings_gbp"])
        for e in queries.shared_services_editions(engine=engine)
    }


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for name, table in {**DATA_TABLES, "upload": Upload.__table__}.items()
        }


def test_an_upload_is_recorded_with_its_file_hash_actor_and_version(empty_engine):
    data = arrangements("2013-01-31", ("A", "Stroud", 100))
    upload = load(empty_engine, data)
    [entry] = queries.history(engine=empty_engine)
    assert entry["id"] == upload.id and entry["version"] == 1
    assert entry["uploaded_by"] == "officer@example.gov.uk"
    assert entry["rows"] == 1
    assert entry["summary"] == {"Arrangements": {"rows": 1, "periods": ["2013-01-31"]}}
    assert len(entry["sha256"]) == 64
    with empty_engine.connect() as conn:
        kept = conn.execute(sa.select(UploadFile.content)).scalar_one()
    assert kept == data


def test_an_upload_replaces_only_the_periods_it_contains(empty_engine):
    load(empty_engine, arrangements("2011-11-30", ("Old", "Stroud", 5)))
    load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10), ("B", "Camden", 20)))
    load(empty_engine, arrangements("2013-01-31", ("C", "Stroud", 7)))
    assert editions(empty_engine) == {"2011-11-30": (1, 5.0), "2013-01-31": (1, 7.0)}


def test_a_rollback_restores_the_figures_before_the_upload_and_is_recorded(empty_engine):
    load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10), ("B", "Camden", 20)))
    second = load(empty_engine, arrangements("2013-01-31", ("C", "Stroud", 7)))
    event = rollback(engine=empty_engine, upload_id=second.id, actor=command_line("admin"))
    assert editions(empty_engine) == {"2013-01-31": (2, 30.0)}
    assert event.version == 3 and event.rolls_back == second.id
    assert json.loads(event.summary)["restored"] == [
        {"sheet": "Arrangements", "period": "2013-01-31", "now": second.id - 1}
    ]
    kinds = [(h["version"], h["kind"]) for h in queries.history(engine=empty_engine)]
    assert kinds == [(3, "rollback"), (2, "upload"), (1, "upload")]


def test_rolling_back_the_first_upload_of_a_period_leaves_it_empty(empty_engine):
    first = load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10)))
    rollback(engine=empty_engine, upload_id=first.id, actor=command_line("admin"))
    assert editions(empty_engine) == {}


def test_a_rollback_leaves_periods_that_a_later_upload_replaced(empty_engine):
    first = load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10)))
    load(empty_engine, arrangements("2013-01-31", ("B", "Stroud", 3)))
    event = rollback(engine=empty_engine, upload_id=first.id, actor=command_line("admin"))
    assert editions(empty_engine) == {"2013-01-31": (1, 3.0)}
    assert json.loads(event.summary)["restored"] == []


def test_an_upload_cannot_be_rolled_back_twice(empty_engine):
    first = load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10)))
    rollback(engine=empty_engine, upload_id=first.id, actor=command_line("admin"))
    with pytest.raises(StoreError, match="already rolled back"):
        rollback(engine=empty_engine, upload_id=first.id, actor=command_line("admin"))


def test_a_file_with_errors_stores_nothing(empty_engine):
    data = arrangements("2013-01-31", ("A", "Nowhere Council", 10))
    parsed = check_bytes(data, "map.xlsx", workstream="shared_services", isolate=False)
    before = table_counts(empty_engine)
    with pytest.raises(StoreError, match="nothing was stored"):
        store_upload(engine=empty_engine, parsed=parsed, content=data, actor=command_line("x"))
    assert table_counts(empty_engine) == before


def test_a_failure_part_way_through_a_store_leaves_no_trace(empty_engine, monkeypatch):
    data = arrangements("2013-01-31", ("A", "Stroud", 10))
    parsed = check_bytes(data, "map.xlsx", workstream="shared_services", isolate=False)
    before = table_counts(empty_engine)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("lgadata.store._set_current", fail)
    with pytest.raises(RuntimeError):
        store_upload(engine=empty_engine, parsed=parsed, content=data, actor=command_line("x"))
    assert table_counts(empty_engine) == before
    assert queries.data_version(engine=empty_engine) == 0


def test_a_store_after_a_version_that_has_moved_on_is_refused(empty_engine):
    load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10)))
    with pytest.raises(VersionConflict):
        load(empty_engine, arrangements("2013-01-31", ("B", "Stroud", 1)), after_version=0)
    assert editions(empty_engine) == {"2013-01-31": (1, 10.0)}


def test_the_data_version_grows_with_every_upload_and_rollback(empty_engine):
    assert queries.data_version(engine=empty_engine) == 0
    first = load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10)))
    after_upload = queries.data_version(engine=empty_engine)
    rollback(engine=empty_engine, upload_id=first.id, actor=command_line("admin"))
    assert 0 < after_upload < queries.data_version(engine=empty_engine)


def test_councils_sharing_are_counted_once_across_lead_and_partners(empty_engine):
    rows = [
        ["2013-01-31", "A", "Stroud", "Gloucester; Cotswold", "Legal", "", "", 1, "", ""],
        [
            "2013-01-31",
            "B",
            "Gloucester City",
            "Stroud DC",
            "Audit and fraud",
            "",
            "",
            None,
            "",
            "",
        ],
    ]
    data = make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]})
    load(empty_engine, data)
    [edition] = queries.shared_services_editions(engine=empty_engine)
    assert edition["councils"] == 3
    assert edition["arrangements"] == 2
    assert edition["savings_gbp"] == 1.0
    assert edition["savings_not_reported"] == 1


def test_a_what_if_shows_the_figures_an_upload_would_give_and_stores_nothing(empty_engine):
    from lgadata.store import what_if

    load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10)))
    data = arrangements("2013-01-31", ("B", "Stroud", 3), ("C", "Camden", 4))
    parsed = check_bytes(data, "map.xlsx", workstream="shared_services", isolate=False)
    before = table_counts(empty_engine)
    with what_if(engine=empty_engine, parsed=parsed) as preview:
        assert editions(preview) == {"2013-01-31": (2, 7.0)}
    assert editions(empty_engine) == {"2013-01-31": (1, 10.0)}
    assert table_counts(empty_engine) == before


def test_corrections_made_before_storing_are_kept_with_the_upload(empty_engine):
    data = arrangements("2013-01-31", ("A", "Stroud", 10))
    parsed = check_bytes(data, "map.xlsx", workstream="shared_services", isolate=False)
    fix = [{"cell": "Arrangements!C2", "was": "Stroude", "now": "Stroud"}]
    store_upload(
        engine=empty_engine, parsed=parsed, content=data, actor=command_line("x"), corrections=fix
    )
    assert queries.history(engine=empty_engine)[0]["summary"]["corrections"] == fix


def test_write_functions_check_the_role_they_are_given(empty_engine):
    from lgadata.auth import Actor, NotAllowed, Role

    data = arrangements("2013-01-31", ("A", "Stroud", 10))
    parsed = check_bytes(data, "map.xlsx", workstream="shared_services", isolate=False)
    viewer = Actor("v@example.gov.uk", Role.VIEWER)
    bulletins_officer = Actor("o@example.gov.uk", Role.OFFICER, frozenset({"ebulletin"}))
    before = table_counts(empty_engine)
    for actor in (viewer, bulletins_officer, None):
        with pytest.raises(NotAllowed):
            store_upload(engine=empty_engine, parsed=parsed, content=data, actor=actor)
    assert table_counts(empty_engine) == before
    upload = load(empty_engine, data)
    for actor in (viewer, bulletins_officer):
        with pytest.raises(NotAllowed):
            rollback(engine=empty_engine, upload_id=upload.id, actor=actor)
    assert editions(empty_engine) == {"2013-01-31": (1, 10.0)}


def test_uploads_and_rollbacks_are_in_the_audit_log(empty_engine):
    from lgadata import audit

    upload = load(empty_engine, arrangements("2013-01-31", ("A", "Stroud", 10)))
    rollback(engine=empty_engine, upload_id=upload.id, actor=command_line("admin"))
    events = [
        (e["actor"], e["action"], e["detail"]["workstream"])
        for e in audit.events(engine=empty_engine)
    ]
    assert events == [
        ("admin", "rollback", "shared_services"),
        ("officer@example.gov.uk", "upload", "shared_services"),
    ]
