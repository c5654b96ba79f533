"""The audit log: who did or tried what, and when."""

import json

import sqlalchemy as sa

from lgadata.models import AuditEvent, utc_now


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


def events(*, engine: sa.Engine, limit: int = 200, action: str | None = None) -> list[dict]:
    """Return the newest events first."""
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    with engine.connect() as conn:
        return [
            {
                "id": row.id,
                "at": row.at.isoformat(timespec="seconds"),
                "actor": row.actor,
                "action": row.action,
                "outcome": row.outcome,
                "detail": json.loads(row.detail or "{}"),
            }
            for row in conn.execute(query)
        ]
