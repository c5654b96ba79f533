"""What an upload changes: rows matched on their key, and the headline figures."""

import datetime as dt

from lgadata.auth import command_line
from lgadata.diff import headline_changes, same_file_uploads, upload_changes, upload_diff
from lgadata.ingest import check_bytes
from lgadata.store import store_upload
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx


def workbook(*rows):
    body = [
        ["2013-01-31", name, lead, "", "Legal", "", "", savings, "", ""]
        for name, lead, savings in rows
    ]
    return make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *body]})


def parse(data):
    parsed = check_bytes(data, "map.xlsx", workstream="shared_services", isolate=False)
    assert parsed.ok, [str(p) for p in parsed.errors]
    return parsed


def test_rows_are_added_removed_and_changed_by_their_key(empty_engine):
    first = workbook(("A", "Stroud", 10), ("B", "Stroud", 20))
    store_upload(engine=empty_engine, parsed=parse(first), content=first, actor=command_line("x"))
    [diff] = upload_diff(
        engine=empty_engine, parsed=parse(workbook(("A", "Stroud", 11), ("C", "Camden", 5)))
    )
    assert [r["arrangement"] for r in diff.added] == ["C"]
    assert [r["arrangement"] for r in diff.removed] == ["B"]
    assert [(c["after"]["arrangement"], c["columns"]) for c in diff.changed] == [
        ("A", ["savings_gbp"])
    ]
    assert diff.unchanged == 0


def test_the_same_rows_again_change_nothing(empty_engine):
    data = workbook(("A", "Stroud", 10))
    store_upload(engine=empty_engine, parsed=parse(data), content=data, actor=command_line("x"))
    [diff] = upload_diff(engine=empty_engine, parsed=parse(data))
    assert diff.is_empty and diff.unchanged == 1
    assert [
        u["version"]
        for u in same_file_uploads(
            engine=empty_engine, workstream="shared_services", sha256=parse(data).sha256
        )
    ] == [1]


def test_headline_changes_name_each_figure_before_and_after(empty_engine):
    data = workbook(("A", "Stroud", 10))
    store_upload(engine=empty_engine, parsed=parse(data), content=data, actor=command_line("x"))
    changes = headline_changes(
        engine=empty_engine, parsed=parse(workbook(("A", "Stroud", 10), ("B", "Camden", 5)))
    )
    assert {"figure": "Shared Services Map: Arrangements", "before": "1", "after": "2"} in changes
    assert {
        "figure": "Shared Services Map: Councils sharing services",
        "before": "1",
        "after": "2",
    } in changes


def test_a_stored_upload_shows_what_it_changed_against_the_version_before(empty_engine):
    first = workbook(("A", "Stroud", 10))
    store_upload(engine=empty_engine, parsed=parse(first), content=first, actor=command_line("x"))
    second = workbook(("A", "Stroud", 12))
    upload = store_upload(
        engine=empty_engine, parsed=parse(second), content=second, actor=command_line("x")
    )
    [diff] = upload_changes(engine=empty_engine, upload_id=upload.id)
    assert [(c["before"]["savings_gbp"], c["after"]["savings_gbp"]) for c in diff.changed] == [
        (10.0, 12.0)
    ]
    assert diff.periods == [dt.date(2013, 1, 31).isoformat()]
