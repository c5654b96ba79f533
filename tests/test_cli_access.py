"""The command line for access: a user disabled, enabled, given a new password, unlocked,
signed out everywhere and removed; API tokens issued, listed and revoked."""

import io

import pytest

from lgadata import sessions, tokens
from lgadata.auth import users
from lgadata.cli import main
from lgadata.db import get_engine
from tests.test_cli import cli  # noqa: F401  (the fixture)

EMAIL = "member@example.gov.uk"


@pytest.fixture
def member(cli, monkeypatch):  # noqa: F811
    monkeypatch.setattr("sys.stdin", io.StringIO("a long first password\n"))
    cli("user", "add", "boss@example.gov.uk", "--role", "admin", "--no-password")
    assert cli("user", "add", EMAIL, "--role", "officer")[0] == 0
    return cli


def test_disable_ends_the_users_sessions_and_enable_lets_them_back(member):
    engine = get_engine()
    token = sessions.start(engine=engine, email=EMAIL, via="local account")
    assert member("user", "disable", EMAIL) == (
        0,
        {"ok": True, "email": EMAIL, "action": "disable"},
    )
    assert sessions.resolve(engine=engine, token=token).reason == "disabled"
    assert [u["disabled"] for u in users(engine=engine) if u["email"] == EMAIL] == [True]
    assert member("user", "enable", EMAIL)[0] == 0
    assert [u["disabled"] for u in users(engine=engine) if u["email"] == EMAIL] == [False]


def test_user_list_says_which_users_are_disabled(member, capsys):
    # The walk of issue 17: the list printed a disabled user like any other.
    member("user", "disable", EMAIL)
    assert main(["user", "list"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split() == ["E-mail", "Role", "Workstreams", "Status"]
    assert [line.split() for line in lines] == [
        ["boss@example.gov.uk", "admin", "all", "active"],
        [EMAIL, "officer", "all", "disabled"],
    ]
    member("user", "enable", EMAIL)
    assert main(["user", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split()[-1] == "active"


def test_a_new_password_and_end_sessions_sign_the_user_out(member, monkeypatch):
    engine = get_engine()
    first = sessions.start(engine=engine, email=EMAIL, via="local account")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long second password\n"))
    assert member("user", "password", EMAIL)[0] == 0
    assert sessions.resolve(engine=engine, token=first).reason == "password changed"
    second = sessions.start(engine=engine, email=EMAIL, via="local account")
    assert member("user", "end-sessions", EMAIL)[0] == 0
    assert sessions.resolve(engine=engine, token=second).actor is None


def test_remove_refuses_the_last_administrator_and_removes_others(member):
    status, out = member("user", "remove", "boss@example.gov.uk")
    assert status == 1 and "only administrator" in out["errors"][0]["message"]
    assert member("user", "remove", EMAIL)[0] == 0
    assert EMAIL not in [u["email"] for u in users(engine=get_engine())]
    assert member("user", "unlock", EMAIL)[0] == 1  # no such user now


def test_a_token_is_printed_once_listed_without_itself_and_revoked(member):
    status, issued = member("token", "issue", EMAIL, "--label", "website")
    assert status == 0 and issued["token"].startswith(tokens.PREFIX)
    _, listed = member("token", "list")
    assert issued["token"] not in str(listed)
    [row] = listed["tokens"]
    assert member("token", "revoke", str(row["id"]))[0] == 0
    assert tokens.resolve(engine=get_engine(), token=issued["token"]) is None
    assert member("token", "revoke", "x")[0] == 2
