"""E-bulletin statistics: views per link and the top link of each bulletin."""

import sqlalchemy as sa

from lgadata.queries.base import current, iso

PROGRAMME_URL_MARK = "productivity"


def bulletins(*, engine: sa.Engine, limit: int | None = None) -> list[dict]:
    """Return each bulletin's views and its top URL, newest first."""
    links = current("ebulletin", "Links")
    totals = (
        sa.select(
            links.c.period_key,
            sa.func.max(links.c.sent_on).label("sent_on"),
            sa.func.sum(links.c.views).label("views"),
            sa.func.count().label("links"),
            sa.func.max(links.c.upload_id).label("upload_id"),
        )
        .group_by(links.c.period_key)
        .subquery()
    )
    ranked = sa.select(
        links.c.period_key,
        links.c.url,
        links.c.link_text,
        links.c.views,
        sa.func.row_number()
        .over(partition_by=links.c.period_key, order_by=(links.c.views.desc(), links.c.row_no))
        .label("rank"),
    ).subquery()
    query = (
        sa.select(totals, ranked.c.url, ranked.c.link_text, ranked.c.views.label("top_views"))
        .join(ranked, sa.and_(ranked.c.period_key == totals.c.period_key, ranked.c.rank == 1))
        .order_by(totals.c.sent_on.desc().nulls_last(), totals.c.period_key.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [
            {
                "bulletin": row.period_key,
                "sent_on": iso(row.sent_on),
                "views": int(row.views or 0),
                "links": row.links,
                "top_url": row.url,
                "top_link_text": row.link_text,
                "top_views": int(row.top_views or 0),
                "top_share": (row.top_views or 0) / row.views if row.views else None,
                "top_is_programme": PROGRAMME_URL_MARK in (row.url or "").casefold(),
                "upload_id": row.upload_id,
            }
            for row in conn.execute(query)
        ]
