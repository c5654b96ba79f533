"""The board's decisions and actions: recorded against a meeting and a section of the report,
listed after the meeting, and carried into the next one as "actions from the last meeting".
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa

from lgadata import audit
from lgadata.auth import Actor, Permission, require, require_now
from lgadata.commentary import section_keys
from lgadata.db import write_transaction
from lgadata.meetings import existing_meeting, get_meeting, meetings
from lgadata.models import BoardAction, Meeting, utc_now
from lgadata.queries.history import format_when

TEXT_LIMIT, OWNER_LIMIT = 1_000, 200
GENERAL = ""  # the section of an item recorded against the meeting as a whole


class Kind(StrEnum):
    """What the board recorded: something it decided, or something someone is to do."""

    DECISION = "decision"
    ACTION = "action"


class Status(StrEnum):
    """Where an action stands; a decision is simply recorded."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"
    RECORDED = "recorded"


@dataclass(frozen=True)
class Recorded:
    """A decision or an action as it stands, with the meeting and section it belongs to."""

    id: int
    meeting_id: int
    section: str
    kind: str
    text: str
    owner: str
    due_on: dt.date | None
    status: str
    recorded_by: str


def _text(value: str, what: str, limit: int, *, required: bool) -> str:
    cleaned = " ".join((value or "").split())
    if required and not cleaned:
        raise ValueError(f"Give the {what}.")
    if len(cleaned) > limit:
        raise ValueError(f"The {what} may be at most {limit:,} characters.")
    return cleaned


def record(
    *,
    engine: sa.Engine,
    by: Actor,
    meeting_id: int,
    section: str,
    kind: Kind,
    text: str,
    owner: str = "",
    due_on: dt.date | None = None,
) -> Recorded:
    """Record a decision or an action at a meeting, on a section (GENERAL: on none);
    officers and administrators only."""
    require(by, Permission.KEEP_MEETINGS)
    kind = Kind(kind)
    if section != GENERAL and section not in section_keys():
        raise ValueError(
            f"No section called {section!r}; the sections are {', '.join(section_keys())}."
        )
    values = {
        "meeting_id": meeting_id,
        "section": section,
        "kind": kind.value,
        "text": _text(text, f"{kind.value}'s text", TEXT_LIMIT, required=True),
        "owner": _text(owner, "owner", OWNER_LIMIT, required=kind is Kind.ACTION),
        "due_on": due_on,
        "status": (Status.OPEN if kind is Kind.ACTION else Status.RECORDED).value,
        "recorded_by": by.email,
    }
    with write_transaction(engine) as conn:
        require_now(conn, by, Permission.KEEP_MEETINGS)
        existing_meeting(conn, meeting_id)
        _refuse_a_second_record_of(conn, values)
        new_id = conn.execute(
            sa.insert(BoardAction).values(**values).returning(BoardAction.id)
        ).scalar_one()
        audit.record(conn, actor=by.email, action=f"{kind.value} recorded", id=new_id, **values)
    return _get(engine, new_id)


class AlreadyRecorded(ValueError):
    """The same decision or action is recorded already at the meeting, on the section."""


def _refuse_a_second_record_of(conn: sa.Connection, values: dict) -> None:
    """Raise AlreadyRecorded if this very item is recorded already: the walk of issue 17
    recorded one decision twice in meeting mode, and nothing said so."""
    from lgadata.paper.draft import SECTIONS  # heavy, as in commentary.section_keys

    # Writers on one meeting take turns (SQLite's write lock does this already), so two
    # clicks at once cannot both find nothing and both record.
    conn.execute(sa.select(Meeting.id).where(Meeting.id == values["meeting_id"]).with_for_update())
    same = ("meeting_id", "section", "kind", "text", "owner", "due_on")  # None: IS NULL
    found = conn.execute(
        sa.select(BoardAction.recorded_by, BoardAction.recorded_at)
        .where(*(getattr(BoardAction, field) == values[field] for field in same))
        .order_by(BoardAction.id)
    ).first()
    if found is not None:
        on = dict(SECTIONS).get(values["section"], "the meeting as a whole")
        raise AlreadyRecorded(
            f"This {values['kind']} is recorded already at this meeting, on {on}, by "
            f"{found.recorded_by} at {format_when(found.recorded_at)}: it was not recorded "
            "again."
        )


def set_status(*, engine: sa.Engine, by: Actor, action_id: int, status: Status) -> Recorded:
    """Mark an action done, dropped or open again; officers and administrators only."""
    require(by, Permission.KEEP_MEETINGS)
    status = Status(status)
    with write_transaction(engine) as conn:
        require_now(conn, by, Permission.KEEP_MEETINGS)
        row = conn.execute(sa.select(BoardAction).where(BoardAction.id == action_id)).first()
        if row is None or row.kind != Kind.ACTION:
            raise ValueError(f"There is no action {action_id}.")
        if status is Status.RECORDED:
            raise ValueError("An action is open, done or dropped.")
        conn.execute(
            sa.update(BoardAction)
            .where(BoardAction.id == action_id)
            .values(status=status.value, updated_by=by.email, updated_at=utc_now())
        )
        audit.record(
            conn,
            actor=by.email,
            action="action status changed",
            id=action_id,
            before=row.status,
            after=status.value,
        )
    return _get(engine, action_id)


def _recorded(row) -> Recorded:
    return Recorded(
        id=row.id,
        meeting_id=row.meeting_id,
        section=row.section,
        kind=row.kind,
        text=row.text,
        owner=row.owner,
        due_on=row.due_on,
        status=row.status,
        recorded_by=row.recorded_by,
    )


def _get(engine: sa.Engine, action_id: int) -> Recorded:
    with engine.connect() as conn:
        return _recorded(
            conn.execute(sa.select(BoardAction).where(BoardAction.id == action_id)).one()
        )


def recorded_at(*, engine: sa.Engine, meeting_id: int) -> list[Recorded]:
    """Return the decisions and actions recorded at a meeting, in the order recorded."""
    query = (
        sa.select(BoardAction).where(BoardAction.meeting_id == meeting_id).order_by(BoardAction.id)
    )
    with engine.connect() as conn:
        return [_recorded(row) for row in conn.execute(query)]


def from_last_meeting(*, engine: sa.Engine, meeting_id: int) -> list[Recorded]:
    """Return what a meeting's paper carries as "actions from the last meeting".

    Every action recorded at the meeting before it, with its status, and any action from
    an earlier meeting that is still open.
    """
    meeting = get_meeting(engine=engine, meeting_id=meeting_id)
    if meeting is None:
        return []
    earlier = [m for m in meetings(engine=engine) if m.meets_on < meeting.meets_on]
    if not earlier:
        return []
    carried = []
    for past in earlier:
        for item in recorded_at(engine=engine, meeting_id=past.id):
            if item.kind != Kind.ACTION:
                continue
            if past.id == earlier[-1].id or item.status == Status.OPEN:
                carried.append(item)
    return carried
