"""The dates of the data, and which version of each period a board meeting counts.

The rule, for every surface that speaks of a meeting (the Overview, the section pages,
meeting mode, the paper and its workbook):

- A meeting counts the periods dated on or before its day, by the column each sheet
  declares (`Sheet.dated_by`: a map edition by its date, a bulletin by the day it was sent,
  a quarter by its first day). A period dated after the meeting is new since it, whenever
  it was uploaded. A period with no date (a pilot group, a wave, an undated bulletin)
  cannot be placed after the meeting, so every meeting counts it.
- Each period counted is taken as it stood at the end of the meeting's day, when the
  workstream's history had begun by then (a meeting held while the dashboard was in use:
  a correction made after it is a change since). For a meeting before the workstream's
  first upload (a meeting registered for the years before the dashboard, its data loaded
  later) nothing was known at the time, so its periods are taken as known at the end of
  the comparison: the later meeting's day if that meeting was live, otherwise now.
"""

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa

from lgadata.meetings import day_ends
from lgadata.models import PeriodChange, PeriodSummary, Upload, as_utc
from lgadata.values import format_date
from lgadata.workstreams import WORKSTREAMS, Kind, Sheet

_FINANCIAL_YEAR = re.compile(r"^(\d{4})/")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_QUARTER_MONTHS = {"1": "Jan to Mar", "2": "Apr to Jun", "3": "Jul to Sep", "4": "Oct to Dec"}
Key = tuple[str, str, str]  # (workstream, sheet, period)


def financial_year_start(year: str) -> dt.date | None:
    """Return the 1 April a financial year such as '2013/14' starts on, or None if unreadable."""
    match = _FINANCIAL_YEAR.match(year or "")
    return dt.date(int(match.group(1)), 4, 1) if match else None


def quarter_start(quarter: str) -> dt.date | None:
    """Return the first day of a calendar quarter such as '2013-Q2', or None if unreadable."""
    match = _QUARTER.match(quarter or "")
    if not match:
        return None
    return dt.date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1)


def quarter_label(quarter: str) -> str:
    """Return a calendar quarter key such as '2013-Q2' as 'Apr to Jun 2013'."""
    year, _, number = quarter.partition("-Q")
    months = _QUARTER_MONTHS.get(number)
    return f"{months} {year}" if months else quarter


def day_of(kind: Kind, value) -> dt.date | None:
    """Return the day a value of a dating column stands for (a quarter its first day)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if kind is Kind.QUARTER:
        return quarter_start(str(value))
    if kind is Kind.FINANCIAL_YEAR:
        return financial_year_start(str(value))
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def sheet_day(sheet: Sheet, value) -> dt.date | None:
    """Return the day a value of a sheet's dating column stands for; None when undated."""
    return day_of(sheet.column(sheet.dated_by).kind, value) if sheet.dated_by else None


def dated_by_meeting(sheet: Sheet, value, meeting_date: dt.date) -> bool:
    """Say whether a period dated by this value counts at a meeting: dated on or before
    its day, or not dated at all."""
    day = sheet_day(sheet, value)
    return day is None or day <= meeting_date


def name_period(sheet: Sheet, period: str, day: dt.date | None = None) -> str:
    """Return a period as the pages name it: 'map edition 31 May 2013', 'wave 2',
    'Improvement and Innovation Board e-bulletin, May 2013 (sent on 14 May 2013)'."""
    if not period:
        return sheet.period_name.replace("{}", "").strip() or sheet.name
    kind = sheet.column(sheet.period).kind if sheet.period else Kind.TEXT
    shown = period
    if kind is Kind.DATE:
        shown = format_date(day_of(kind, period)) if day_of(kind, period) else period
    elif kind is Kind.QUARTER:
        shown = quarter_label(period)
    named = sheet.period_name.format(shown)
    if sheet.dated_by and sheet.dated_by != sheet.period and day is not None:
        named += f" ({sheet.column(sheet.dated_by).label.lower()} {format_date(day)})"
    return named


@dataclass(frozen=True)
class Version:
    """One period's version: the change that made it current, the upload whose rows it
    holds (None: emptied), the upload or rollback that made it so, and when."""

    change_id: int
    key: Key
    upload_id: int | None
    made_by: int
    made_at: dt.datetime


@dataclass(frozen=True)
class Versions:
    """The versions a comparison counts, as `known_at` for the headline queries."""

    change_ids: frozenset[int]


