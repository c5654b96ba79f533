"""The audit log: who did or tried what, and when."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lgadata.models import AuditEvent, as_utc, utc_now
from lgadata.values import format_date


def record(conn: sa.Connection, *, actor: str, action: str, outcome: str = "ok", **detail) -> None:
    """Add an event in the caller's transaction, so it stands or falls with the change."""
    conn.execute(
        sa.insert(AuditEvent).values(
            at=utc_now(),
            actor=actor,
            action=action,
            outcome=outcome,
            detail=json.dumps(detail, default=str, sort_keys=True),
        )
    )


def events(
    *,
    engine: sa.Engine,
    limit: int = 200,
    action: str | None = None,
    actor: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[dict]:
    """Return the newest events first, of one action and one person if given, and at or
    after `since` and before `until` (moments with a time zone) if given."""
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if since:
        query = query.where(AuditEvent.at >= _stored(since))
    if until:
        query = query.where(AuditEvent.at < _stored(until))
    with engine.connect() as conn:
        return [
            {
                "id": row.id,
                "at": row.at.isoformat(timespec="seconds"),
                "moment": as_utc(row.at),
                "actor": row.actor,
                "action": row.action,
                "outcome": row.outcome,
                "detail": json.loads(row.detail or "{}"),
            }
            for row in conn.execute(query)
        ]


def _stored(moment: dt.datetime) -> dt.datetime:
    """Return a moment in UTC, as the log stores it."""
    return moment.astimezone(dt.UTC)


def choices(*, engine: sa.Engine) -> dict[str, list[str]]:
    """Return who appears in the log and which actions it holds, for filtering it."""
    with engine.connect() as conn:
        return {
            column: list(
                conn.execute(
                    sa.select(getattr(AuditEvent, column))
                    .distinct()
                    .order_by(getattr(AuditEvent, column))
                ).scalars()
            )
            for column in ("actor", "action")
        }


def local_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """Return the moment a day begins in a time zone."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def format_moment(moment: dt.datetime, zone: ZoneInfo) -> str:
    """Return a moment as its reader's local date and time: '20 March 2013 14:05:09'."""
    local = moment.astimezone(zone)
    return f"{format_date(local.date())} {local:%H:%M:%S}"
