"""What every query stands on: the current rows of a sheet, and the data version."""

import datetime as dt

import sqlalchemy as sa

from lgadata.models import (
    COUNCIL_LINK_TABLES,
    DATA_TABLES,
    Council,
    PeriodChange,
    PeriodState,
    Upload,
)
from lgadata.periods import Versions
from lgadata.workstreams import get_workstream

# What lgadata.queries re-exports (it reads this list from every module here).
__all__ = ["council_count", "current", "current_council_links", "current_uploads", "data_version"]


def period_state(known_at: dt.datetime | Versions | None = None) -> sa.FromClause:
    """Return which upload is current for each period: now, as it was at a moment, or the
    versions a board meeting counts (lgadata.periods.at_meeting).

    At a moment, a period's upload is the one its last change before then made current,
    read from the changes every upload and rollback records (None after one emptied it).
    """
    if known_at is None:
        return PeriodState.__table__
    if isinstance(known_at, Versions):
        return (
            sa.select(
                PeriodChange.workstream,
                PeriodChange.sheet,
                PeriodChange.period,
                PeriodChange.new_upload_id.label("upload_id"),
            )
            .where(PeriodChange.id.in_(sorted(known_at.change_ids)))
            .subquery("period_state_at_meeting")
        )
    ranked = (
        sa.select(
            PeriodChange.workstream,
            PeriodChange.sheet,
            PeriodChange.period,
            PeriodChange.new_upload_id.label("upload_id"),
            sa.func.row_number()
            .over(
                partition_by=(PeriodChange.workstream, PeriodChange.sheet, PeriodChange.period),
                order_by=PeriodChange.id.desc(),
            )
            .label("newest"),
        )
        .join(Upload, Upload.id == PeriodChange.upload_id)
        .where(Upload.uploaded_at < known_at.astimezone(dt.UTC))
        .subquery("ranked")
    )
    return (
        sa.select(ranked.c.workstream, ranked.c.sheet, ranked.c.period, ranked.c.upload_id)
        .where(ranked.c.newest == 1)
        .subquery("period_state_then")
    )


def is_current(
    state: sa.FromClause, table: sa.FromClause, *, workstream: str, sheet: str
) -> sa.ColumnElement:
    """Return the join condition of a table's rows (upload_id, period_key) that state counts."""
    upload_id, period = table.c.upload_id, table.c.period_key
    return sa.and_(
        state.c.upload_id == upload_id,
        state.c.period == period,
        state.c.workstream == workstream,
        state.c.sheet == sheet,
    )


def _current_rows(
    table: sa.Table, workstream: str, sheet: str, known_at: dt.datetime | None
) -> sa.Subquery:
    state = period_state(known_at)
    on = is_current(state, table, workstream=workstream, sheet=sheet)
    return sa.select(table).join(state, on).subquery(table.name)


def current(workstream: str, sheet: str, *, known_at: dt.datetime | None = None) -> sa.Subquery:
    """Return the current rows of one sheet of a workstream (as they were at known_at)."""
    table = DATA_TABLES[get_workstream(workstream).sheet(sheet).table]
    return _current_rows(table, workstream, sheet, known_at)


def current_council_links(
    workstream: str, sheet: str, *, known_at: dt.datetime | None = None
) -> sa.Subquery:
    """Return the current (row, council) links of a sheet that lists councils, as a subquery."""
    links = COUNCIL_LINK_TABLES[get_workstream(workstream).sheet(sheet).table]
    return _current_rows(links, workstream, sheet, known_at)


def data_version(*, engine: sa.Engine) -> int:
    """Return a number that grows with every upload and rollback, for caches and polling."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.max(Upload.id), 0))).scalar_one()


def current_uploads(*, engine: sa.Engine) -> list[dict]:
    """Return every upload that still supplies current figures, newest first, with who and when."""
    query = (
        sa.select(Upload.id, Upload.workstream, Upload.uploaded_at, Upload.uploaded_by)
        .where(Upload.id.in_(sa.select(PeriodState.upload_id).distinct()))
        .order_by(Upload.id.desc())
    )
    with engine.connect() as conn:
        return [
            {"upload_id": i, "workstream": w, "uploaded_at": at, "uploaded_by": by}
            for i, w, at, by in conn.execute(query)
        ]


def council_count(*, engine: sa.Engine) -> int:
    """Return how many councils the register holds."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(Council)).scalar_one()


def as_date(value) -> dt.date:
    """Return a date from a date or its ISO text (SQLite returns text for some expressions)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def iso(value) -> str | None:
    """Return a date as ISO text, leaving text and None as they are."""
    return value.isoformat() if hasattr(value, "isoformat") else value