def as_known_at(versions: dict[Key, Version]) -> Versions:
    """Return versions as the `known_at` every headline query accepts."""
    return Versions(frozenset(v.change_id for v in versions.values() if v.upload_id))


def history(conn: sa.Connection) -> list[Version]:
    """Return every change of a period's current upload, oldest first."""
    query = (
        sa.select(
            PeriodChange.id,
            PeriodChange.workstream,
            PeriodChange.sheet,
            PeriodChange.period,
            PeriodChange.new_upload_id,
            PeriodChange.upload_id,
            Upload.uploaded_at,
        )
        .join(Upload, Upload.id == PeriodChange.upload_id)
        .order_by(PeriodChange.id)
    )
    rows = conn.execute(query)
    return [Version(i, (w, s, p), new, by, as_utc(at)) for i, w, s, p, new, by, at in rows]


def as_at(changes: list[Version], moment: dt.datetime | None) -> dict[Key, Version]:
    """Return each period's version at a moment (None: now), as period_state reads it."""
    found: dict[Key, Version] = {}
    for change in changes:
        if moment is None or change.made_at < moment:
            found[change.key] = change
    return found


def days(
    conn: sa.Connection, versions: dict[Key, Version], stored: dict[Key, tuple] | None = None
) -> dict[Key, dt.date | None]:
    """Return the day each version's period is dated by, from its sheet's declaration (a
    column other than the period: its earliest value in the version's rows, counted when
    the upload was stored). stored: the versions' summaries, when the caller read them."""
    found: dict[Key, dt.date | None] = {}
    stored = summaries(conn, versions) if stored is None else stored
    for key, version in versions.items():
        sheet = WORKSTREAMS[key[0]].sheet(key[1])
        if sheet.dated_by and sheet.dated_by != sheet.period and version.upload_id:
            found[key] = sheet_day(sheet, stored.get(key, (None, 0))[0])
        else:
            found[key] = sheet_day(sheet, key[2]) if key[2] else None
    return found


def summaries(conn: sa.Connection, versions: dict[Key, Version]) -> dict[Key, tuple]:
    """Return each version's period as its upload was summarised when stored: (the day
    its dating column gives, how many rows it holds); a period emptied is left out."""
    uploads = sorted({v.upload_id for v in versions.values() if v.upload_id})
    columns = (PeriodSummary.upload_id, PeriodSummary.sheet, PeriodSummary.period_key)
    query = sa.select(*columns, PeriodSummary.day, PeriodSummary.rows)
    kept = {}
    for chunk in _chunks(uploads):
        rows = conn.execute(query.where(PeriodSummary.upload_id.in_(chunk)))
        kept |= {(u, s, p): (d, n) for u, s, p, d, n in rows}
    return {
        key: kept[(v.upload_id, key[1], key[2])]
        for key, v in versions.items()
        if (v.upload_id, key[1], key[2]) in kept
    }


def _chunks(ids: list[int], size: int = 500):
    """Yield ids in lists short enough for any database's bound parameters."""
    for first in range(0, len(ids), size):
        yield ids[first : first + size]


def began(changes: list[Version]) -> dict[str, dt.datetime]:
    """Return when each workstream's history began: its first upload."""
    found: dict[str, dt.datetime] = {}
    for change in changes:
        found.setdefault(change.key[0], change.made_at)
    return found


def at_meeting(
    conn: sa.Connection,
    changes: list[Version],
    meeting_date: dt.date,
    *,
    later: dt.date | None = None,
) -> tuple[dict[Key, Version], dict[Key, dt.date | None]]:
    """Return the versions a meeting counts, compared with a later meeting (None: now),
    and the day each is dated by (see the module's rule)."""
    ends = day_ends(meeting_date)
    later_ends = day_ends(later) if later else None
    started = began(changes)
    live_then = as_at(changes, ends)
    seen_from = as_at(changes, later_ends) if later_ends else None
    current = as_at(changes, None)
    chosen: dict[Key, Version] = {}
    for workstream, first in started.items():
        if first < ends:
            source = live_then
        elif later_ends is not None and first < later_ends:
            source = seen_from
        else:
            source = current
        chosen |= {k: v for k, v in source.items() if k[0] == workstream}
    dated = days(conn, chosen)
    kept = {
        key: version
        for key, version in chosen.items()
        if dated.get(key) is None or dated[key] <= meeting_date
    }
    return kept, {key: dated.get(key) for key in kept}
