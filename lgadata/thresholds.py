"""Thresholds on headline figures: which lines an upload crosses, and the reasons given.

Each section declares its thresholds (lgadata.sections.parts.Threshold); an upload that
crosses one is stored only with the officer's one-line reason, which the section's
commentary and its time chart then show. The values are read by the same queries before
and after the upload, so a preview and the store itself agree.
"""

import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa

from lgadata.models import Upload, as_utc
from lgadata.sections.parts import Threshold
from lgadata.values import format_date, format_money

REASON_LIMIT = 200  # one line: the chart's tooltip and the table view show it whole
SAVINGS_MOVE = 0.10  # the share by which the map's savings may move without a reason


@dataclass(frozen=True)
class Crossing:
    """One threshold an upload crosses, said in plain words."""

    section: str
    figure: str
    words: str


@dataclass(frozen=True)
class GivenReason:
    """The reason an officer gave for an upload that crossed a threshold."""

    upload_id: int
    workstream: str
    version: int
    reason: str
    crossings: tuple[str, ...]
    uploaded_by: str
    uploaded_at: dt.datetime


def _declared(workstream: str) -> list:
    from lgadata.sections.registry import SECTIONS  # late: the sections import the queries

    return [(s, t) for s in SECTIONS for t in s.thresholds if t.workstream == workstream]


def read(*, engine, workstream: str) -> list[dict]:
    """Return the values each threshold on a workstream's figures watches, in order."""
    return [threshold.read(engine=engine) for _, threshold in _declared(workstream)]


def compare(*, workstream: str, before: list[dict], after: list[dict]) -> list[Crossing]:
    """Return the thresholds crossed between two readings of a workstream's values."""
    found = []
    for (section, threshold), old, new in zip(_declared(workstream), before, after, strict=True):
        for item, value in new.items():
            words = threshold.crossed(item, old.get(item), value)
            if words:
                found.append(Crossing(section.key, threshold.figure, words))
    return found


def crossings(*, engine: sa.Engine, parsed) -> list[Crossing]:
    """Return the thresholds storing this checked upload would cross; nothing is stored."""
    from lgadata.store import what_if  # late: the store imports this module

    key = parsed.workstream.key
    if not _declared(key) or not parsed.ok:
        return []
    before = read(engine=engine, workstream=key)
    with what_if(engine=engine, parsed=parsed) as preview:
        after = read(engine=preview, workstream=key)
    return compare(workstream=key, before=before, after=after)


def clean_reason(text: str) -> str:
    """Return a reason as one line of plain text, or raise ValueError saying what is wrong."""
    line = " ".join((text or "").split())
    if len(line) > REASON_LIMIT:
        raise ValueError(
            f"A reason is one line of at most {REASON_LIMIT} characters; this one has {len(line)}."
        )
    return line


def given_reasons(
    *,
    engine: sa.Engine,
    workstreams: tuple[str, ...],
    after: dt.date | None = None,
    until: dt.date | None = None,
) -> list[GivenReason]:
    """Return the reasons given for uploads to these workstreams, oldest first, uploaded
    after one day and up to another (both optional, both dates)."""
    query = (
        sa.select(Upload)
        .where(Upload.workstream.in_(workstreams), Upload.reason != "")
        .order_by(Upload.uploaded_at, Upload.id)
    )
    found = []
    with engine.connect() as conn:
        for row in conn.execute(query):
            day = as_utc(row.uploaded_at).date()
            if (after and day <= after) or (until and day > until):
                continue
            summary = json.loads(row.summary or "{}")
            found.append(
                GivenReason(
                    row.id,
                    row.workstream,
                    row.version,
                    row.reason,
                    tuple(summary.get("crossings", ())),
                    row.uploaded_by,
                    as_utc(row.uploaded_at),
                )
            )
    return found


def reasons_for_meeting(
    *, engine: sa.Engine, section: str, meeting_date: dt.date, report: list | None = None
) -> list[str]:
    """Return the reasons given for the uploads that brought a section's changes since the
    meeting before this one (lgadata.since; `report` when computed already), each as a line
    of the section's commentary."""
    from lgadata.meetings import last_meeting
    from lgadata.since import since

    if report is None:
        before = last_meeting(engine=engine, on=meeting_date)
        if before is None:
            return []
        report = since(engine=engine, start=before.meets_on, end=meeting_date)
    return reasons_in(report, section)


def any_given(*, engine: sa.Engine, workstreams: tuple[str, ...]) -> bool:
    """Say whether any upload of these workstreams was given a reason: if none was, no
    comparison of them can hold one, and the comparison need not be read for its reasons
    (on the large database that was a third of the Shared Services page's run)."""
    query = sa.select(Upload.id).where(
        Upload.workstream.in_(workstreams), sa.func.coalesce(Upload.reason, "") != ""
    )
    with engine.connect() as conn:
        return conn.execute(query.limit(1)).first() is not None


def reasons_in(report: list, section: str) -> list[str]:
    """Return the reasons in a since report (lgadata.since) for a section's workstreams."""
    from lgadata.sections.registry import get_section

    mine = get_section(section).workstreams
    return [
        reason_line(workstream.title, upload)
        for workstream in report
        if workstream.workstream in mine
        for upload in workstream.uploads
        if upload.reason
    ]


def reason_line(title: str, upload) -> str:  # upload: an lgadata.since.UploadSeen
    """Return an upload's reason as the commentary gives it."""
    return (
        f"Reason given with {title} version {upload.version} "
        f"({upload.uploaded_by}, {format_date(upload.uploaded_at.date())}): {upload.reason}"
    )


def savings_moved(item: str, before, after) -> str | None:
    """Say how the map's savings move by more than SAVINGS_MOVE between editions."""
    if before is None or after is None or before == after:
        return None
    if before and abs(after - before) / before <= SAVINGS_MOVE:
        return None
    share = f" ({(after - before) / before:+.0%})" if before else ""
    return (
        f"{item} would move from {format_money(before)} to {format_money(after)}{share}, "
        f"more than the {SAVINGS_MOVE:.0%} that needs a reason."
    )


def overspent(item: str, before, after) -> str | None:
    """Say which budget line an upload leaves overspent that was not before."""
    budget, spent = after
    if spent is None or budget is None or spent <= budget:
        return None
    if before is not None and before[1] is not None and before[1] > before[0]:
        return None  # overspent already: the board has heard of it
    return (
        f"The budget line {item} would be overspent: {format_money(spent)} spent of a "
        f"{format_money(budget)} budget."
    )


def turned_red(item: str, before, after) -> str | None:
    """Say which RAG status an upload turns red."""
    if after != "Red" or before == "Red":
        return None
    was = f"it was {before.lower()}" if before else "it had no status"
    return f"The RAG status of {item} would turn red ({was})."


def moves(workstream: str, figure: str, read) -> Threshold:
    """Return a threshold on a figure moving by more than SAVINGS_MOVE."""
    return Threshold(workstream, figure, read, savings_moved)


def overspends(workstream: str, figure: str, read) -> Threshold:
    """Return a threshold on budget lines, read as (budget, spent), becoming overspent."""
    return Threshold(workstream, figure, read, overspent)


def turns_red(workstream: str, figure: str, read) -> Threshold:
    """Return a threshold on RAG statuses turning red."""
    return Threshold(workstream, figure, read, turned_red)
