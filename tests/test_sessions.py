"""Server-side sessions: who a cookie stands for is read from the database on every run, so
taking access away reaches an open session at its next click."""

import datetime as dt

import pytest

from lgadata import audit, sessions, tokens
from lgadata.auth import (
    NotAllowed,
    Role,
    command_line,
    end_sessions,
    remove_user,
    save_user,
    set_disabled,
)
from lgadata.models import utc_now

ADMIN = command_line("setup")
EMAIL = "officer@example.gov.uk"
PASSWORD = "correct horse battery"


@pytest.fixture
def officer(empty_engine):
    save_user(engine=empty_engine, by=ADMIN, email="boss@example.gov.uk", role=Role.ADMIN)
    save_user(
        engine=empty_engine,
        by=ADMIN,
        email=EMAIL,
        role=Role.OFFICER,
        password=PASSWORD,
        workstreams=("ebulletin",),
    )
    token = sessions.start(engine=empty_engine, email=EMAIL, via="local account", client="x")
    return empty_engine, token


def who(engine, token, now=None):
    return sessions.resolve(engine=engine, token=token, now=now)


def test_a_token_is_stored_only_as_its_hash(officer):
    engine, token = officer
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM user_session").scalars().all()
    assert stored == [sessions.token_hash(token)]
    assert token not in stored[0] and len(token) >= 43  # 256 bits, URL-safe


def test_a_role_change_reaches_an_open_session_at_its_next_lookup(officer):
    engine, token = officer
    assert who(engine, token).actor.role is Role.OFFICER
    save_user(engine=engine, by=ADMIN, email=EMAIL, role=Role.VIEWER)
    assert who(engine, token).actor.role is Role.VIEWER


@pytest.mark.parametrize(
    ("take_away", "reason"),
    [
        (lambda e: set_disabled(engine=e, by=ADMIN, email=EMAIL, disabled=True), "disabled"),
        (lambda e: remove_user(engine=e, by=ADMIN, email=EMAIL), "unknown"),
        (
            lambda e: save_user(
                engine=e, by=ADMIN, email=EMAIL, role=Role.OFFICER, password="a new long password"
            ),
            "password changed",
        ),
        (lambda e: end_sessions(engine=e, by=ADMIN, email=EMAIL), "ended by an administrator"),
    ],
)
def test_taking_access_away_ends_the_session_at_once(officer, take_away, reason):
    engine, token = officer
    take_away(engine)
    lookup = who(engine, token)
    assert lookup.actor is None
    assert lookup.reason == reason


def test_a_removed_user_stays_named_in_the_audit_log(officer):
    engine, _ = officer
    remove_user(engine=engine, by=ADMIN, email=EMAIL)
    events = audit.events(engine=engine)
    assert ("user removed", EMAIL) in [(e["action"], e["detail"].get("user")) for e in events]
    assert ("user added", EMAIL) in [(e["action"], e["detail"].get("user")) for e in events]


def test_an_idle_session_and_one_past_its_lifetime_end(officer):
    engine, token = officer
    now = utc_now()
    assert who(engine, token, now + dt.timedelta(minutes=29)).actor is not None
    assert who(engine, token, now + dt.timedelta(minutes=29 + 31)).reason == "idle"
    fresh = sessions.start(engine=engine, email=EMAIL, via="local account", now=now)
    moment = now
    for _ in range(12 * 4):  # active every 15 minutes for 12 hours
        moment += dt.timedelta(minutes=15)
        lookup = who(engine, fresh, moment)
    assert lookup.reason == "expired"


def test_signing_out_ends_the_session_for_every_tab_that_shares_it(officer):
    engine, token = officer
    sessions.end(engine=engine, token=token)
    assert who(engine, token).reason == "signed out"


def test_an_unknown_or_missing_token_is_nobody(officer):
    engine, _ = officer
    assert who(engine, None).actor is None
    assert who(engine, "made-up").reason == "unknown"


def test_the_only_administrator_cannot_be_disabled_removed_or_demoted(empty_engine):
    save_user(engine=empty_engine, by=ADMIN, email="boss@example.gov.uk", role=Role.ADMIN)
    for change in (
        lambda: set_disabled(
            engine=empty_engine, by=ADMIN, email="boss@example.gov.uk", disabled=True
        ),
        lambda: remove_user(engine=empty_engine, by=ADMIN, email="boss@example.gov.uk"),
        lambda: save_user(
            engine=empty_engine, by=ADMIN, email="boss@example.gov.uk", role=Role.VIEWER
        ),
    ):
        with pytest.raises(ValueError, match="only administrator"):
            change()


def test_only_an_administrator_may_take_access_away(officer):
    engine, _ = officer
    lookup = who(engine, officer[1])
    with pytest.raises(NotAllowed):
        set_disabled(engine=engine, by=lookup.actor, email="boss@example.gov.uk", disabled=True)
    with pytest.raises(NotAllowed):
        end_sessions(engine=engine, by=lookup.actor, email="boss@example.gov.uk")


def test_an_api_token_reads_until_it_is_revoked_or_its_owner_disabled(officer):
    engine, _ = officer
    token = tokens.issue(engine=engine, by=ADMIN, email=EMAIL, label="board website")
    assert tokens.resolve(engine=engine, token=token).email == EMAIL
    [listed] = tokens.listed(engine=engine)
    assert token not in str(listed) and listed["label"] == "board website"
    tokens.revoke(engine=engine, by=ADMIN, token_id=listed["id"])
    assert tokens.resolve(engine=engine, token=token) is None
    second = tokens.issue(engine=engine, by=ADMIN, email=EMAIL)
    set_disabled(engine=engine, by=ADMIN, email=EMAIL, disabled=True)
    assert tokens.resolve(engine=engine, token=second) is None
    actions = [e["action"] for e in audit.events(engine=engine)]
    assert actions.count("token issued") == 2 and "token revoked" in actions


def test_the_same_password_again_is_not_a_new_one_and_signs_nobody_out(officer):
    engine, token = officer
    save_user(engine=engine, by=ADMIN, email=EMAIL, role=Role.VIEWER, password=PASSWORD)
    lookup = who(engine, token)
    assert lookup.actor is not None and lookup.actor.role is Role.VIEWER
    assert "password set" not in [e["action"] for e in audit.events(engine=engine)]


def test_a_short_idle_time_out_is_renewed_by_any_run_in_time(officer, monkeypatch):
    from lgadata.settings import get_settings

    engine, token = officer
    monkeypatch.setenv("LGADATA_SESSION_IDLE_MINUTES", "1")
    get_settings.cache_clear()
    now = utc_now()
    try:
        for seconds in range(20, 200, 20):  # a screen that reruns every 20 seconds
            assert who(engine, token, now + dt.timedelta(seconds=seconds)).actor is not None
    finally:
        get_settings.cache_clear()
