"""The register of board meetings, its command line, and the board's decisions and actions."""

import datetime as dt
import json

import pytest

from lgadata import actions, audit
from lgadata.auth import Actor, NotAllowed, Role
from lgadata.cli import main
from lgadata.db import get_engine
from lgadata.meetings import (
    add_meeting,
    change_meeting,
    last_meeting,
    meeting_versions,
    meetings,
    next_meeting,
    remove_meeting,
)
from lgadata.settings import get_settings
from tests.conftest import save_accounts

OFFICER = Actor("officer@example.gov.uk", Role.OFFICER, frozenset({"ebulletin"}))
ADMIN = Actor("admin@example.gov.uk", Role.ADMIN)
VIEWER = Actor("viewer@example.gov.uk", Role.VIEWER)


@pytest.fixture(autouse=True)
def accounts(empty_engine):
    """The actors above as accounts: every write reads its writer's role from the users."""
    save_accounts(empty_engine, OFFICER, ADMIN, VIEWER)


MARCH, JULY, OCTOBER = dt.date(2013, 3, 20), dt.date(2013, 7, 10), dt.date(2013, 10, 9)
BOARD = "Improvement and Innovation Board"


def register(engine, *days):
    return [add_meeting(engine=engine, by=OFFICER, meets_on=d, title=BOARD) for d in days]


def test_officers_and_administrators_register_meetings_and_viewers_may_not(empty_engine):
    add_meeting(engine=empty_engine, by=OFFICER, meets_on=MARCH, title=BOARD, agenda_item="4")
    add_meeting(engine=empty_engine, by=ADMIN, meets_on=JULY, title=BOARD)
    with pytest.raises(NotAllowed, match="viewer@example.gov.uk \\(viewer\\) may not keep"):
        add_meeting(engine=empty_engine, by=VIEWER, meets_on=OCTOBER, title=BOARD)
    with pytest.raises(NotAllowed, match="Nobody signed in"):
        remove_meeting(engine=empty_engine, by=None, meeting_id=1)
    assert [(m.meets_on, m.agenda_item, m.changed_by) for m in meetings(engine=empty_engine)] == [
        (MARCH, "4", OFFICER.email),
        (JULY, "", ADMIN.email),
    ]


def test_the_next_meeting_is_on_or_after_a_day_and_the_last_one_before_it(empty_engine):
    register(empty_engine, JULY, MARCH)
    assert next_meeting(engine=empty_engine, on=JULY).meets_on == JULY
    assert last_meeting(engine=empty_engine, on=JULY).meets_on == MARCH
    assert next_meeting(engine=empty_engine, on=dt.date(2013, 7, 11)) is None
    assert last_meeting(engine=empty_engine, on=MARCH) is None
    assert next_meeting(engine=empty_engine, on=dt.date(2013, 1, 1)).meets_on == MARCH


def test_a_change_is_a_new_version_and_a_removal_keeps_every_version(empty_engine):
    [meeting] = register(empty_engine, MARCH)
    changed = change_meeting(
        engine=empty_engine, by=ADMIN, meeting_id=meeting.id, meets_on=dt.date(2013, 3, 21)
    )
    assert (changed.version, changed.meets_on, changed.title) == (2, dt.date(2013, 3, 21), BOARD)
    remove_meeting(engine=empty_engine, by=OFFICER, meeting_id=meeting.id)
    assert meetings(engine=empty_engine) == []
    assert [
        (v["version"], v["meets_on"], v["removed"], v["changed_by"])
        for v in meeting_versions(engine=empty_engine, meeting_id=meeting.id)
    ] == [
        (1, MARCH, False, OFFICER.email),
        (2, dt.date(2013, 3, 21), False, ADMIN.email),
        (3, dt.date(2013, 3, 21), True, OFFICER.email),
    ]
    logged = [(e["action"], e["actor"]) for e in audit.events(engine=empty_engine)]
    assert logged[:3] == [
        ("meeting removed", OFFICER.email),
        ("meeting changed", ADMIN.email),
        ("meeting added", OFFICER.email),
    ]


