"""The Mail page: an administrator previews the next meeting's pack and sends it now through a
real SMTP server (aiosmtpd); nobody else has the page, and a demotion counts at the next click."""

import datetime as dt

import pytest

from lgadata import auth, meetings
from lgadata.auth import Role
from lgadata.db import make_engine
from lgadata.mail import set_mail_preferences
from tests.pages.conftest import as_read, texts
from tests.pages.test_sign_in import run_page_alone
from tests.test_mail import MEMBERS, free_port, inbox

__all__ = ["inbox"]  # fixture

BY = auth.command_line("test")
ADMIN = "admin@example.gov.uk"  # whom open_page signs in


@pytest.fixture
def relay_settings(inbox, monkeypatch):
    """The settings of the test's relay, read by the page as the README says to set them."""
    for name, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(inbox.port),
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT_S": "5",
        "MAIL_FROM": "productivity@lga.example",
    }.items():
        monkeypatch.setenv(f"LGADATA_{name}", value)
    return inbox


def add_board(database_url) -> None:
    """Two board members, one who chose Word, one who opted out, and a meeting in five days."""
    engine = make_engine(database_url)
    for email in (*MEMBERS, "opted.out@board.example"):
        auth.save_user(engine=engine, by=BY, email=email, role=Role.VIEWER)
    set_mail_preferences(engine=engine, by=BY, email=MEMBERS[1], attachment="docx")
    set_mail_preferences(engine=engine, by=BY, email="opted.out@board.example", opted_out=True)
    today = dt.datetime.now(meetings.UK_TIME).date()
    meetings.add_meeting(
        engine=engine, by=BY, meets_on=today + dt.timedelta(days=5), title="Board <b>x</b>"
    )
    engine.dispose()


def send_now(app):
    [button] = [b for b in app.button if b.label == "Send now"]
    return button.click().run(timeout=120)


def recipients(app) -> list[tuple[str, str, str]]:
    table = app.dataframe[0].value
    return list(zip(table["To"], table["As"], table["Status"], strict=True))


def test_an_administrator_previews_the_pack_and_sends_it_once_to_each_member(
    open_page, database_url, relay_settings
):
    app = open_page(role="admin")  # the sample database, then the board on it
    add_board(database_url)
    app = open_page("mail.py", role="admin")
    [message] = app.code
    assert message.value.startswith("From: productivity@lga.example\nSubject: Board pack: ")
    assert "Board <b>x</b>" in message.value  # shown as typed, never as markup
    assert recipients(app) == [
        (MEMBERS[0], "PDF", "not sent yet"),
        (MEMBERS[1], "Word", "not sent yet"),
    ]
    assert "Due to be sent on " in texts(app)
    assert app.dataframe[1].value["Opted out"].tolist() == ["opted.out@board.example"]
    app = send_now(app)
    assert not app.exception
    assert "Sent to 2 members" in app.success[0].value
    shown = texts(app)
    assert "\nSent on " in shown and "Due to be sent" not in shown
    assert relay_settings.to() == list(MEMBERS)
    assert [s for _, _, s in recipients(app)] == ["sent", "sent"]
    outbox = app.dataframe[-1].value
    assert sorted(outbox["To"]) == list(MEMBERS)
    assert set(outbox["Status"]) == {"sent"}
    app = send_now(app)
    assert "nobody was sent it twice" in texts(app)
    assert relay_settings.to() == list(MEMBERS)  # exactly one message each


def test_a_refusing_relay_is_shown_and_left_for_retry_never_a_traceback(
    open_page, database_url, relay_settings
):
    open_page(role="admin")
    add_board(database_url)
    app = open_page("mail.py", role="admin")
    relay_settings.refusing = True
    app = send_now(app)
    assert not app.exception
    assert "2 could not be sent" in app.error[0].value
    outbox = app.dataframe[-1].value
    # What an administrator acts on first, in view without scrolling sideways.
    first = [c.split(" (")[0] for c in outbox.columns[:5]]
    assert first == ["Status", "To", "Kind", "Relay's answer", "Next try"]
    assert set(outbox["Status"]) == {"failed"}
    assert set(outbox["Relay's answer"]) == {
        "The relay 127.0.0.1:"
        f"{relay_settings.port} refused the message: 554 5.7.1 Relaying refused for this test"
    }
    assert all(outbox[[c for c in outbox.columns if c.startswith("Next try")][0]])
    assert "2 messages failed" in app.warning[0].value
    answer = "The relay's answer: " + outbox["Relay's answer"][0]
    assert [t.value for t in app.text if t.value.startswith("The relay's")] == [answer]
    relay_settings.refusing = False
    app = send_now(app)
    assert "Sent to 2 members" in app.success[0].value
    assert relay_settings.to() == list(MEMBERS)


def test_without_relay_settings_the_page_says_what_to_set(open_page, monkeypatch):
    monkeypatch.delenv("LGADATA_SMTP_HOST", raising=False)
    app = open_page("mail.py", role="admin")
    assert "Set LGADATA_SMTP_HOST and LGADATA_MAIL_FROM" in as_read(app.warning[0].value)
    assert not [b for b in app.button if b.label == "Send now"]


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_an_officer_or_viewer_has_no_mail_page_and_opening_it_is_refused(
    open_page, database_url, monkeypatch, relay_settings, role
):
    app = open_page(role=role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("pages/mail.py")
    alone = run_page_alone("mail.py", database_url, monkeypatch, role=role)
    assert "needs permission to send the board pack" in alone.error[0].value
    assert not alone.dataframe and not alone.code and not alone.button and not alone.exception


def test_an_administrator_demoted_after_signing_in_is_refused_at_the_next_click(
    open_page, database_url, relay_settings
):
    open_page(role="admin")
    add_board(database_url)
    app = open_page("mail.py", role="admin")
    engine = make_engine(database_url)
    auth.save_user(engine=engine, by=BY, email="other.admin@example.gov.uk", role=Role.ADMIN)
    auth.save_user(engine=engine, by=BY, email=ADMIN, role=Role.VIEWER)
    engine.dispose()
    app = send_now(app)
    assert not app.exception
    assert "needs permission to send the board pack" in app.error[0].value
    assert relay_settings.messages == []
    assert not app.code


def test_a_relay_that_is_down_is_shown_and_left_for_retry(
    open_page, database_url, relay_settings, monkeypatch
):
    open_page(role="admin")
    add_board(database_url)
    down = free_port()  # nothing listens there
    monkeypatch.setenv("LGADATA_SMTP_PORT", str(down))
    app = send_now(open_page("mail.py", role="admin"))
    assert not app.exception
    assert "2 could not be sent" in app.error[0].value
    outbox = app.dataframe[-1].value
    # What an administrator acts on first, in view without scrolling sideways.
    first = [c.split(" (")[0] for c in outbox.columns[:5]]
    assert first == ["Status", "To", "Kind", "Relay's answer", "Next try"]
    assert set(outbox["Status"]) == {"failed"}
    assert all(
        answer.startswith(f"Could not send through 127.0.0.1:{down}")
        for answer in outbox["Relay's answer"]
    )
