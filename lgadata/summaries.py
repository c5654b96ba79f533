"""Totals computed once, when an upload is stored, so pages never scan every row.

Uploads never change after they are stored, so a summary of one upload's rows is true for
ever. A page reads the summaries of the current uploads instead of a million link rows.
"""

import sqlalchemy as sa

from lgadata.models import DATA_TABLES, BulletinSummary, Upload

PROGRAMME_URL_MARK = "productivity"


def is_programme_url(url: str | None) -> bool:
    """Say whether a URL is a Productivity Programme page."""
    return PROGRAMME_URL_MARK in (url or "").casefold()


def _summarise_bulletins(conn: sa.Connection, upload_id: int) -> None:
    links = DATA_TABLES["bulletin_link"]
    mine = links.c.upload_id == upload_id
    # The SQL twin of is_programme_url; autoescape keeps a "%" or "_" in the mark literal.
    on_programme = sa.func.lower(links.c.url).contains(PROGRAMME_URL_MARK, autoescape=True)
    totals = (
        sa.select(
            links.c.period_key,
            sa.func.max(links.c.sent_on).label("sent_on"),
            sa.func.count().label("links"),
            sa.func.coalesce(sa.func.sum(links.c.views), 0).label("views"),
            sa.func.sum(links.c.unique_views).label("unique_views"),
            sa.func.coalesce(sa.func.sum(sa.case((on_programme, links.c.views), else_=0)), 0).label(
                "programme_views"
            ),
        )
        .where(mine)
        .group_by(links.c.period_key)
        .subquery()
    )
    ranked = (
        sa.select(
            links.c.period_key,
            links.c.url,
            links.c.link_text,
            links.c.views,
            sa.func.row_number()
            .over(partition_by=links.c.period_key, order_by=(links.c.views.desc(), links.c.row_no))
            .label("rank"),
        )
        .where(mine)
        .subquery()
    )
    select = sa.select(
        sa.literal(upload_id),
        totals.c.period_key,
        totals.c.sent_on,
        totals.c.links,
        totals.c.views,
        totals.c.unique_views,
        totals.c.programme_views,
        ranked.c.url,
        ranked.c.link_text,
        sa.func.coalesce(ranked.c.views, 0),
    ).join(ranked, sa.and_(ranked.c.period_key == totals.c.period_key, ranked.c.rank == 1))
    columns = [
        "upload_id",
        "period_key",
        "sent_on",
        "links",
        "views",
        "unique_views",
        "programme_views",
        "top_url",
        "top_link_text",
        "top_views",
    ]
    conn.execute(sa.insert(BulletinSummary).from_select(columns, select))


SUMMARISERS = {"ebulletin": _summarise_bulletins}


def summarise(conn: sa.Connection, *, workstream: str, upload_id: int) -> None:
    """Compute the summaries of one stored upload, in the caller's transaction."""
    summariser = SUMMARISERS.get(workstream)
    if summariser:
        summariser(conn, upload_id)


def backfill(*, engine: sa.Engine) -> int:
    """Summarise uploads stored before their summary existed; return how many."""
    with engine.begin() as conn:
        missing = conn.execute(
            sa.select(Upload.id, Upload.workstream).where(
                Upload.workstream == "ebulletin",
                Upload.kind == "upload",
                ~sa.exists().where(BulletinSummary.upload_id == Upload.id),
                Upload.row_count > 0,
            )
        ).all()
        for upload_id, workstream in missing:
            summarise(conn, workstream=workstream, upload_id=upload_id)
    return len(missing)
