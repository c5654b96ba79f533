"""Totals computed once, when an upload is stored, so pages never scan every row.

Uploads never change after they are stored, so a summary of one upload's rows is true for
ever. A page reads the summaries of the current uploads instead of a million link rows. The
summary is computed from the parsed rows already in memory, in the store's transaction.
"""

import sqlalchemy as sa

from lgadata.ingest import ParsedUpload
from lgadata.models import BulletinSummary, PeriodDay

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


def period_days(parsed: ParsedUpload, upload_id: int) -> list[dict]:
    """Return the earliest value of the dating column of each period of every sheet dated
    by a column other than its period (`Sheet.dated_by`), as lgadata.periods reads it."""
    found: dict[tuple[str, str], object] = {}
    for sheet in parsed.sheets:
        declared = sheet.declaration
        if not declared.dated_by or declared.dated_by == declared.period:
            continue
        for period, value in zip(sheet.period_keys, sheet.values[declared.dated_by], strict=True):
            key = (declared.name, period)
            if key not in found or (
                value is not None and (found[key] is None or value < found[key])
            ):
                found[key] = value
    return [
        {"upload_id": upload_id, "sheet": name, "period_key": period, "day": day}
        for (name, period), day in found.items()
    ]


def summarise(conn: sa.Connection, *, parsed: ParsedUpload, upload_id: int) -> None:
    """Store the summaries of an upload being stored, in the caller's transaction."""
    model, summariser = SUMMARISERS.get(parsed.workstream.key, (None, None))
    if model is not None:
        rows = summariser(parsed, upload_id)
        if rows:
            conn.execute(sa.insert(model), rows)
    days = period_days(parsed, upload_id)
    if days:
        conn.execute(sa.insert(PeriodDay), days)
