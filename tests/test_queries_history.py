"""The upload history: statuses, periods, the file as uploaded and rollback previews."""

import datetime as dt
import json
import re

import pytest

from lgadata import queries
from lgadata.auth import command_line
from lgadata.bootstrap import SAMPLES_DIR
from lgadata.diff import upload_changes
from lgadata.queries.history import describe_period, format_when
from lgadata.store import rollback
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx


def arrangements(*rows: tuple[str, str, str, float | None]) -> bytes:
    body = [
        [as_at, name, lead, "", "Legal", "", "", savings, "", ""]
        for as_at, name, lead, savings in rows
    ]
    return make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *body]})


def load(engine, data: bytes, **kw):
    return check_and_store(
        engine,
        data,
        workstream="shared_services",
        file_name="map.xlsx",
        actor=command_line("officer"),
        **kw,
    )


def statuses(engine) -> dict[int, str]:
    return {e["id"]: e["status"] for e in queries.history(engine=engine)}


def test_the_history_of_the_samples_lists_five_current_uploads_newest_first(sample_engine):
    entries = queries.history(engine=sample_engine)
    assert [e["workstream"] for e in entries] == [
        "programme_milestones",
        "ebulletin",
        "tenancy_fraud",
        "capital_assets",
        "shared_services",
    ]
    assert {e["status"] for e in entries} == {"current"}
    shared = entries[-1]
    assert shared["title"] == "Shared Services Map"
    assert shared["periods_text"] == "30 November 2011, 31 January 2013"
    assert shared["rows"] == 495 and shared["uploaded_by"] == "sample data"


def test_periods_of_a_workbook_with_several_sheets_are_named_by_sheet(sample_engine):
    [cap] = queries.history(engine=sample_engine, workstream="capital_assets")
    assert cap["periods_text"] == "Budget: 2012/13, 2013/14; Councils: whole sheet"


def test_an_empty_database_has_no_history(empty_engine):
    assert queries.history(engine=empty_engine) == []


def test_the_history_can_be_limited_and_filtered(sample_engine):
    assert [e["id"] for e in queries.history(engine=sample_engine, limit=2)] == [5, 4]
    assert [
        e["workstream"] for e in queries.history(engine=sample_engine, workstream="ebulletin")
    ] == ["ebulletin"]


def test_status_follows_what_later_uploads_and_rollbacks_did(sample_engine):
    sample = queries.history(engine=sample_engine, workstream="shared_services")[0]["id"]
    newer = load(sample_engine, arrangements(("2013-01-31", "A", "Stroud", 10)))
    assert statuses(sample_engine)[sample] == "partly replaced"
    assert statuses(sample_engine)[newer.id] == "current"

    event = rollback(engine=sample_engine, upload_id=newer.id, actor=command_line("admin"))
    shown = statuses(sample_engine)
    assert (shown[sample], shown[newer.id]) == ("current", "rolled back")
    assert shown[event.id] == "rollback of version 2"

    both = load(
        sample_engine,
        arrangements(("2011-11-30", "B", "Stroud", 1), ("2013-01-31", "C", "Camden", 2)),
    )
    assert statuses(sample_engine)[sample] == "replaced"
    assert statuses(sample_engine)[both.id] == "current"


def test_a_rollback_says_which_periods_it_restored_and_to_which_version(sample_engine):
    newer = load(sample_engine, arrangements(("2013-01-31", "A", "Stroud", 10)))
    rollback(engine=sample_engine, upload_id=newer.id, actor=command_line("admin"))
    [event, undone, _] = queries.history(engine=sample_engine, workstream="shared_services")
    assert event["kind"] == "rollback" and event["rolls_back"] == newer.id
    assert event["periods_text"] == "31 January 2013 back to version 1"
    assert undone["rolled_back_in"] == event["version"] == 3


