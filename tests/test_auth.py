"""Roles, passwords and sign-in: what the server enforces whatever the pages do."""

import datetime as dt

import pytest

from lgadata import audit
from lgadata.auth import (
    Actor,
    NotAllowed,
    Permission,
    Role,
    SignInRefused,
    authenticate,
    command_line,
    hash_password,
    require,
    role_from_claims,
    save_user,
    users,
)
from lgadata.models import utc_now

ADMIN = command_line("setup")
PASSWORD = "correct horse battery"


@pytest.mark.parametrize(
    ("role", "permission", "workstream", "allowed"),
    [
        (Role.VIEWER, Permission.VIEW, None, True),
        (Role.VIEWER, Permission.UPLOAD, "ebulletin", False),
        (Role.VIEWER, Permission.VIEW_HISTORY, None, False),
        (Role.OFFICER, Permission.UPLOAD, "ebulletin", True),
        (Role.OFFICER, Permission.ROLL_BACK, "ebulletin", True),
        (Role.OFFICER, Permission.MANAGE_USERS, None, False),
        (Role.OFFICER, Permission.VIEW_AUDIT, None, False),
        (Role.ADMIN, Permission.MANAGE_USERS, None, True),
        (Role.ADMIN, Permission.ROLL_BACK, "programme_milestones", True),
    ],
)
def test_each_role_may_do_what_it_is_granted_and_nothing_more(
    role, permission, workstream, allowed
):
    assert Actor("a@example.gov.uk", role).can(permission, workstream) is allowed


def test_an_officer_with_workstreams_may_upload_only_to_those():
    officer = Actor("o@example.gov.uk", Role.OFFICER, frozenset({"ebulletin"}))
    assert officer.can(Permission.UPLOAD, "ebulletin")
    with pytest.raises(NotAllowed, match="may not upload for shared_services"):
        require(officer, Permission.UPLOAD, "shared_services")


def test_nobody_signed_in_may_do_nothing():
    with pytest.raises(NotAllowed, match="Nobody signed in"):
        require(None, Permission.VIEW)


def test_passwords_are_hashed_with_argon2_and_short_ones_refused():
    assert hash_password(PASSWORD).startswith("$argon2id$")
    with pytest.raises(ValueError, match="at least 12 characters"):
        hash_password("short")


def test_the_right_password_signs_in_and_the_wrong_one_is_refused(empty_engine):
    save_user(
        engine=empty_engine,
        by=ADMIN,
        email="Jo@Example.gov.uk",
        role=Role.OFFICER,
        password=PASSWORD,
    )
    actor = authenticate(engine=empty_engine, email="jo@example.gov.uk", password=PASSWORD)
    assert (actor.email, actor.role) == ("jo@example.gov.uk", Role.OFFICER)
    with pytest.raises(SignInRefused, match="do not match"):
        authenticate(engine=empty_engine, email="jo@example.gov.uk", password="wrong password!")
    with pytest.raises(SignInRefused, match="do not match"):
        authenticate(engine=empty_engine, email="nobody@example.gov.uk", password=PASSWORD)
    outcomes = [
        (e["actor"], e["outcome"]) for e in audit.events(engine=empty_engine, action="sign-in")
    ]
    assert outcomes == [
        ("nobody@example.gov.uk", "refused"),
        ("jo@example.gov.uk", "refused"),
        ("jo@example.gov.uk", "ok"),
    ]


def test_repeated_failures_lock_that_client_out_of_the_address_for_a_while(empty_engine):
    save_user(
        engine=empty_engine,
        by=ADMIN,
        email="jo@example.gov.uk",
        role=Role.VIEWER,
        password=PASSWORD,
    )
    now = utc_now()
    for _ in range(5):
        with pytest.raises(SignInRefused, match="do not match"):
            authenticate(
                engine=empty_engine,
                email="jo@example.gov.uk",
                password="wrong",
                client="x",
                now=now,
            )
    with pytest.raises(SignInRefused, match="do not match"):
        authenticate(
            engine=empty_engine, email="jo@example.gov.uk", password=PASSWORD, client="x", now=now
        )
    later = now + dt.timedelta(minutes=16)
    assert authenticate(
        engine=empty_engine, email="jo@example.gov.uk", password=PASSWORD, client="x", now=later
    )


