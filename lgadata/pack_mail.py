"""The board pack by e-mail: its message, built the same way for the preview and the send, and
the preview an administrator sees before it goes.

Sending it (when due, or now) is lgadata.outbox, so that each member is sent it once.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lgadata import meetings, since
from lgadata.audit import format_moment
from lgadata.auth import Actor, Permission, Role, require_current
from lgadata.mail import ATTACHMENTS, Relay, build_message
from lgadata.models import MailOutbox, User, as_utc
from lgadata.values import format_date

PACK = "board pack"


def pack_key(meeting_id: int, email: str) -> str:
    """Return the outbox key of one member's pack for one meeting."""
    return f"pack|meeting {meeting_id}|{email.lower()}"


def attachment_name(meeting, attachment: str) -> str:
    """Return the file name of the paper as attached: PDF, or Word on request."""
    return f"productivity-programme-update-{meeting.meets_on.isoformat()}.{attachment}"


def members(conn: sa.Connection) -> list[sa.Row]:
    """Return the enabled board members (viewer role), opted in or not, by address."""
    query = sa.select(User).where(User.role == Role.VIEWER.value, User.disabled.is_(False))
    return list(conn.execute(query.order_by(User.email)))


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


def pack_message(
    *,
    engine: sa.Engine,
    relay: Relay,
    meeting,
    to: str,
    attachment: tuple[str, bytes] | None,
    lines: list[str] | None = None,
):
    """Return (subject, message) of the pack for one member; the preview passes no file."""
    subject = f"Board pack: {meeting.label}"
    lines = lines or headline_lines(engine=engine, meeting=meeting)
    message = build_message(
        relay=relay,
        to=to,
        subject=subject,
        paragraphs=[
            f"The Productivity Programme Update for the {meeting.title} on "
            f"{format_date(meeting.meets_on)} is attached. {lines[0]}",
            "You are sent the pack as a member of the board. To stop it, or to have it as a "
            "Word document instead of a PDF, open My e-mail on the dashboard.",
        ],
        items=lines[1:],
        attachments=[attachment] if attachment else [],
    )
    return subject, message


@dataclass(frozen=True)
class Preview:
    """The next meeting's pack as it would be sent, and to whom."""

    meeting: meetings.BoardMeeting
    sends_on: dt.date
    sender: str
    subject: str
    text: str
    recipients: list[dict]  # to, attachment, and whether it has gone already
    opted_out: list[str]


def preview(
    *, engine: sa.Engine, by: Actor, relay: Relay, today: dt.date, pack_days: int
) -> Preview | None:
    """Return the next meeting's pack as it would be sent, or None with no meeting ahead.

    Administrators only (read from the user table now).
    """
    require_current(engine=engine, actor=by, permission=Permission.SEND_MAIL)
    meeting = meetings.next_meeting(engine=engine, on=today)
    if meeting is None:
        return None
    with engine.connect() as conn:
        people = members(conn)
        outbox = {
            r.key: r
            for r in conn.execute(
                sa.select(MailOutbox).where(
                    MailOutbox.kind == PACK, MailOutbox.meeting_id == meeting.id
                )
            )
        }
    lines = headline_lines(engine=engine, meeting=meeting)
    to = [u for u in people if not u.mail_opt_out]
    subject, message = pack_message(
        engine=engine,
        relay=relay,
        meeting=meeting,
        to=to[0].email if to else "",
        attachment=None,
        lines=lines,
    )
    recipients = []
    for user in to:
        row = outbox.get(pack_key(meeting.id, user.email))
        recipients.append(
            {
                "to": user.email,
                "attachment": attachment_name(meeting, user.mail_attachment),
                "as": ATTACHMENTS[user.mail_attachment],
                "status": row.status if row else "not sent yet",
                "sent_at": row.sent_at if row else None,
            }
        )
    return Preview(
        meeting=meeting,
        sends_on=meeting.meets_on - dt.timedelta(days=pack_days),
        sender=relay.sender,
        subject=subject,
        text=message.get_body(("plain",)).get_content(),
        recipients=recipients,
        opted_out=[u.email for u in people if u.mail_opt_out],
    )


def members_sent(count: int) -> str:
    """Say how many members a send reached: "Sent to 1 member.", "Sent to 2 members."."""
    return f"Sent to {count} member{'s' * (count != 1)}."


def when_sent(shown: Preview, zone: ZoneInfo) -> str:
    """Return when the pack goes, or went: 'Due to be sent on ...' until it has, then when."""
    days = (shown.meeting.meets_on - shown.sends_on).days
    due = f"on {format_date(shown.sends_on)}, {days} days before the meeting"
    moments = [as_utc(r["sent_at"]) for r in shown.recipients if r["sent_at"]]
    if not moments:
        return f"Due to be sent {due}"
    last, count = format_moment(max(moments), zone), len(shown.recipients)
    if len(moments) == count:
        return f"Sent on {last}"
    return f"Sent to {len(moments)} of {count} members, last on {last}; the others are due {due}"