def test_corrections_made_before_storing_are_listed(empty_engine):
    fix = [{"cell": "Arrangements!C2", "was": "Stroude", "now": "Stroud"}]
    load(empty_engine, arrangements(("2013-01-31", "A", "Stroud", 10)), corrections=fix)
    [entry] = queries.history(engine=empty_engine)
    assert entry["corrections"] == fix
    assert entry["periods_text"] == "31 January 2013"


def test_the_file_as_uploaded_is_given_back_byte_for_byte(sample_engine):
    for entry in queries.history(engine=sample_engine):
        content = queries.upload_file(engine=sample_engine, upload_id=entry["id"])
        assert content == (SAMPLES_DIR / entry["file_name"]).read_bytes()


def test_a_rollback_and_an_unknown_upload_have_no_file(sample_engine):
    newer = load(sample_engine, arrangements(("2013-01-31", "A", "Stroud", 10)))
    event = rollback(engine=sample_engine, upload_id=newer.id, actor=command_line("admin"))
    assert queries.upload_file(engine=sample_engine, upload_id=event.id) is None
    assert queries.upload_file(engine=sample_engine, upload_id=999) is None


def test_a_rollback_preview_says_what_the_rollback_then_does(empty_engine):
    first = load(
        empty_engine,
        arrangements(("2011-11-30", "A", "Stroud", 1), ("2013-01-31", "B", "Stroud", 2)),
    )
    second = load(empty_engine, arrangements(("2013-01-31", "C", "Camden", 3)))
    preview = queries.rollback_preview(engine=empty_engine, upload_id=first.id)
    assert preview["refused"] is None
    assert (preview["version"], preview["new_version"]) == (1, 3)
    assert [(p["period_text"], p["version"]) for p in preview["restored"]] == [
        ("30 November 2011", None)
    ]
    assert [(p["period_text"], p["version"]) for p in preview["kept"]] == [("31 January 2013", 2)]

    event = rollback(engine=empty_engine, upload_id=first.id, actor=command_line("admin"))
    done = json.loads(event.summary)
    assert [(r["period"], r["now"]) for r in done["restored"]] == [
        (p["period"], p["upload_id"]) for p in preview["restored"]
    ]
    assert [(k["period"], k["now"]) for k in done["superseded_since"]] == [
        (p["period"], p["upload_id"]) for p in preview["kept"]
    ]
    assert event.version == preview["new_version"]
    assert second.id == preview["kept"][0]["upload_id"]


def test_a_rollback_preview_writes_nothing(sample_engine):
    before = queries.data_version(engine=sample_engine)
    queries.rollback_preview(engine=sample_engine, upload_id=1)
    assert queries.data_version(engine=sample_engine) == before
    assert statuses(sample_engine)[1] == "current"


@pytest.mark.parametrize(
    ("case", "refusal"),
    [
        ("unknown", "There is no upload 999."),
        ("rollback", "Version 3 is itself a rollback; upload the file again instead."),
        ("rolled back", "Version 2 was already rolled back (by version 3)."),
    ],
)
def test_a_rollback_preview_refuses_what_the_store_refuses(sample_engine, case, refusal):
    newer = load(sample_engine, arrangements(("2013-01-31", "A", "Stroud", 10)))
    event = rollback(engine=sample_engine, upload_id=newer.id, actor=command_line("admin"))
    upload_id = {"unknown": 999, "rollback": event.id, "rolled back": newer.id}[case]
    assert queries.rollback_preview(engine=sample_engine, upload_id=upload_id)["refused"] == refusal


def test_changed_cells_are_listed_one_per_line_with_the_rows_key(empty_engine):
    load(
        empty_engine,
        arrangements(("2013-01-31", "A", "Stroud", 10), ("2013-01-31", "B", "Camden", 5)),
    )
    newer = load(empty_engine, arrangements(("2013-01-31", "A", "Stroud", 12)))
    [diff] = upload_changes(engine=empty_engine, upload_id=newer.id)
    assert [r["arrangement"] for r in diff.removed] == ["B"]
    cells = queries.changed_cells(diff.changed, workstream="shared_services", sheet=diff.sheet)
    assert cells == [
        {
            "period": "31 January 2013",
            "arrangement": "A",
            "column": "savings_gbp",
            "before": "£10",
            "after": "£12",
        }
    ]


