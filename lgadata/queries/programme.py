"""Programme milestones and procurement deep dives."""

import datetime as dt

import sqlalchemy as sa

from lgadata.queries.base import as_date, current, iso


def milestones(*, engine: sa.Engine, today: dt.date | None = None) -> list[dict]:
    """Return every current milestone by due date, flagging overdue ones."""
    today = today or dt.date.today()
    rows = current("programme", "Milestones")
    query = sa.select(
        rows.c.workstream, rows.c.milestone, rows.c.due, rows.c.status, rows.c.owner, rows.c.notes
    ).order_by(rows.c.due, rows.c.row_no)
    with engine.connect() as conn:
        return [
            {
                **row._asdict(),
                "due": iso(row.due),
                "overdue": row.status not in ("Done", "Missed") and as_date(row.due) < today,
            }
            for row in conn.execute(query)
        ]


def deep_dives(*, engine: sa.Engine) -> list[dict]:
    """Return the current procurement deep dives."""
    rows = current("programme", "Deep dives")
    query = sa.select(
        rows.c.organisation,
        rows.c.category,
        rows.c.status,
        rows.c.planned_spend_gbp,
        rows.c.next_step,
    ).order_by(rows.c.row_no)
    with engine.connect() as conn:
        return [row._asdict() for row in conn.execute(query)]
