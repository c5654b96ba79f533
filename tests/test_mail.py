"""E-mail through a real SMTP server (aiosmtpd on a free local port): the board pack before a
meeting, officers' reminders, each sent once however many runs, failures retried."""

import dataclasses
import datetime as dt
import email
import email.policy
import io
import os
import socket
import subprocess
import sys
import threading

import pypdf
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from lgadata import audit, auth, mail, meetings, outbox
from lgadata.auth import Role
from lgadata.cli import main
from lgadata.db import get_engine
from lgadata.mail import MailError, Relay, set_mail_opt_out
from lgadata.models import MailOutbox, Upload
from lgadata.settings import REPO_ROOT, get_settings
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx

ADMIN = auth.command_line("admin@lga.example")
NOW = dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)
MEETS_ON = dt.date(2026, 12, 9)  # seven days on: the pack is due
MEMBERS = ("member.one@board.example", "member.two@board.example")
SENDER = "productivity@lga.example"


class Inbox:
    """An aiosmtpd handler that keeps every message, or refuses them all while told to."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refusing = False

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "554 5.7.1 Relaying refused for this test"
        for to in envelope.rcpt_tos:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message["X-Envelope-To"] = to
            self.messages.append(message)
        return "250 OK"

    def to(self) -> list[str]:
        return sorted(m["X-Envelope-To"] for m in self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox():
    """A real SMTP server on a free local port; yields its Inbox and port."""
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


def relay_to(port: int, timeout_s: float = 5.0) -> Relay:
    return Relay(
        host="127.0.0.1",
        port=port,
        security="none",
        user="",
        password="",
        timeout_s=timeout_s,
        sender=SENDER,
        dashboard_url="https://dashboard.lga.example/",
    )


@pytest.fixture
def board(empty_engine):
    """Two board members, one who opted out, a disabled one, an officer and the next meeting."""
    people = [
        *((m, Role.VIEWER, ()) for m in MEMBERS),
        ("opted.out@board.example", Role.VIEWER, ()),
        ("gone@board.example", Role.VIEWER, ()),
        ("officer@lga.example", Role.OFFICER, ("shared_services",)),
        ("other.officer@lga.example", Role.OFFICER, ("ebulletin",)),
    ]
    for address, role, workstreams in people:
        auth.save_user(
            engine=empty_engine, by=ADMIN, email=address, role=role, workstreams=workstreams
        )
    set_mail_opt_out(engine=empty_engine, by=ADMIN, email="opted.out@board.example", opted_out=True)
    auth.set_disabled(engine=empty_engine, by=ADMIN, email="gone@board.example", disabled=True)
    meetings.add_meeting(
        engine=empty_engine, by=ADMIN, meets_on=dt.date(2026, 9, 16), title="Board"
    )
    meetings.add_meeting(
        engine=empty_engine,
        by=ADMIN,
        meets_on=MEETS_ON,
        title="Improvement <b>and</b> Innovation Board",
    )
    return empty_engine


def send_due(engine, relay, now=NOW, **kw):
    return outbox.send_due(engine=engine, relay=relay, pack_days=7, reminder_days=14, now=now, **kw)


def outbox_rows(engine) -> list[sa.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(MailOutbox).order_by(MailOutbox.id)))


def upload_map(engine, when: dt.datetime) -> Upload:
    """Load a map edition dated the day it is uploaded, as a live return is."""
    body = [[when.date().isoformat(), "A", "Stroud", "", "Legal", "", "", 10, "", ""]]
    data = make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *body]})
    upload = check_and_store(engine, data, workstream="shared_services", file_name="map.xlsx")
    with engine.begin() as conn:
        conn.execute(sa.update(Upload).where(Upload.id == upload.id).values(uploaded_at=when))
    return upload


def test_the_pack_goes_once_to_each_opted_in_board_member_with_the_paper_attached(board, inbox):
    relay = relay_to(inbox.port)
    upload_map(board, dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC))
    assert send_due(board, relay, now=NOW - dt.timedelta(days=1)).sent == []  # eight days out
    done = send_due(board, relay)
    assert len(done.sent) == 2 and not done.failed
    assert inbox.to() == list(MEMBERS)
    message = inbox.messages[0]
    assert message["From"] == SENDER
    assert message["Subject"] == (
        "Board pack: 9 December 2026, Improvement <b>and</b> Innovation Board"
    )
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "productivity-programme-update-2026-12-09.pdf"
    pdf = pypdf.PdfReader(io.BytesIO(attachment.get_content()))
    assert "for its meeting on 9 December 2026" in " ".join(pdf.pages[0].extract_text().split())
    text = message.get_body(("plain",)).get_content()
    assert "Since the last meeting (16 September 2026, Board):" in text
    assert (
        "- Shared Services Map: Councils sharing services 1 (was none); Arrangements 1 "
        "(was none); Efficiency savings £10 (was none)." in text
    )
    html = message.get_body(("html",)).get_content()
    assert "Improvement &lt;b&gt;and&lt;/b&gt; Innovation Board" in html
    assert "<b>" not in html
    assert html.count("<a ") == 1 and 'href="https://dashboard.lga.example/"' in html

    assert send_due(board, relay).sent == []  # the same day again
    assert send_due(board, relay, now=NOW + dt.timedelta(days=3)).sent == []
    assert len(inbox.messages) == 2
    sent = audit.events(engine=board, action="mail sent")
    assert sorted(e["detail"]["to"] for e in sent) == list(MEMBERS)
    assert {r.status for r in outbox_rows(board)} == {outbox.SENT}


def test_two_runs_at_once_send_each_message_once(board, inbox):
    relay, start = relay_to(inbox.port), threading.Barrier(2)
    results = []

    def run():
        start.wait()
        results.append(send_due(board, relay))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inbox.to() == list(MEMBERS)
    assert sorted(key for r in results for key in r.sent) == sorted(
        r.key for r in outbox_rows(board)
    )


def test_two_processes_and_a_restart_send_nothing_twice(board, inbox, database_url):
    env = os.environ | {
        "LGADATA_DATABASE_URL": database_url,
        "LGADATA_SEED_SAMPLES": "false",
        "LGADATA_SMTP_HOST": "127.0.0.1",
        "LGADATA_SMTP_PORT": str(inbox.port),
        "LGADATA_SMTP_SECURITY": "none",
        "LGADATA_MAIL_FROM": SENDER,
    }
    # The processes run today, so the meeting is moved to a week from today.
    today = dt.datetime.now(meetings.UK_TIME).date()
    meetings.change_meeting(
        engine=board, by=ADMIN, meeting_id=2, meets_on=today + dt.timedelta(days=7)
    )
    command = [sys.executable, "-m", "lgadata", "mail", "send-due", "--json"]

    def start():
        return subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)

    first, second = start(), start()
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    again = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
    assert again.returncode == 0 and '"sent": []' in again.stdout
    assert inbox.to() == list(MEMBERS)


def test_a_refused_send_is_kept_with_its_error_and_retried_after_its_wait(board, inbox):
    relay = relay_to(inbox.port)
    inbox.refusing = True
    done = send_due(board, relay)
    assert len(done.failed) == 2 and done.sent == []
    rows = outbox_rows(board)
    assert {r.status for r in rows} == {outbox.FAILED}
    assert "554 5.7.1 Relaying refused" in rows[0].last_error
    failures = audit.events(engine=board, action="mail failed")
    assert len(failures) == 2 and failures[0]["outcome"] == "failed"
    assert "554" in failures[0]["detail"]["error"]

    inbox.refusing = False
    assert send_due(board, relay, now=NOW + dt.timedelta(minutes=4)).sent == []
    assert len(send_due(board, relay, now=NOW + dt.timedelta(minutes=6)).sent) == 2
    assert inbox.to() == list(MEMBERS)
    assert [r.attempts for r in outbox_rows(board)] == [2, 2]


def test_the_wait_between_attempts_doubles_and_attempts_end(board):
    assert [outbox.retry_after(n) for n in (1, 2, 3)] == [
        dt.timedelta(minutes=m) for m in (5, 10, 20)
    ]
    assert outbox.retry_after(20) == dt.timedelta(days=1)
    nobody = relay_to(free_port(), timeout_s=1)
    for attempt in range(outbox.MAX_ATTEMPTS):
        send_due(board, nobody, now=NOW + dt.timedelta(days=attempt / 3))
    rows = outbox_rows(board)
    assert {(r.status, r.attempts) for r in rows} == {(outbox.GAVE_UP, outbox.MAX_ATTEMPTS)}
    assert "Could not send through 127.0.0.1" in rows[0].last_error


def test_a_relay_that_never_answers_times_out_into_a_retry(board):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections are accepted by the kernel, then nothing is said
        done = send_due(board, relay_to(silent.getsockname()[1], timeout_s=0.5))
    assert len(done.failed) == 2
    row = outbox_rows(board)[0]
    assert row.status == outbox.FAILED and "did not answer within 0.5 seconds" in row.last_error
    assert audit.events(engine=board, action="mail failed")


def reminders(inbox) -> list[str]:
    return [m["Subject"] for m in inbox.messages if not m["Subject"].startswith("Board pack")]


def test_an_officer_is_reminded_once_then_weekly_while_overdue_until_the_upload(board, inbox):
    relay = relay_to(inbox.port)
    upload_map(board, dt.datetime(2025, 11, 20, 10, tzinfo=dt.UTC))  # due 20 November 2026
    send_due(board, relay)
    assert reminders(inbox) == ["Return overdue: Shared Services Map, due 20 November 2026"]
    reminder = next(m for m in inbox.messages if m["Subject"].startswith("Return"))
    assert reminder["X-Envelope-To"] == "officer@lga.example"
    assert "these reminders stop once it is in" in reminder.get_body(("plain",)).get_content()
    for days in (0, 1, 2):  # the same week overdue (the second)
        send_due(board, relay, now=NOW + dt.timedelta(days=days))
    assert len(reminders(inbox)) == 1
    send_due(board, relay, now=NOW + dt.timedelta(days=3))  # the third week overdue
    assert len(reminders(inbox)) == 2
    upload_map(board, NOW + dt.timedelta(days=4))
    for days in (4, 11, 18):
        send_due(board, relay, now=NOW + dt.timedelta(days=days))
    assert len(reminders(inbox)) == 2


def test_a_reminder_failing_when_the_return_comes_in_is_cancelled_not_sent(board, inbox):
    relay = relay_to(inbox.port)
    upload_map(board, dt.datetime(2025, 11, 20, 10, tzinfo=dt.UTC))
    inbox.refusing = True
    send_due(board, relay)
    inbox.refusing = False
    upload_map(board, NOW + dt.timedelta(minutes=1))
    done = send_due(board, relay, now=NOW + dt.timedelta(minutes=10))
    assert [key.split("|")[0] for key in done.cancelled] == ["reminder"]
    assert reminders(inbox) == []


def test_a_reminder_before_the_due_day_is_sent_once_in_the_window(board, inbox):
    relay = relay_to(inbox.port)
    upload_map(board, dt.datetime(2025, 12, 17, 10, tzinfo=dt.UTC))  # due 17 December 2026
    send_due(board, relay)  # fifteen days ahead: outside the window
    assert reminders(inbox) == []
    for days in (1, 5, 15):  # fourteen days ahead, up to the due day itself
        send_due(board, relay, now=NOW + dt.timedelta(days=days))
    assert reminders(inbox) == ["Return due: Shared Services Map, by 17 December 2026"]
    send_due(board, relay, now=NOW + dt.timedelta(days=16))  # the day after: overdue
    assert len(reminders(inbox)) == 2


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    """Run `python -m lgadata ARGS` with the given environment; return (status, output)."""
    monkeypatch.setenv("LGADATA_DATABASE_URL", database_url)
    monkeypatch.setenv("LGADATA_SEED_SAMPLES", "false")
    monkeypatch.setenv("LGADATA_MAIL_FROM", SENDER)
    monkeypatch.setenv("LGADATA_SMTP_SECURITY", "none")
    monkeypatch.setenv("LGADATA_SMTP_TIMEOUT_S", "2")

    def run(*args: str, **env: str) -> tuple[int, str]:
        for name, value in env.items():
            monkeypatch.setenv(f"LGADATA_{name.upper()}", value)
        get_settings.cache_clear()
        get_engine.cache_clear()
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out + captured.err

    yield run
    get_engine.cache_clear()
    get_settings.cache_clear()


def test_mail_test_sends_one_message_or_says_plainly_why_not(cli, inbox):
    status, output = cli("mail", "test", "me@lga.example", smtp_host="")
    assert (status, output.strip()) == (
        1,
        "Error: Set LGADATA_SMTP_HOST and LGADATA_MAIL_FROM to send mail.",
    )
    status, output = cli("mail", "test", "me@lga.example", smtp_host="127.0.0.1")
    assert status == 1 and output.startswith("Error: Could not send through 127.0.0.1:587")
    status, output = cli("mail", "test", "me@lga.example", smtp_port=str(inbox.port))
    assert (status, output.strip()) == (0, "Sent a test message to me@lga.example.")
    assert inbox.to() == ["me@lga.example"]
    inbox.refusing = True
    status, output = cli("mail", "test", "me@lga.example")
    assert status == 1 and "refused the message: 554" in output and "Traceback" not in output
    outcomes = [e["outcome"] for e in audit.events(engine=get_engine(), action="mail test")]
    assert outcomes == ["failed", "ok", "failed"]


def test_send_due_on_the_command_line_reports_failures_without_a_traceback(cli, board):
    port = str(free_port())
    status, output = cli("mail", "send-due", smtp_host="127.0.0.1", smtp_port=port)
    assert status in (0, 1) and "Traceback" not in output
    assert output.startswith("Sent 0, failed")


def test_the_password_comes_from_its_file_and_never_shows(tmp_path, monkeypatch):
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret-pass\n", encoding="utf-8")
    monkeypatch.setenv("LGADATA_SMTP_HOST", "relay.lga.example")
    monkeypatch.setenv("LGADATA_MAIL_FROM", SENDER)
    monkeypatch.setenv("LGADATA_SMTP_PASSWORD", "from-the-environment")
    monkeypatch.setenv("LGADATA_SMTP_PASSWORD_FILE", str(secret))
    settings = get_settings.__wrapped__()
    relay = Relay.from_settings(settings)
    assert relay.password == "s3cret-pass"
    assert "s3cret" not in repr(relay) and "from-the-environment" not in repr(settings)
    secret.unlink()
    with pytest.raises(MailError, match="smtp-password: No such file"):
        Relay.from_settings(settings)


def test_a_board_member_may_opt_themselves_out_but_not_someone_else(board):
    member = auth.Actor(email=MEMBERS[0], role=Role.VIEWER)
    set_mail_opt_out(engine=board, by=member, email=MEMBERS[0], opted_out=True)
    with pytest.raises(auth.NotAllowed):
        set_mail_opt_out(engine=board, by=member, email=MEMBERS[1], opted_out=True)
    plans = outbox.planned(engine=board, today=NOW.date(), pack_days=7, reminder_days=14)
    assert [p.recipient for p in plans] == [MEMBERS[1]]


def signed_in_relay(handler, port: int) -> Controller:
    """A relay that takes only pp / s3cret, and answers a wrong password with 535 as real
    relays do (aiosmtpd's default for a failed AuthResult is to send no reply at all)."""
    from aiosmtpd.smtp import AuthResult

    def authenticator(server, session, envelope, mechanism, auth_data):
        success = (auth_data.login, auth_data.password) == (b"pp", b"s3cret")
        return AuthResult(success=success, handled=False)

    return Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
        auth_required=True,
    )


