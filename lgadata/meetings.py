"""The register of board meetings: added, changed and removed by officers and administrators.

A meeting is never changed in place: each change is a new version of it, and removing it
is a version too, so the register's history is kept and every write is in the audit log.
"""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lgadata import audit
from lgadata.auth import Actor, Permission, require, require_now
from lgadata.db import write_transaction
from lgadata.models import Meeting, MeetingVersion, as_utc
from lgadata.values import format_date

UK_TIME = ZoneInfo("Europe/London")
TEXT_LIMIT = 200  # a title or an agenda item: one line on a paper's cover
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

# The earliest day the forms offer: Streamlit's own earliest is ten years before today, and
# the board's samples are of 2013 (an action due in 2013 was silently dropped: the walk).
EARLIEST = dt.date(2000, 1, 1)


def day_ends(day: dt.date) -> dt.datetime:
    """Return the moment a day ends in UK time: what was sent that day is known by then."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=UK_TIME)


@dataclass(frozen=True)
class BoardMeeting:
    """A registered meeting as it stands now, with who changed it last and when."""

    id: int
    meets_on: dt.date
    title: str
    agenda_item: str
    version: int
    changed_by: str
    changed_at: dt.datetime

    @property
    def known_at(self) -> dt.datetime:
        """Return the moment the meeting's figures stand at: the end of its day, UK time.

        Returns sent on the day of the meeting are taken as known to it.
        """
        return day_ends(self.meets_on)

    @property
    def label(self) -> str:
        """Return the meeting as a reader names it: '20 March 2013, Improvement and ... Board'."""
        return f"{format_date(self.meets_on)}, {self.title}"


def _clean(text: str, what: str, *, required: bool = False) -> str:
    cleaned = " ".join(_CONTROL.sub(" ", text or "").split())
    if required and not cleaned:
        raise ValueError(f"Give the meeting's {what}.")
    if len(cleaned) > TEXT_LIMIT:
        raise ValueError(f"A meeting's {what} may be at most {TEXT_LIMIT} characters.")
    return cleaned


def _newest() -> sa.Subquery:
    newest = (
        sa.select(MeetingVersion.meeting_id, sa.func.max(MeetingVersion.version).label("version"))
        .group_by(MeetingVersion.meeting_id)
        .subquery("newest")
    )
    return (
        sa.select(MeetingVersion)
        .join(
            newest,
            sa.and_(
                newest.c.meeting_id == MeetingVersion.meeting_id,
                newest.c.version == MeetingVersion.version,
            ),
        )
        .subquery("meeting_now")
    )


def _meeting(row) -> BoardMeeting:
    changed_at = as_utc(row.changed_at)
    return BoardMeeting(
        id=row.meeting_id,
        meets_on=row.meets_on,
        title=row.title,
        agenda_item=row.agenda_item,
        version=row.version,
        changed_by=row.changed_by,
        changed_at=changed_at,
    )


def _current(conn: sa.Connection, *, include_removed: bool = False) -> list[BoardMeeting]:
    now = _newest()
    query = sa.select(now).order_by(now.c.meets_on, now.c.meeting_id)
    if not include_removed:
        query = query.where(now.c.removed.is_(False))
    return [_meeting(row) for row in conn.execute(query)]


def meetings(*, engine: sa.Engine) -> list[BoardMeeting]:
    """Return the registered meetings, earliest first."""
    with engine.connect() as conn:
        return _current(conn)


def get_meeting(*, engine: sa.Engine, meeting_id: int) -> BoardMeeting | None:
    """Return one registered meeting, or None if there is none or it was removed."""
    return next((m for m in meetings(engine=engine) if m.id == meeting_id), None)


def next_meeting(*, engine: sa.Engine, on: dt.date) -> BoardMeeting | None:
    """Return the first meeting on or after a day (a meeting that day is the next one)."""
    return next((m for m in meetings(engine=engine) if m.meets_on >= on), None)


def last_meeting(*, engine: sa.Engine, on: dt.date) -> BoardMeeting | None:
    """Return the latest meeting before a day."""
    earlier = [m for m in meetings(engine=engine) if m.meets_on < on]
    return earlier[-1] if earlier else None


def meeting_versions(*, engine: sa.Engine, meeting_id: int) -> list[dict]:
    """Return every version of a meeting, oldest first: what it said, who, when."""
    query = (
        sa.select(MeetingVersion)
        .where(MeetingVersion.meeting_id == meeting_id)
        .order_by(MeetingVersion.version)
    )
    with engine.connect() as conn:
        return [
            {
                "version": row.version,
                "meets_on": row.meets_on,
                "title": row.title,
                "agenda_item": row.agenda_item,
                "removed": row.removed,
                "changed_by": row.changed_by,
                "changed_at": row.changed_at,
            }
            for row in conn.execute(query)
        ]


def _refuse_a_second_meeting_that_day(
    conn: sa.Connection, meets_on: dt.date, meeting_id: int | None = None
) -> None:
    for other in _current(conn):
        if other.meets_on == meets_on and other.id != meeting_id:
            raise ValueError(
                f"There is already a meeting on {format_date(meets_on)} ({other.title}); "
                "change that one instead."
            )


def _write_version(conn: sa.Connection, meeting_id: int, version: int, values: dict) -> None:
    conn.execute(sa.insert(MeetingVersion).values(meeting_id=meeting_id, version=version, **values))


def add_meeting(
    *, engine: sa.Engine, by: Actor, meets_on: dt.date, title: str, agenda_item: str = ""
) -> BoardMeeting:
    """Register a meeting; officers and administrators only."""
    require(by, Permission.KEEP_MEETINGS)
    values = {
        "meets_on": meets_on,
        "title": _clean(title, "title", required=True),
        "agenda_item": _clean(agenda_item, "agenda item"),
        "changed_by": by.email,
    }
    with write_transaction(engine) as conn:
        require_now(conn, by, Permission.KEEP_MEETINGS)
        _refuse_a_second_meeting_that_day(conn, meets_on)
        meeting_id = conn.execute(
            sa.insert(Meeting).values(created_by=by.email).returning(Meeting.id)
        ).scalar_one()
        _write_version(conn, meeting_id, 1, values)
        audit.record(conn, actor=by.email, action="meeting added", meeting=meeting_id, **values)
    return get_meeting(engine=engine, meeting_id=meeting_id)


def change_meeting(
    *,
    engine: sa.Engine,
    by: Actor,
    meeting_id: int,
    meets_on: dt.date | None = None,
    title: str | None = None,
    agenda_item: str | None = None,
) -> BoardMeeting:
    """Change a meeting's date, title or agenda item, as a new version; officers and admins."""
    require(by, Permission.KEEP_MEETINGS)
    with write_transaction(engine) as conn:
        require_now(conn, by, Permission.KEEP_MEETINGS)
        before = existing_meeting(conn, meeting_id)
        values = {
            "meets_on": meets_on or before.meets_on,
            "title": before.title if title is None else _clean(title, "title", required=True),
            "agenda_item": before.agenda_item
            if agenda_item is None
            else _clean(agenda_item, "agenda item"),
            "changed_by": by.email,
        }
        _refuse_a_second_meeting_that_day(conn, values["meets_on"], meeting_id)
        _write_version(conn, meeting_id, before.version + 1, values)
        audit.record(
            conn,
            actor=by.email,
            action="meeting changed",
            meeting=meeting_id,
            before={"meets_on": before.meets_on, "title": before.title},
            **values,
        )
    return get_meeting(engine=engine, meeting_id=meeting_id)


def remove_meeting(*, engine: sa.Engine, by: Actor, meeting_id: int) -> None:
    """Take a meeting out of the register; its versions, commentary and actions are kept."""
    require(by, Permission.KEEP_MEETINGS)
    with write_transaction(engine) as conn:
        require_now(conn, by, Permission.KEEP_MEETINGS)
        before = existing_meeting(conn, meeting_id)
        values = {
            "meets_on": before.meets_on,
            "title": before.title,
            "agenda_item": before.agenda_item,
            "changed_by": by.email,
            "removed": True,
        }
        _write_version(conn, meeting_id, before.version + 1, values)
        audit.record(
            conn,
            actor=by.email,
            action="meeting removed",
            meeting=meeting_id,
            meets_on=before.meets_on,
            title=before.title,
        )


def existing_meeting(conn: sa.Connection, meeting_id: int) -> BoardMeeting:
    """Return a registered meeting in a write transaction, or raise ValueError."""
    found = next((m for m in _current(conn) if m.id == meeting_id), None)
    if found is None:
        raise ValueError(f"There is no meeting {meeting_id} in the register.")
    return found