def test_added_and_removed_rows_show_councils_by_name_money_in_pounds_and_blanks_as_nothing(
    empty_engine,
):
    load(empty_engine, arrangements(("2013-01-31", "A", "Stroud", 1_200_000)))
    newer = load(empty_engine, arrangements(("2013-01-31", "B", "Camden", None)))
    [diff] = upload_changes(engine=empty_engine, upload_id=newer.id)
    where = {"workstream": "shared_services", "sheet": diff.sheet}
    [added] = queries.diff_rows(diff.added, **where)
    [removed] = queries.diff_rows(diff.removed, **where)
    assert removed["lead_council"] == "Stroud District Council"
    assert removed["savings_gbp"] == "£1,200,000"
    assert added["lead_council"] == "London Borough of Camden"
    assert added["savings_gbp"] == "" and added["services"] == ""
    assert added["as_at"] == "31 January 2013"
    shown = [*added.values(), *removed.values()]
    assert "None" not in shown and not any(re.fullmatch(r"[EWSN]\d{8}", v) for v in shown)


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("map.xlsx", "map.xlsx"),
        ("C:\\Users\\jo\\Desktop\\map 2013.xlsx", "map 2013.xlsx"),
        ("../../etc/passwd", "passwd"),
        ('evil"<name>\r\n.xlsx', "evil_name_.xlsx"),
        ("", "upload-7"),
        ("..", "upload-7"),
    ],
)
def test_a_download_name_keeps_only_a_safe_last_part(typed, offered):
    assert queries.download_name(typed, upload_id=7) == offered


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (dt.datetime(2013, 3, 20, 14, 5, tzinfo=dt.UTC), "20 March 2013 14:05"),
        (dt.datetime(2013, 7, 1, 13, 5, tzinfo=dt.UTC), "1 July 2013 14:05"),
        (dt.datetime(2013, 7, 1, 23, 30), "2 July 2013 00:30"),
    ],
)
def test_moments_are_shown_in_uk_time(moment, shown):
    assert format_when(moment) == shown


@pytest.mark.parametrize(
    ("period", "shown"),
    [
        ("2013-01-31", "31 January 2013"),
        ("2013/14", "2013/14"),
        ("", "whole sheet"),
        ("Improvement and Innovation Board e-bulletin, May 2013", None),
    ],
)
def test_periods_are_shown_as_the_board_reads_them(period, shown):
    assert describe_period(period) == (shown or period)


def test_a_preview_warns_when_it_would_bring_back_a_rolled_back_upload(empty_engine):
    first = load(empty_engine, arrangements(("2013-01-31", "A", "Stroud", 1)))
    second = load(empty_engine, arrangements(("2013-01-31", "B", "Stroud", 2)))
    rollback(engine=empty_engine, upload_id=first.id, actor=command_line("admin"))
    [event, *_] = queries.history(engine=empty_engine)
    assert event["periods_text"] == "nothing restored"
    [restored] = queries.rollback_preview(engine=empty_engine, upload_id=second.id)["restored"]
    assert (restored["version"], restored["undone"]) == (1, True)


@pytest.mark.parametrize(
    ("workstream", "sheet", "row", "shown"),
    [
        (
            "shared_services",
            "Arrangements",
            {"period_key": "2013-01-31", "as_at": "2013-01-31", "arrangement": "A"},
            {"as_at": "31 January 2013", "arrangement": "A"},
        ),
        (
            "programme_milestones",
            "Milestones",
            {"period_key": "", "milestone": "Board"},
            {"period": "whole sheet", "milestone": "Board"},
        ),
    ],
)
def test_diff_rows_give_the_period_once(workstream, sheet, row, shown):
    assert queries.diff_rows([row], workstream=workstream, sheet=sheet) == [shown]