# The test server has no certificate, so it takes a password without TLS, and says so.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_relay_is_signed_in_to_and_the_password_stays_out_of_the_log_and_repr(board):
    handler, port = Inbox(), free_port()
    controller = signed_in_relay(handler, port)
    controller.start()
    try:
        relay = dataclasses.replace(relay_to(port), user="pp", password="s3cret")
        assert "s3cret" not in repr(relay)
        assert len(send_due(board, relay).sent) == 2
    finally:
        controller.stop()
    assert handler.to() == list(MEMBERS)
    assert "s3cret" not in str(audit.events(engine=board))


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_a_wrong_password_is_reported_as_a_refused_sign_in_not_a_timeout():
    port = free_port()
    controller = signed_in_relay(Inbox(), port)
    controller.start()
    try:
        relay = dataclasses.replace(relay_to(port), user="pp", password="wrong", timeout_s=5)
        with pytest.raises(mail.MailError) as refused:
            mail.deliver(
                relay,
                mail.build_message(relay=relay, to="a@b.example", subject="s", paragraphs=["p"]),
            )
    finally:
        controller.stop()
    assert "refused the sign-in as 'pp'" in str(refused.value) and "535" in str(refused.value)
    assert "did not answer" not in str(refused.value) and "wrong" not in str(refused.value)


