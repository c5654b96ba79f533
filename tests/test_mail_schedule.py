"""The dashboard's own mail round (APScheduler in each app process) and the command line's
choice of Word or PDF: a real SMTP server (aiosmtpd) receives what the round sends."""

import asyncio
import datetime as dt
import logging
import threading
import time

import pytest
import sqlalchemy as sa

from lgadata import auth, mail_schedule, meetings
from lgadata.auth import Role
from lgadata.db import get_engine
from lgadata.models import User
from lgadata.settings import Settings, get_settings
from tests import test_mail
from tests.test_mail import ADMIN, MEMBERS, SENDER

# The real SMTP server and the command line runner of the mail tests, used here too.
inbox, cli = test_mail.inbox, test_mail.cli

EVERY = dt.timedelta(seconds=0.5)


def relay_settings(port: int, **changes) -> Settings:
    values = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_timeout_s": 5,
        "mail_from": SENDER,
        "seed_samples": False,
    }
    return Settings(**(values | changes))


@pytest.fixture
def members_meeting_soon(empty_engine):
    """Two board members and a meeting three days from today, inside the pack's seven days."""
    for address in MEMBERS:
        auth.save_user(engine=empty_engine, by=ADMIN, email=address, role=Role.VIEWER)
    today = dt.datetime.now(meetings.UK_TIME).date()
    meetings.add_meeting(
        engine=empty_engine, by=ADMIN, meets_on=today + dt.timedelta(days=3), title="Board"
    )
    return empty_engine


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_two_processes_rounds_send_the_pack_once_to_each_member(members_meeting_soon, inbox):
    # Two schedulers stand for two dashboard processes behind nginx, each with its own round.
    settings = relay_settings(inbox.port)
    rounds = [mail_schedule.start(members_meeting_soon, settings, every=EVERY) for _ in range(2)]
    try:
        assert all(rounds)
        assert wait_for(lambda: len(inbox.messages) >= len(MEMBERS))
        time.sleep(3 * EVERY.total_seconds() + 1)  # several more rounds in each process
    finally:
        for each in rounds:
            each.shutdown(wait=True)
    assert inbox.to() == sorted(MEMBERS)
    assert all(m["Subject"].startswith("Board pack") for m in inbox.messages), [
        m["Subject"] for m in inbox.messages
    ]


@pytest.mark.parametrize(
    "changes", [{"smtp_host": ""}, {"mail_from": ""}, {"mail_every_minutes": 0}]
)
def test_no_round_runs_without_a_relay_and_a_sender_or_when_cron_sends(changes):
    assert mail_schedule.start(sa.create_engine("sqlite://"), relay_settings(25, **changes)) is None


def test_a_failing_round_is_logged_and_the_next_one_still_runs(
    members_meeting_soon, inbox, tmp_path, caplog
):
    missing = tmp_path / "smtp-password"  # the password file is not there yet
    settings = relay_settings(inbox.port, smtp_user="pp", smtp_password_file=missing)
    with caplog.at_level(logging.ERROR, logger="lgadata.mail"):
        assert mail_schedule.mail_round(members_meeting_soon, settings) is None
    assert "The mail round failed" in caplog.text and "smtp-password" in caplog.text
    done = mail_schedule.mail_round(members_meeting_soon, relay_settings(inbox.port))
    assert len(done.sent) == len(MEMBERS)
    assert inbox.to() == sorted(MEMBERS)


def test_the_dashboards_start_up_starts_the_round_and_its_end_stops_it(monkeypatch, sqlite_url):
    # serve.py's start-up hook itself, without Streamlit's runtime (which a test process can
    # start only once); what it sets for the whole process is put back afterwards.
    import gc

    from streamlit.runtime.pages_manager import PagesManager

    import serve

    started, stopped = [], []

    class Round:
        def shutdown(self, wait):
            stopped.append(wait)

    def start(engine, settings):
        started.append(settings.mail_every_minutes)
        return Round()

    monkeypatch.setenv("LGADATA_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("LGADATA_SEED_SAMPLES", "false")
    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)
    monkeypatch.setattr(gc, "freeze", lambda: None)
    monkeypatch.setattr(mail_schedule, "start", start)
    monkeypatch.setattr(serve, "_warm_up", lambda: None)
    get_settings.cache_clear()
    get_engine.cache_clear()

    async def serve_and_stop():
        async with serve.lifespan(None):
            assert started == [15] and stopped == []

    # In a thread of its own: an earlier test in the same worker may leave the main
    # thread with an event loop marked as running, and asyncio.run refuses to nest.
    errors = []
    runner = threading.Thread(target=lambda: errors.extend(run_catching(serve_and_stop)))
    runner.start()
    runner.join(timeout=60)
    assert not runner.is_alive() and errors == []
    assert stopped == [False]
    get_settings.cache_clear()
    get_engine.cache_clear()


def run_catching(coroutine_function) -> list[BaseException]:
    try:
        asyncio.run(coroutine_function())
    except BaseException as error:  # reported by the test, in its own thread
        return [error]
    return []


def attachment_of(engine, email: str) -> str:
    with engine.connect() as conn:
        return conn.execute(sa.select(User.mail_attachment).where(User.email == email)).scalar()


def test_the_command_line_chooses_word_or_pdf_for_a_member(cli, database_url):
    cli("mail", "outbox")  # makes the schema
    engine = get_engine()
    auth.save_user(engine=engine, by=ADMIN, email=MEMBERS[0], role=Role.VIEWER)
    status, output = cli("mail", "word", MEMBERS[0])
    assert (status, output.strip()) == (0, f"{MEMBERS[0]} will be sent the board pack as Word.")
    assert attachment_of(get_engine(), MEMBERS[0]) == "docx"
    status, output = cli("mail", "pdf", MEMBERS[0])
    assert (status, attachment_of(get_engine(), MEMBERS[0])) == (0, "pdf")
    status, output = cli("mail", "word", "nobody@board.example")
    assert status == 1 and "no user 'nobody@board.example'" in output
    assert "Traceback" not in output
