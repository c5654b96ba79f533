"""What every query stands on: the current rows of a sheet, and the data version."""

import datetime as dt

import sqlalchemy as sa

from lgadata.models import COUNCIL_LINK_TABLES, DATA_TABLES, Council, PeriodState, Upload
from lgadata.workstreams import get_workstream


def _is_current(table: sa.Table, workstream: str, sheet: str) -> sa.ColumnElement:
    return sa.and_(
        PeriodState.upload_id == table.c.upload_id,
        PeriodState.period == table.c.period_key,
        PeriodState.workstream == workstream,
        PeriodState.sheet == sheet,
    )


def _current_rows(table: sa.Table, workstream: str, sheet: str) -> sa.Subquery:
    return (
        sa.select(table)
        .join(PeriodState, _is_current(table, workstream, sheet))
        .subquery(table.name)
    )


def current(workstream: str, sheet: str) -> sa.Subquery:
    """Return the current rows of one sheet of a workstream, as a subquery."""
    table = DATA_TABLES[get_workstream(workstream).sheet(sheet).table]
    return _current_rows(table, workstream, sheet)


def current_council_links(workstream: str, sheet: str) -> sa.Subquery:
    """Return the current (row, council) links of a sheet that lists councils, as a subquery."""
    links = COUNCIL_LINK_TABLES[get_workstream(workstream).sheet(sheet).table]
    return _current_rows(links, workstream, sheet)


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
