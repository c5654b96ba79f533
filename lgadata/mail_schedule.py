"""The dashboard's own mail round: APScheduler calls outbox.send_due every few minutes in each
app process, so no cron job is needed. Several processes may all run it: the outbox claims
each message under its unique key before it is sent, so each is sent once whoever runs first.
"""

import datetime as dt
import logging

import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from lgadata import outbox
from lgadata.mail import Relay
from lgadata.models import utc_now
from lgadata.settings import Settings

log = logging.getLogger("lgadata.mail")


def mail_round(engine: sa.Engine, settings: Settings) -> outbox.Outcome | None:
    """Send what is due now; log, never raise, so one bad round never stops the next."""
    try:
        done = outbox.send_due(
            engine=engine,
            relay=Relay.from_settings(settings),
            pack_days=settings.mail_pack_days,
            reminder_days=settings.mail_reminder_days,
        )
    except Exception:  # the database down, a bad password file: the next round tries again
        log.exception("The mail round failed; the next round, in %s, tries again", _every(settings))
        return None
    if done.sent or done.failed or done.cancelled:
        log.info(
            "Mail round: sent %d, failed %d (to be retried), cancelled %d",
            len(done.sent),
            len(done.failed),
            len(done.cancelled),
        )
    return done


def _every(settings: Settings) -> dt.timedelta:
    return dt.timedelta(minutes=settings.mail_every_minutes)


def start(
    engine: sa.Engine, settings: Settings, *, every: dt.timedelta | None = None
) -> BackgroundScheduler | None:
    """Start the mail round in this process, the first a minute from now; None when mail is
    not set up (no relay or sender) or LGADATA_MAIL_EVERY_MINUTES is 0 (cron sends instead)."""
    if not (settings.smtp_host and settings.mail_from and settings.mail_every_minutes):
        return None
    every = every or _every(settings)
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    scheduler.add_job(
        mail_round,
        IntervalTrigger(seconds=every.total_seconds(), timezone=dt.UTC),
        args=(engine, settings),
        id="mail round",
        next_run_time=utc_now() + min(every, dt.timedelta(minutes=1)),
        coalesce=True,  # rounds missed while the machine slept run once, not once each
        max_instances=1,  # a slow round is never overlapped by the next in this process
        misfire_grace_time=None,
    )
    scheduler.start()
    log.info("Mail round every %s in this process", every)
    return scheduler