def test_only_an_administrator_may_add_users_or_change_roles(empty_engine):
    officer = Actor("o@example.gov.uk", Role.OFFICER)
    with pytest.raises(NotAllowed):
        save_user(engine=empty_engine, by=officer, email="x@example.gov.uk", role=Role.ADMIN)
    save_user(engine=empty_engine, by=ADMIN, email="x@example.gov.uk", role=Role.VIEWER)
    save_user(engine=empty_engine, by=ADMIN, email="x@example.gov.uk", role=Role.OFFICER)
    assert [u["role"] for u in users(engine=empty_engine)] == ["officer"]
    changes = [(e["action"], e["detail"].get("after")) for e in audit.events(engine=empty_engine)]
    assert changes == [("role changed", "officer"), ("user added", None)]
    assert all("hash" not in key for key in users(engine=empty_engine)[0])


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"groups": ["lga-board"]}, Role.VIEWER),
        ({"groups": ["lga-board", "lga-productivity-officers"]}, Role.OFFICER),
        ({"roles": "dashboard-admin"}, Role.ADMIN),
        ({"groups": ["someone-else"]}, None),
        ({}, None),
    ],
)
def test_identity_provider_claims_map_to_the_highest_role(claims, role):
    mapping = {
        "lga-board": "viewer",
        "lga-productivity-officers": "officer",
        "dashboard-admin": "admin",
    }
    assert role_from_claims(claims, mapping) is role


def test_single_sign_on_takes_the_user_table_first_then_the_claims(empty_engine):
    from lgadata.auth import single_sign_on_actor

    mapping = {"lga-officers": "officer"}
    save_user(engine=empty_engine, by=ADMIN, email="boss@example.gov.uk", role=Role.ADMIN)
    claims = {"groups": ["lga-officers"]}
    boss = single_sign_on_actor(
        engine=empty_engine, email="Boss@example.gov.uk", claims=claims, mapping=mapping
    )
    stranger = single_sign_on_actor(
        engine=empty_engine, email="new@example.gov.uk", claims=claims, mapping=mapping
    )
    nobody = single_sign_on_actor(
        engine=empty_engine, email="x@example.gov.uk", claims={}, mapping=mapping
    )
    assert (boss.role, stranger.role, nobody) == (Role.ADMIN, Role.OFFICER, None)


def test_a_disabled_user_is_refused_whatever_their_claims_say(empty_engine):
    import sqlalchemy as sa

    from lgadata.auth import single_sign_on_actor
    from lgadata.models import User

    save_user(engine=empty_engine, by=ADMIN, email="gone@example.gov.uk", role=Role.OFFICER)
    with empty_engine.begin() as conn:
        conn.execute(sa.update(User).values(disabled=True))
    claims, mapping = {"groups": ["lga-officers"]}, {"lga-officers": "officer"}
    assert (
        single_sign_on_actor(
            engine=empty_engine, email="gone@example.gov.uk", claims=claims, mapping=mapping
        )
        is None
    )


def test_a_single_sign_on_is_recorded_once_however_often_the_page_is_reloaded(empty_engine):
    from lgadata.auth import record_sign_in

    for _ in range(3):
        record_sign_in(
            engine=empty_engine,
            email="jo@example.gov.uk",
            via="single sign-on",
            token_issued=1700000000,
        )
    record_sign_in(
        engine=empty_engine,
        email="jo@example.gov.uk",
        via="single sign-on",
        token_issued=1700009999,
    )
    assert len(audit.events(engine=empty_engine, action="sign-in")) == 2


def test_the_audit_log_gives_each_moment_in_utc_with_its_offset_on_both_databases(empty_engine):
    # SQLite hands datetimes back without their zone and PostgreSQL with it: the log's text
    # (which `audit` prints) must read the same on both.
    save_user(engine=empty_engine, by=ADMIN, email="x@example.gov.uk", role=Role.VIEWER)
    (event,) = audit.events(engine=empty_engine)
    assert event["at"].endswith("+00:00"), event["at"]
    assert event["at"] == event["moment"].isoformat(timespec="seconds")


@pytest.mark.parametrize(
    "address",
    [
        "evil@example.com\nBcc: x@evil.example",  # a header, had it reached a message
        "[x](http://evil.example/)@example.com",  # a link, had it been drawn as markdown
        "a@b.example, c@d.example",
        "no-at-sign",
    ],
)
def test_a_user_is_added_only_with_one_real_e_mail_address(empty_engine, address):
    # The walk of issue 19 added all of these with `user add`, and every mail round then failed.
    with pytest.raises(ValueError, match="is not an e-mail address"):
        save_user(engine=empty_engine, by=ADMIN, email=address, role=Role.VIEWER)
    assert users(engine=empty_engine) == []


def test_an_address_is_kept_in_lower_case_without_spaces(empty_engine):
    save_user(engine=empty_engine, by=ADMIN, email="  Jo@Example.GOV.uk ", role=Role.VIEWER)
    assert [u["email"] for u in users(engine=empty_engine)] == ["jo@example.gov.uk"]