@pytest.mark.parametrize(
    ("title", "agenda_item", "message"),
    [
        ("  ", "", "Give the meeting's title."),
        ("x" * 201, "", "title may be at most 200 characters"),
        (BOARD, "y" * 201, "agenda item may be at most 200 characters"),
    ],
)
def test_a_meeting_without_a_title_or_with_overlong_text_is_refused(
    empty_engine, title, agenda_item, message
):
    with pytest.raises(ValueError, match=message):
        add_meeting(
            engine=empty_engine, by=OFFICER, meets_on=MARCH, title=title, agenda_item=agenda_item
        )
    assert meetings(engine=empty_engine) == []


def test_a_second_meeting_on_the_same_day_is_refused(empty_engine):
    register(empty_engine, MARCH)
    with pytest.raises(ValueError, match="already a meeting on 20 March 2013"):
        register(empty_engine, MARCH)
    [removed, kept] = register(empty_engine, JULY, OCTOBER)
    remove_meeting(engine=empty_engine, by=OFFICER, meeting_id=removed.id)
    with pytest.raises(ValueError, match="already a meeting on 9 October 2013"):
        change_meeting(engine=empty_engine, by=OFFICER, meeting_id=1, meets_on=OCTOBER)
    assert change_meeting(engine=empty_engine, by=OFFICER, meeting_id=1, meets_on=JULY).version == 2


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    """Run `python -m lgadata ARGS` against a fresh database; return (status, output)."""
    monkeypatch.setenv("LGADATA_DATABASE_URL", database_url)
    monkeypatch.setenv("LGADATA_SEED_SAMPLES", "false")
    get_settings.cache_clear()
    get_engine.cache_clear()

    def run(*args: str) -> tuple[int, str]:
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out + captured.err

    yield run
    get_engine.cache_clear()
    get_settings.cache_clear()


def test_meetings_are_added_listed_and_removed_on_the_command_line(cli):
    assert cli("meeting", "add", "2013-03-20", "--agenda-item", "5", "--by", "clerk") == (
        0,
        f"Registered meeting 1: 20 March 2013, {BOARD}.\n",
    )
    assert cli("meeting", "add", "2013-07-10", "--title", "Board")[0] == 0
    status, text = cli("meeting", "list")
    assert status == 0 and text.splitlines() == [
        f"   1  20 March 2013      {BOARD} (item 5)",
        "   2  10 July 2013       Board",
    ]
    assert cli("meeting", "remove", "1") == (0, "Meeting 1 is removed.\n")
    status, output = cli("meeting", "list", "--json")
    assert [m["date"] for m in json.loads(output)["meetings"]] == ["2013-07-10"]
    added = audit.events(engine=get_engine(), action="meeting added")
    assert added[-1]["actor"] == "clerk" and added[-1]["detail"]["agenda_item"] == "5"


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("meeting", "add"), 2, "meeting add needs the meeting's date"),
        (("meeting", "add", "20/03/2013"), 2, "'20/03/2013' is not a date written as YYYY-MM-DD"),
        (("meeting", "remove", "first"), 2, "needs the meeting's number"),
        (("meeting", "remove", "7"), 1, "There is no meeting 7 in the register."),
    ],
)
def test_a_mistaken_meeting_command_says_what_is_wrong(cli, args, status, message):
    got, text = cli(*args)
    assert got == status and message in text


