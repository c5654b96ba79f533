"""Officers' commentary per section per meeting: versioned, with who and when, plain text."""

import datetime as dt

import pytest

from lgadata import audit
from lgadata.auth import Actor, NotAllowed, Role
from lgadata.commentary import commentary, commentary_versions, section_keys, write_commentary
from lgadata.meetings import add_meeting
from lgadata.paper import SECTIONS
from tests.conftest import save_accounts

OFFICER = Actor("officer@example.gov.uk", Role.OFFICER)
ADMIN = Actor("admin@example.gov.uk", Role.ADMIN)
VIEWER = Actor("viewer@example.gov.uk", Role.VIEWER)


@pytest.fixture(autouse=True)
def accounts(empty_engine):
    """The actors above as accounts: every write reads its writer's role from the users."""
    save_accounts(empty_engine, OFFICER, ADMIN, VIEWER)


@pytest.fixture
def meeting(empty_engine):
    return add_meeting(
        engine=empty_engine, by=OFFICER, meets_on=dt.date(2013, 7, 10), title="Board"
    )


def write(engine, meeting, section, text, by=OFFICER):
    return write_commentary(engine=engine, by=by, meeting_id=meeting.id, section=section, text=text)


def test_the_sections_are_the_board_papers_own():
    assert section_keys() == tuple(key for key, _ in SECTIONS)


def test_each_save_is_a_new_version_and_the_newest_is_the_commentary(empty_engine, meeting):
    write(empty_engine, meeting, "shared_services", "Savings rose with the new map.")
    write(empty_engine, meeting, "shared_services", "Savings rose: two new arrangements.", ADMIN)
    write(empty_engine, meeting, "ebulletin", "Views fell in June.")

    now = commentary(engine=empty_engine, meeting_id=meeting.id)
    assert {k: (c.text, c.written_by, c.version) for k, c in now.items()} == {
        "shared_services": ("Savings rose: two new arrangements.", ADMIN.email, 2),
        "ebulletin": ("Views fell in June.", OFFICER.email, 1),
    }
    versions = commentary_versions(
        engine=empty_engine, meeting_id=meeting.id, section="shared_services"
    )
    assert [(c.version, c.written_by) for c in versions] == [(1, OFFICER.email), (2, ADMIN.email)]
    assert all(c.written_at.tzinfo is not None for c in versions)
    assert audit.events(engine=empty_engine, action="commentary written")[0]["detail"] == {
        "characters": len("Views fell in June."),
        "meeting": meeting.id,
        "section": "ebulletin",
        "version": 1,
    }


def test_clearing_a_commentary_keeps_its_versions(empty_engine, meeting):
    write(empty_engine, meeting, "financial", "No new costs.")
    write(empty_engine, meeting, "financial", "   ")
    assert commentary(engine=empty_engine, meeting_id=meeting.id) == {}
    versions = commentary_versions(engine=empty_engine, meeting_id=meeting.id, section="financial")
    assert [c.text for c in versions] == ["No new costs.", ""]


def test_markup_is_kept_as_the_text_it_is(empty_engine, meeting):
    text = "<b>Up</b> **10%** =SUM(A1) <script>alert(1)</script>"
    write(empty_engine, meeting, "capital_assets", text)
    assert commentary(engine=empty_engine, meeting_id=meeting.id)["capital_assets"].text == text


@pytest.mark.parametrize(
    ("by", "section", "text", "error", "message"),
    [
        (VIEWER, "shared_services", "x", NotAllowed, "may not keep the board's meetings"),
        (OFFICER, "nowhere", "x", ValueError, "No section called 'nowhere'"),
        (OFFICER, "shared_services", "x" * 1_001, ValueError, "at most 1,000 characters"),
    ],
)
def test_a_viewer_an_unknown_section_or_an_overlong_text_is_refused(
    empty_engine, meeting, by, section, text, error, message
):
    with pytest.raises(error, match=message):
        write(empty_engine, meeting, section, text, by)
    assert commentary(engine=empty_engine, meeting_id=meeting.id) == {}


def test_commentary_needs_a_registered_meeting(empty_engine):
    with pytest.raises(ValueError, match="There is no meeting 5"):
        write_commentary(
            engine=empty_engine, by=OFFICER, meeting_id=5, section="ebulletin", text="x"
        )
