"""Programme milestones and procurement deep dives."""

import calendar
import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from lgadata.queries.base import as_date, current, iso
from lgadata.workstreams import EU_REFORM, get_workstream

# What lgadata.queries re-exports (it reads this list from every module here).
__all__ = ["deep_dive_totals", "deep_dives", "eu_reform_timeline", "milestone_facets", "milestones"]

WORKSTREAM = "programme_milestones"
MILESTONE_STATUSES = get_workstream(WORKSTREAM).sheet("Milestones").column("status").choices
CLOSED_STATUSES = ("Done", "Missed")


def milestones(
    *,
    engine: sa.Engine,
    known_at: dt.datetime | None = None,
    today: dt.date | None = None,
    workstreams: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
) -> list[dict]:
    """Return the current milestones by due date, flagging overdue ones; None means no filter."""
    today = today or dt.date.today()
    rows = current(WORKSTREAM, "Milestones", known_at=known_at)
    query = sa.select(
        rows.c.workstream,
        rows.c.milestone,
        rows.c.due,
        rows.c.status,
        rows.c.owner,
        rows.c.notes,
        rows.c.upload_id,
    ).order_by(rows.c.due, rows.c.row_no)
    if workstreams is not None:
        query = query.where(rows.c.workstream.in_(list(workstreams)))
    if statuses is not None:
        query = query.where(rows.c.status.in_(list(statuses)))
    with engine.connect() as conn:
        return [
            {
                **row._asdict(),
                "due": iso(row.due),
                "overdue": row.status not in CLOSED_STATUSES and as_date(row.due) < today,
            }
            for row in conn.execute(query)
        ]


def milestone_facets(*, engine: sa.Engine) -> dict:
    """Return the workstreams and statuses the milestones use, and their first and last dates."""
    rows = current(WORKSTREAM, "Milestones")
    span = sa.select(
        sa.func.min(rows.c.due), sa.func.max(rows.c.due), sa.func.max(rows.c.upload_id)
    )
    with engine.connect() as conn:
        first, last, upload_id = conn.execute(span).one()
        workstreams = conn.execute(
            sa.select(rows.c.workstream).distinct().order_by(rows.c.workstream)
        ).scalars()
        used = set(conn.execute(sa.select(rows.c.status).distinct()).scalars())
        return {
            "workstreams": list(workstreams),
            "statuses": [s for s in MILESTONE_STATUSES if s in used],
            "first_due": iso(first),
            "last_due": iso(last),
            "upload_id": upload_id,
        }


def months_apart(start: dt.date, end: dt.date) -> int:
    """Return the whole calendar months from start to the later date end."""
    months = (end.year - start.year) * 12 + end.month - start.month
    month_end = end.day == calendar.monthrange(end.year, end.month)[1]
    return months - (end.day < start.day and not month_end)


def eu_reform_timeline(*, engine: sa.Engine, today: dt.date | None = None) -> list[dict]:
    """Return the EU procurement reform milestones, each with the months since the one before."""
    rows = milestones(engine=engine, today=today, workstreams=[EU_REFORM])
    for previous, row in zip([None, *rows], rows, strict=False):
        row["previous_milestone"] = previous["milestone"] if previous else None
        row["previous_due"] = previous["due"] if previous else None
        row["months_after_previous"] = (
            months_apart(as_date(previous["due"]), as_date(row["due"])) if previous else None
        )
    return rows


def deep_dives(*, engine: sa.Engine, known_at: dt.datetime | None = None) -> list[dict]:
    """Return the current procurement deep dives."""
    rows = current(WORKSTREAM, "Deep dives", known_at=known_at)
    query = sa.select(
        rows.c.organisation,
        rows.c.category,
        rows.c.status,
        rows.c.planned_spend_gbp,
        rows.c.next_step,
    ).order_by(rows.c.row_no)
    with engine.connect() as conn:
        return [row._asdict() for row in conn.execute(query)]


def deep_dive_totals(*, engine: sa.Engine) -> dict:
    """Return how many deep dives there are and the planned spend they cover."""
    rows = current(WORKSTREAM, "Deep dives")
    query = sa.select(
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(rows.c.planned_spend_gbp), 0),
        sa.func.count(rows.c.planned_spend_gbp),
        sa.func.max(rows.c.upload_id),
    )
    with engine.connect() as conn:
        count, spend, with_spend, upload_id = conn.execute(query).one()
    return {
        "deep_dives": count,
        "planned_spend_gbp": float(spend),
        "spend_not_reported": count - with_spend,
        "upload_id": upload_id,
    }
