"""The outbox: what is due to be sent (the board pack, officers' reminders), claimed under a
unique key before it is sent, and failed sends tried again with back-off.

See lgadata.mail for how a message is built and handed to the relay.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from lgadata import audit, meetings, pack_mail, returns
from lgadata.auth import Actor, Permission, Role, require_current
from lgadata.compose import ACTOR, Composer
from lgadata.db import write_transaction
from lgadata.mail import MailError, Relay, deliver
from lgadata.models import MailOutbox, User, utc_now
from lgadata.pack_mail import PACK

SENDING, SENT, FAILED, GAVE_UP, CANCELLED = "sending", "sent", "failed", "gave up", "cancelled"
REMINDER = "reminder"
MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=5)  # doubled after each further failure
LONGEST_WAIT = dt.timedelta(days=1)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    """A message that is due, before it is claimed: its unique key and what it is about."""

    key: str
    kind: str
    recipient: str
    meeting_id: int | None = None
    workstream: str = ""
    due_on: dt.date | None = None


@dataclass
class Outcome:
    """What one run of send-due did, message by message key."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the keys sent, failed and cancelled."""
        return {"sent": self.sent, "failed": self.failed, "cancelled": self.cancelled}


def retry_after(attempts: int) -> dt.timedelta:
    """Return how long to wait after the given number of failed attempts."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def _users(conn: sa.Connection, role: Role) -> list[sa.Row]:
    query = sa.select(User).where(User.role == role.value, User.disabled.is_(False))
    return list(conn.execute(query.order_by(User.email)))


def planned(
    *, engine: sa.Engine, today: dt.date, pack_days: int, reminder_days: int
) -> list[Planned]:
    """Return every message due today: the pack to opted-in board members, and reminders."""
    plans = []
    meeting = meetings.next_meeting(engine=engine, on=today)
    with engine.connect() as conn:
        officers = _users(conn, Role.OFFICER)
    if meeting and (meeting.meets_on - today).days <= pack_days:
        plans += _pack_plans(engine, meeting)
    horizon = today + dt.timedelta(days=reminder_days)
    for due in returns.returns_due(engine=engine, on=today, before=horizon):
        if due.status not in (returns.DUE, returns.OVERDUE):
            continue
        # Once before it falls due; then once in each week it is overdue.
        late = (today - due.next_due).days
        week = "before" if late <= 0 else f"overdue week {(late - 1) // 7 + 1}"
        plans += [
            Planned(
                f"reminder|{due.workstream}|due {due.next_due}|{week}|{u.email.lower()}",
                REMINDER,
                u.email,
                workstream=due.workstream,
                due_on=due.next_due,
            )
            for u in officers
            if not u.workstreams or due.workstream in u.workstreams.split(",")
        ]
    return plans


def _pack_plans(engine: sa.Engine, meeting) -> list[Planned]:
    with engine.connect() as conn:
        to = [u for u in pack_mail.members(conn) if not u.mail_opt_out]
    return [Planned(pack_mail.pack_key(meeting.id, u.email), PACK, u.email, meeting.id) for u in to]


def _claim_new(engine: sa.Engine, plan: Planned, now: dt.datetime) -> int | None:
    """Record a message as being sent, committed; None if another run has its key."""
    values = vars(plan) | {"status": SENDING, "attempts": 1, "created_at": now}
    try:
        with write_transaction(engine) as conn:
            insert = sa.insert(MailOutbox).values(**values).returning(MailOutbox.id)
            return conn.execute(insert).scalar_one()
    except sa.exc.IntegrityError:
        return None


def _claim_retry(engine: sa.Engine, row: sa.Row) -> bool:
    """Take a failed message for one more attempt; False if another run took it first."""
    with write_transaction(engine) as conn:
        taken = conn.execute(
            sa.update(MailOutbox)
            .where(
                MailOutbox.id == row.id,
                MailOutbox.status == FAILED,
                MailOutbox.attempts == row.attempts,
            )
            .values(status=SENDING, attempts=row.attempts + 1)
        )
        return taken.rowcount == 1


def _finish(
    engine, row, *, now, actor=ACTOR, sent=("", "", None), error: str | None = None, cancel=False
) -> str:
    """Record how an attempt ended, with its audit event, and return the new status.

    sent is the (subject, attachment's name, moment the relay took it) of a message sent.
    """
    detail = {"kind": row.kind, "to": row.recipient, "key": row.key, "attempt": row.attempts}
    values = {"next_attempt_at": None}
    if cancel:
        values |= {"status": CANCELLED}
        action, outcome = "mail cancelled", "ok"
    elif error is None:
        subject, attachment, handed = sent
        values |= {"status": SENT, "sent_at": handed, "last_error": ""}
        values |= {"subject": subject, "attachment": attachment}
        action, outcome = "mail sent", "ok"
        detail |= {"subject": subject} | ({"attachment": attachment} if attachment else {})
    else:
        retry = None if row.attempts >= MAX_ATTEMPTS else now + retry_after(row.attempts)
        values |= {"status": FAILED if retry else GAVE_UP, "last_error": error}
        values["next_attempt_at"] = retry
        action, outcome = "mail failed", "failed"
        detail |= {"error": error, "retry_at": retry}
    with write_transaction(engine) as conn:
        conn.execute(sa.update(MailOutbox).where(MailOutbox.id == row.id).values(**values))
        audit.record(conn, actor=actor, action=action, outcome=outcome, **detail)
    return values["status"]


def _attempt(engine, composer: Composer, row, now, outcome: Outcome) -> None:
    by = composer.actor
    try:
        composed = composer.compose(row)
        if composed is None:
            _finish(engine, row, now=now, actor=by, cancel=True)
            outcome.cancelled.append(row.key)
            return
        subject, message, attachment = composed
        deliver(composer.relay, message)
        # The moment this message went, not the round's: building a paper and a slow relay
        # can take minutes, and the outbox says when each member was sent theirs.
        handed = utc_now()
    except MailError as error:
        _finish(engine, row, now=now, actor=by, error=str(error))
        outcome.failed.append(row.key)
        return
    # Building the paper can fail in ways of its own (charts, fonts, the database): the
    # message waits for a retry and the log has the trace.
    except Exception as error:
        log.exception("Composing %s failed", row.key)
        _finish(engine, row, now=now, actor=by, error=f"The message could not be built: {error}")
        outcome.failed.append(row.key)
        return
    _finish(engine, row, now=now, actor=by, sent=(subject, attachment, handed))
    outcome.sent.append(row.key)


def _run(engine, composer: Composer, retries, plans, now) -> Outcome:
    """Attempt the failed messages given, then the planned ones no run has claimed yet."""
    outcome = Outcome()
    with engine.connect() as conn:
        known = set(conn.execute(sa.select(MailOutbox.key)).scalars())
    for row in retries:
        if _claim_retry(engine, row):
            _attempt(engine, composer, _row(engine, row.id), now, outcome)
    for plan in plans:
        if plan.key not in known and (claimed := _claim_new(engine, plan, now)) is not None:
            _attempt(engine, composer, _row(engine, claimed), now, outcome)
    return outcome


def send_due(
    *,
    engine: sa.Engine,
    relay: Relay,
    pack_days: int,
    reminder_days: int,
    now: dt.datetime | None = None,
) -> Outcome:
    """Send what is due and retry failed sends whose wait is over; return what was done."""
    now = now or utc_now()
    today = now.astimezone(meetings.UK_TIME).date()
    with engine.connect() as conn:
        retries = list(
            conn.execute(
                sa.select(MailOutbox).where(
                    MailOutbox.status == FAILED, MailOutbox.next_attempt_at <= now
                )
            )
        )
    plans = planned(engine=engine, today=today, pack_days=pack_days, reminder_days=reminder_days)
    return _run(engine, Composer(engine, relay, today), retries, plans, now)


def send_pack_now(
    *, engine: sa.Engine, relay: Relay, by: Actor, now: dt.datetime | None = None
) -> Outcome:
    """Send the next meeting's pack now to each member it has not gone to, and try its failed
    sends again without waiting; administrators only (read from the user table now).

    Through the same outbox as send_due: a member already sent it is not sent it again,
    whichever sends first.
    """
    by = require_current(engine=engine, actor=by, permission=Permission.SEND_MAIL)
    now = now or utc_now()
    today = now.astimezone(meetings.UK_TIME).date()
    meeting = meetings.next_meeting(engine=engine, on=today)
    if meeting is None:
        raise ValueError("No meeting is registered from today on, so there is no pack to send.")
    with engine.connect() as conn:
        retries = list(
            conn.execute(
                sa.select(MailOutbox).where(
                    MailOutbox.status == FAILED,
                    MailOutbox.kind == PACK,
                    MailOutbox.meeting_id == meeting.id,
                )
            )
        )
    composer = Composer(engine, relay, today, actor=by.email)
    done = _run(engine, composer, retries, _pack_plans(engine, meeting), now)
    with write_transaction(engine) as conn:
        audit.record(
            conn,
            actor=by.email,
            action="mail send now",
            outcome="failed" if done.failed else "ok",
            meeting=meeting.label,
            sent=len(done.sent),
            failed=len(done.failed),
        )
    return done


def _row(engine: sa.Engine, outbox_id: int) -> sa.Row:
    with engine.connect() as conn:
        return conn.execute(sa.select(MailOutbox).where(MailOutbox.id == outbox_id)).one()


def sent(*, engine: sa.Engine, limit: int = 200) -> list[dict]:
    """Return the outbox newest first: who was sent what, when, and what is failing."""
    query = sa.select(MailOutbox).order_by(MailOutbox.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [
            {
                "id": r.id,
                "kind": r.kind,
                "to": r.recipient,
                "subject": r.subject,
                "attachment": r.attachment,
                "status": r.status,
                "attempts": r.attempts,
                "error": r.last_error,
                "created_at": r.created_at,
                "sent_at": r.sent_at,
                "next_attempt_at": r.next_attempt_at,
            }
            for r in conn.execute(query)
        ]