def test_actions_are_listed_after_the_meeting_and_carried_into_the_next(empty_engine):
    march, july, october = register(empty_engine, MARCH, JULY, OCTOBER)

    def act(meeting, text, **kw):
        return actions.record(
            engine=empty_engine,
            by=OFFICER,
            meeting_id=meeting.id,
            section=kw.pop("section", "shared_services"),
            kind=kw.pop("kind", actions.Kind.ACTION),
            text=text,
            **kw,
        )

    done = act(march, "Write to the regions", owner="J. Smith", due_on=dt.date(2013, 5, 1))
    open_one = act(march, "Chase the fraud pilots", owner="A. Jones", section="tenancy_fraud")
    act(march, "The board noted the map", kind=actions.Kind.DECISION)
    act(july, "Publish the map", owner="J. Smith")
    actions.set_status(engine=empty_engine, by=ADMIN, action_id=done.id, status="done")

    assert [a.text for a in actions.recorded_at(engine=empty_engine, meeting_id=march.id)] == [
        "Write to the regions",
        "Chase the fraud pilots",
        "The board noted the map",
    ]
    carried = actions.from_last_meeting(engine=empty_engine, meeting_id=july.id)
    assert [(a.text, a.status) for a in carried] == [
        ("Write to the regions", "done"),
        ("Chase the fraud pilots", "open"),
    ]
    later = actions.from_last_meeting(engine=empty_engine, meeting_id=october.id)
    assert [a.text for a in later] == ["Chase the fraud pilots", "Publish the map"]
    assert actions.from_last_meeting(engine=empty_engine, meeting_id=march.id) == []
    logged = [e["action"] for e in audit.events(engine=empty_engine)]
    assert logged[0] == "action status changed" and logged.count("action recorded") == 3
    assert logged.count("decision recorded") == 1
    assert open_one.owner == "A. Jones"


@pytest.mark.parametrize(
    ("by", "kw", "error"),
    [
        (VIEWER, {}, NotAllowed),
        (OFFICER, {"owner": ""}, ValueError),
        (OFFICER, {"section": "nowhere"}, ValueError),
        (OFFICER, {"text": " "}, ValueError),
        (OFFICER, {"meeting_id": 99}, ValueError),
    ],
)
def test_an_action_without_an_owner_or_a_real_section_or_by_a_viewer_is_refused(
    empty_engine, by, kw, error
):
    [meeting] = register(empty_engine, MARCH)
    given = {"meeting_id": meeting.id, "section": "shared_services", "text": "Do it"}
    given |= {"owner": "J. Smith"} | kw
    with pytest.raises(error):
        actions.record(engine=empty_engine, by=by, kind=actions.Kind.ACTION, **given)
    assert actions.recorded_at(engine=empty_engine, meeting_id=meeting.id) == []


def test_an_action_on_the_meeting_as_a_whole_is_recorded_against_no_section(empty_engine):
    [meeting] = register(empty_engine, MARCH)
    kept = actions.record(
        engine=empty_engine,
        by=OFFICER,
        meeting_id=meeting.id,
        section=actions.GENERAL,
        kind=actions.Kind.ACTION,
        text="Chase the late returns",
        owner="J. Smith",
    )
    assert kept.section == "" and kept.status == "open"
    assert actions.recorded_at(engine=empty_engine, meeting_id=meeting.id) == [kept]


def test_the_same_item_recorded_twice_on_a_section_is_refused_and_said_so(empty_engine):
    # The walk of issue 17 recorded one decision twice in meeting mode, silently.
    march, july = register(empty_engine, MARCH, JULY)

    def record(meeting=march, section="shared_services", kind=actions.Kind.DECISION, **kw):
        return actions.record(
            engine=empty_engine,
            by=OFFICER,
            meeting_id=meeting.id,
            section=section,
            kind=kind,
            **{"text": "The board noted the map"} | kw,
        )

    first = record()
    with pytest.raises(actions.AlreadyRecorded) as refused:
        record(text="  The board   noted the map ")  # the same text, once tidied
    assert str(refused.value).startswith(
        "This decision is recorded already at this meeting, on Shared Services Map, by "
        "officer@example.gov.uk at "
    )
    assert str(refused.value).endswith(": it was not recorded again.")
    # The same words elsewhere, or as something else, are another item.
    record(section="tenancy_fraud")
    record(section=actions.GENERAL)
    record(meeting=july)
    record(kind=actions.Kind.ACTION, owner="J. Smith")
    record(kind=actions.Kind.ACTION, owner="J. Smith", due_on=dt.date(2013, 5, 1))
    with pytest.raises(actions.AlreadyRecorded, match="on the meeting as a whole"):
        record(section=actions.GENERAL)
    with pytest.raises(actions.AlreadyRecorded, match="This action"):
        record(kind=actions.Kind.ACTION, owner="J. Smith", due_on=dt.date(2013, 5, 1))
    kept = actions.recorded_at(engine=empty_engine, meeting_id=march.id)
    assert len(kept) == 5 and kept[0] == first
