"""The outbox: what is due to be sent (the board pack, officers' reminders), claimed under a
unique key before it is sent, and failed sends tried again with back-off.

See lgadata.mail for how a message is built and handed to the relay.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from lgadata import audit, meetings, returns, since
from lgadata.auth import Role
from lgadata.db import write_transaction
from lgadata.mail import MailError, Relay, build_message, deliver
from lgadata.models import MailOutbox, User, utc_now
from lgadata.values import format_date

SENDING, SENT, FAILED, GAVE_UP, CANCELLED = "sending", "sent", "failed", "gave up", "cancelled"
PACK, REMINDER = "board pack", "reminder"
MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=5)  # doubled after each further failure
LONGEST_WAIT = dt.timedelta(days=1)
ACTOR = "mail"  # who the audit log says sent what send-due sends
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
        viewers, officers = _users(conn, Role.VIEWER), _users(conn, Role.OFFICER)
    if meeting and (meeting.meets_on - today).days <= pack_days:
        plans += [
            Planned(f"pack|meeting {meeting.id}|{u.email.lower()}", PACK, u.email, meeting.id)
            for u in viewers
            if not u.mail_opt_out
        ]
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


class _Composer:
    """Builds each message of one run, the paper's PDF once per meeting."""

    def __init__(self, engine: sa.Engine, relay: Relay, today: dt.date):
        self.engine, self.relay, self.today = engine, relay, today
        self._pdfs: dict[int, bytes] = {}

    def compose(self, row) -> tuple[str, object] | None:
        """Return (subject, message) for an outbox row, or None if it is no longer due."""
        return self._pack(row) if row.kind == PACK else self._reminder(row)

    def _pdf(self, meeting) -> bytes:
        if meeting.id not in self._pdfs:
            # Imported here: the paper's renderers and charts are heavy.
            from lgadata import paper

            built = paper.build_paper(
                engine=self.engine,
                meeting_date=meeting.meets_on,
                contact=paper.contact_from_settings(),
            )
            self._pdfs[meeting.id] = paper.render_pdf(built)
        return self._pdfs[meeting.id]

    def _pack(self, row):
        meeting = meetings.get_meeting(engine=self.engine, meeting_id=row.meeting_id)
        if meeting is None or meeting.meets_on < self.today:
            return None
        subject = f"Board pack: {meeting.label}"
        lines = headline_lines(engine=self.engine, meeting=meeting)
        name = f"productivity-programme-update-{meeting.meets_on.isoformat()}.pdf"
        message = build_message(
            relay=self.relay,
            to=row.recipient,
            subject=subject,
            paragraphs=[
                f"The Productivity Programme Update for the {meeting.title} on "
                f"{format_date(meeting.meets_on)} is attached. {lines[0]}",
                "You are sent the pack as a member of the board; ask the dashboard's "
                "administrator to stop it.",
            ],
            items=lines[1:],
            attachments=[(name, self._pdf(meeting))],
        )
        return subject, message

    def _reminder(self, row):
        due = next(
            (
                r
                for r in returns.returns_due(engine=self.engine, on=self.today)
                if r.workstream == row.workstream
            ),
            None,
        )
        if due is None or due.next_due != row.due_on:
            return None  # the return came in, so the reminder is not needed
        late = due.next_due < self.today
        subject = (
            f"Return {'overdue' if late else 'due'}: {due.title}, "
            f"{'due' if late else 'by'} {format_date(due.next_due)}"
        )
        message = build_message(
            relay=self.relay,
            to=row.recipient,
            subject=subject,
            paragraphs=[
                due.sentence,
                "Upload the return on the dashboard's Upload page; these reminders stop once "
                "it is in.",
            ],
        )
        return subject, message


def headline_lines(*, engine: sa.Engine, meeting) -> list[str]:
    """Return the changes since the last meeting: an opening line, then one line per section."""
    last = meetings.last_meeting(engine=engine, on=meeting.meets_on)
    if last is None:
        return ["No earlier meeting is registered, so no changes are listed."]
    by_card: dict[str, list[dict]] = {}
    for figure in since.headline_figures(engine=engine, start=last.meets_on):
        by_card.setdefault(figure["card"], []).append(figure)
    if not by_card:
        return [f"No figures have been reported since the last meeting ({last.label})."]
    lines = [f"Since the last meeting ({last.label}):"]
    for card, figures in by_card.items():
        moved = [
            f"{f['figure']} {f['now'] or 'none'} (was {f['then'] or 'none'})"
            for f in figures
            if f["changed"]
        ]
        lines.append(f"{card}: {'; '.join(moved) if moved else 'no change in its figures'}.")
    return lines


def _finish(engine, row, *, now, subject="", error: str | None = None, cancel=False) -> str:
    """Record how an attempt ended, with its audit event, and return the new status."""
    detail = {"kind": row.kind, "to": row.recipient, "key": row.key, "attempt": row.attempts}
    values = {"next_attempt_at": None}
    if cancel:
        values |= {"status": CANCELLED}
        action, outcome = "mail cancelled", "ok"
    elif error is None:
        values |= {"status": SENT, "sent_at": now, "last_error": "", "subject": subject}
        action, outcome = "mail sent", "ok"
        detail["subject"] = subject
    else:
        retry = None if row.attempts >= MAX_ATTEMPTS else now + retry_after(row.attempts)
        values |= {"status": FAILED if retry else GAVE_UP, "last_error": error}
        values["next_attempt_at"] = retry
        action, outcome = "mail failed", "failed"
        detail |= {"error": error, "retry_at": retry}
    with write_transaction(engine) as conn:
        conn.execute(sa.update(MailOutbox).where(MailOutbox.id == row.id).values(**values))
        audit.record(conn, actor=ACTOR, action=action, outcome=outcome, **detail)
    return values["status"]


def _attempt(engine, composer: _Composer, row, now, outcome: Outcome) -> None:
    try:
        composed = composer.compose(row)
        if composed is None:
            _finish(engine, row, now=now, cancel=True)
            outcome.cancelled.append(row.key)
            return
        subject, message = composed
        deliver(composer.relay, message)
    except MailError as error:
        _finish(engine, row, now=now, error=str(error))
        outcome.failed.append(row.key)
        return
    # Building the paper can fail in ways of its own (charts, fonts, the database): the
    # message waits for a retry and the log has the trace.
    except Exception as error:
        log.exception("Composing %s failed", row.key)
        _finish(engine, row, now=now, error=f"The message could not be built: {error}")
        outcome.failed.append(row.key)
        return
    _finish(engine, row, now=now, subject=subject)
    outcome.sent.append(row.key)


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
    composer, outcome = _Composer(engine, relay, today), Outcome()
    with engine.connect() as conn:
        retries = list(
            conn.execute(
                sa.select(MailOutbox).where(
                    MailOutbox.status == FAILED, MailOutbox.next_attempt_at <= now
                )
            )
        )
        known = set(conn.execute(sa.select(MailOutbox.key)).scalars())
    for row in retries:
        if _claim_retry(engine, row):
            _attempt(engine, composer, _row(engine, row.id), now, outcome)
    plans = planned(engine=engine, today=today, pack_days=pack_days, reminder_days=reminder_days)
    for plan in plans:
        if plan.key not in known and (claimed := _claim_new(engine, plan, now)) is not None:
            _attempt(engine, composer, _row(engine, claimed), now, outcome)
    return outcome


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
                "status": r.status,
                "attempts": r.attempts,
                "error": r.last_error,
                "created_at": r.created_at,
                "sent_at": r.sent_at,
                "next_attempt_at": r.next_attempt_at,
            }
            for r in conn.execute(query)
        ]
