"""E-bulletin statistics: views per link, the top link of each bulletin, the programme's share."""

import datetime as dt

import sqlalchemy as sa

from lgadata.models import BulletinSummary
from lgadata.queries.base import current, is_current, iso, period_state
from lgadata.summaries import is_programme_url

# What lgadata.queries re-exports (it reads this list from every module here).
__all__ = ["bulletin_links", "bulletins"]

WORKSTREAM, SHEET = "ebulletin", "Links"


def bulletins(
    *, engine: sa.Engine, limit: int | None = None, known_at: dt.datetime | None = None
) -> list[dict]:
    """Return each bulletin's views, its top URL and its programme share, newest first."""
    # The totals and top link of each bulletin were computed once, when it was uploaded.
    summary = BulletinSummary.__table__
    state = period_state(known_at)
    query = (
        sa.select(summary)
        .join(state, is_current(state, summary, workstream=WORKSTREAM, sheet=SHEET))
        .order_by(summary.c.sent_on.desc().nulls_last(), summary.c.period_key.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [_bulletin(row) for row in conn.execute(query)]


def _bulletin(row: sa.Row) -> dict:
    views = int(row.views or 0)
    programme_views = int(row.programme_views or 0)
    return {
        "bulletin": row.period_key,
        "sent_on": iso(row.sent_on),
        "views": views,
        "links": row.links,
        "top_url": row.top_url,
        "top_link_text": row.top_link_text,
        "top_views": int(row.top_views or 0),
        "top_share": (row.top_views or 0) / views if views else None,
        "top_is_programme": is_programme_url(row.top_url),
        "programme_views": programme_views,
        "programme_share": programme_views / views if views else None,
        "upload_id": row.upload_id,
    }


def bulletin_links(*, engine: sa.Engine, bulletin: str, limit: int | None = None) -> list[dict]:
    """Return one bulletin's views by URL with each URL's share of its views, most viewed first."""
    links = current(WORKSTREAM, SHEET)
    views = sa.func.sum(links.c.views)
    # A window over the grouped rows gives the bulletin's total before LIMIT cuts the list.
    total = sa.func.nullif(sa.func.sum(views).over(), 0)
    query = (
        sa.select(
            links.c.url,
            sa.func.min(links.c.link_text).label("link_text"),
            views.label("views"),
            sa.func.sum(links.c.unique_views).label("unique_views"),
            (sa.cast(views, sa.Float) / total).label("share"),
        )
        .where(links.c.period_key == bulletin)
        .group_by(links.c.url)
        .order_by(views.desc(), links.c.url)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [
            {
                "url": row.url,
                "link_text": row.link_text,
                "views": int(row.views or 0),
                "unique_views": None if row.unique_views is None else int(row.unique_views),
                "share": row.share,
                "is_programme": is_programme_url(row.url),
            }
            for row in conn.execute(query)
        ]