def test_every_message_carries_its_date_and_id(inbox):
    # Seen missing by the walk of issue 19: RFC 5322 requires Date, and relays may not add it.
    message = mail.build_message(
        relay=relay_to(inbox.port), to=MEMBERS[0], subject="S", paragraphs=["P"]
    )
    sent = email.utils.parsedate_to_datetime(message["Date"])
    assert abs(sent - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert message["Message-ID"].endswith("@lga.example>")


@pytest.mark.parametrize(
    "address", ["not-an-address", "a@b.example, c@d.example", "x@y.example\nBcc: evil@evil.example"]
)
def test_mail_test_sends_to_one_real_address_only(cli, inbox, address):
    status, output = cli("mail", "test", address, smtp_host="127.0.0.1", smtp_port=str(inbox.port))
    assert status == 1 and "is not an e-mail address" in output and "Traceback" not in output
    assert inbox.messages == []


@pytest.mark.parametrize(("setting", "value"), [("smtp_port", "abc"), ("smtp_security", "bogus")])
def test_a_setting_that_cannot_be_used_is_named_not_a_traceback(cli, setting, value):
    # The walk of issue 19 got pydantic's traceback for these.
    status, output = cli("mail", "test", "me@lga.example", **{setting: value})
    assert status == 1 and "Traceback" not in output
    assert output.startswith(f"Error: The settings cannot be used: LGADATA_{setting.upper()} is ")
