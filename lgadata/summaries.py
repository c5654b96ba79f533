"""Totals computed once, when an upload is stored, so pages never scan every row.

Uploads never change after they are stored, so a summary of one upload's rows is true for
ever. A page reads the summaries of the current uploads instead of a million link rows. A
bulletin's summary is computed from the parsed rows already in memory; each period's row
count and day (count_periods) from the rows as stored, carried rows included; both in the
store's transaction.
"""

import sqlalchemy as sa

from lgadata.ingest import ParsedUpload
from lgadata.models import DATA_TABLES, BulletinSummary, PeriodSummary
from lgadata.workstreams import Sheet

PROGRAMME_URL_MARK = "productivity"


def is_programme_url(url: str | None) -> bool:
    """Say whether a URL is a Productivity Programme page."""
    return PROGRAMME_URL_MARK in (url or "").casefold()


def bulletin_summaries(parsed: ParsedUpload, upload_id: int) -> list[dict]:
    """Return each bulletin's totals and top link (most views, then first row) in an upload."""
    summaries: dict[str, dict] = {}
    for sheet in parsed.sheets:
        values = sheet.values
        rows = zip(
            sheet.period_keys,
            values["sent_on"],
            values["url"],
            values["link_text"],
            values["views"],
            values["unique_views"],
            strict=True,
        )
        for period, sent_on, url, text, views, unique in rows:
            views = views or 0
            summary = summaries.get(period)
            if summary is None:
                summary = summaries[period] = {
                    "upload_id": upload_id,
                    "period_key": period,
                    "sent_on": sent_on,
                    "links": 0,
                    "views": 0,
                    "unique_views": None,
                    "programme_views": 0,
                    "top_url": url,
                    "top_link_text": text,
                    "top_views": views,
                }
            summary["links"] += 1
            summary["views"] += views
            if unique is not None:
                summary["unique_views"] = (summary["unique_views"] or 0) + unique
            if is_programme_url(url):
                summary["programme_views"] += views
            if sent_on is not None and (summary["sent_on"] is None or sent_on > summary["sent_on"]):
                summary["sent_on"] = sent_on
            if views > summary["top_views"]:
                summary.update(top_url=url, top_link_text=text, top_views=views)
    return list(summaries.values())


SUMMARISERS = {"ebulletin": (BulletinSummary, bulletin_summaries)}


def count_periods(conn: sa.Connection, sheet: Sheet, upload_id: int) -> None:
    """Store each period of a sheet's rows in an upload: its rows counted, and the earliest
    value of its dating column when that is not the period (`Sheet.dated_by`), from the
    rows as stored (a sheet's carried rows included), in the caller's transaction."""
    table = DATA_TABLES[sheet.table]
    dated = sheet.dated_by and sheet.dated_by != sheet.period
    day = sa.func.min(table.c[sheet.dated_by]) if dated else sa.cast(sa.null(), sa.Date)
    counted = (
        sa.select(
            table.c.upload_id, sa.literal(sheet.name), table.c.period_key, day, sa.func.count()
        )
        .where(table.c.upload_id == upload_id)
        .group_by(table.c.upload_id, table.c.period_key)
    )
    columns = ["upload_id", "sheet", "period_key", "day", "rows"]
    conn.execute(sa.insert(PeriodSummary).from_select(columns, counted))


def summarise(conn: sa.Connection, *, parsed: ParsedUpload, upload_id: int) -> None:
    """Store the summaries of an upload being stored, in the caller's transaction."""
    model, summariser = SUMMARISERS.get(parsed.workstream.key, (None, None))
    if model is not None:
        rows = summariser(parsed, upload_id)
        if rows:
            conn.execute(sa.insert(model), rows)
    for sheet in parsed.sheets:
        count_periods(conn, sheet.declaration, upload_id)
