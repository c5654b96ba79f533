"""Every write to the meetings register, its commentary and its actions re-reads the
writer's role from the database, so a role taken away or an account disabled stops them
at once, whatever actor the page still holds."""

import datetime as dt

import pytest

from lgadata import actions, commentary
from lgadata.auth import Actor, NotAllowed, Role, command_line, save_user, set_disabled
from lgadata.meetings import add_meeting, change_meeting, remove_meeting

ADMIN = command_line("test")
EMAIL = "officer@example.gov.uk"
MARCH = dt.date(2013, 3, 20)
BOARD = "Improvement and Innovation Board"


def officer(engine, role=Role.OFFICER, workstreams=()) -> Actor:
    save_user(engine=engine, by=ADMIN, email=EMAIL, role=role, workstreams=workstreams)
    return Actor(EMAIL, Role.OFFICER, frozenset(workstreams), via="local account")


WRITES = {
    "add": lambda e, by, m: add_meeting(engine=e, by=by, meets_on=dt.date(2013, 7, 10), title="B"),
    "change": lambda e, by, m: change_meeting(engine=e, by=by, meeting_id=m, title="New"),
    "remove": lambda e, by, m: remove_meeting(engine=e, by=by, meeting_id=m),
    "commentary": lambda e, by, m: commentary.write_commentary(
        engine=e, by=by, meeting_id=m, section="shared_services", text="Savings rose."
    ),
    "action": lambda e, by, m: actions.record(
        engine=e, by=by, meeting_id=m, section="shared_services", kind="decision", text="Noted."
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_an_officer_made_a_viewer_may_no_longer_write(empty_engine, write):
    by = officer(empty_engine)
    meeting = add_meeting(engine=empty_engine, by=by, meets_on=MARCH, title=BOARD)
    save_user(engine=empty_engine, by=ADMIN, email=EMAIL, role=Role.VIEWER)
    with pytest.raises(NotAllowed, match=r"officer@example.gov.uk \(viewer\) may not keep"):
        WRITES[write](empty_engine, by, meeting.id)


@pytest.mark.parametrize("write", WRITES)
def test_a_disabled_officer_may_no_longer_write(empty_engine, write):
    by = officer(empty_engine)
    meeting = add_meeting(engine=empty_engine, by=by, meets_on=MARCH, title=BOARD)
    set_disabled(engine=empty_engine, by=ADMIN, email=EMAIL, disabled=True)
    with pytest.raises(NotAllowed, match="no longer"):
        WRITES[write](empty_engine, by, meeting.id)


def test_an_account_that_was_removed_may_no_longer_write(empty_engine):
    gone = Actor("gone@example.gov.uk", Role.ADMIN, via="local account")
    with pytest.raises(NotAllowed, match="no longer"):
        add_meeting(engine=empty_engine, by=gone, meets_on=MARCH, title=BOARD)


def test_an_officer_writes_commentary_only_on_the_sections_of_their_workstreams(empty_engine):
    by = officer(empty_engine, workstreams=("ebulletin",))
    meeting = add_meeting(engine=empty_engine, by=by, meets_on=MARCH, title=BOARD)
    write = commentary.write_commentary
    write(engine=empty_engine, by=by, meeting_id=meeting.id, section="ebulletin", text="Up.")
    with pytest.raises(NotAllowed, match="Shared Services"):
        write(
            engine=empty_engine, by=by, meeting_id=meeting.id, section="shared_services", text="x"
        )
    assert commentary.may_write(by, "ebulletin") and not commentary.may_write(by, "shared_services")
