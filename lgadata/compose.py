"""Each outbox message composed at the moment it is sent: the board pack as the member now
wants it (or not at all), an officer's reminder while its return is still due."""

import datetime as dt

import sqlalchemy as sa

from lgadata import meetings, pack_mail, returns
from lgadata.mail import Relay, build_message
from lgadata.models import User
from lgadata.pack_mail import PACK
from lgadata.values import format_date

ACTOR = "mail"  # who the audit log says sent what send-due sends


class Composer:
    """Builds each message of one run, each paper's file once per meeting and format."""

    def __init__(self, engine: sa.Engine, relay: Relay, today: dt.date, actor: str = ACTOR):
        self.engine, self.relay, self.today, self.actor = engine, relay, today, actor
        self._papers: dict[tuple[int, str], bytes] = {}

    def compose(self, row) -> tuple[str, object, str] | None:
        """Return (subject, message, attachment's name) for an outbox row, or None if it is
        no longer due."""
        return self._pack(row) if row.kind == PACK else self._reminder(row)

    def _paper(self, meeting, attachment: str) -> bytes:
        if (meeting.id, attachment) not in self._papers:
            # Imported here: the paper's renderers and charts are heavy.
            from lgadata import paper

            built = paper.build_paper(
                engine=self.engine,
                meeting_date=meeting.meets_on,
                contact=paper.contact_from_settings(),
            )
            render = paper.render_docx if attachment == "docx" else paper.render_pdf
            self._papers[meeting.id, attachment] = render(built)
        return self._papers[meeting.id, attachment]

    def _pack(self, row):
        meeting = meetings.get_meeting(engine=self.engine, meeting_id=row.meeting_id)
        with self.engine.connect() as conn:
            user = conn.execute(
                sa.select(User).where(User.email == row.recipient, User.disabled.is_(False))
            ).first()
        # Opted out, disabled or removed since the message was claimed: not sent.
        if meeting is None or meeting.meets_on < self.today or not user or user.mail_opt_out:
            return None
        name = pack_mail.attachment_name(meeting, user.mail_attachment)
        subject, message = pack_mail.pack_message(
            engine=self.engine,
            relay=self.relay,
            meeting=meeting,
            to=row.recipient,
            attachment=(name, self._paper(meeting, user.mail_attachment)),
        )
        return subject, message, name

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
        return subject, message, ""
