"""Returns due: each workstream's last return, and whether the next is due or overdue.

How often a return is expected is declared on each workstream (return_every_months); the
next is due that long after the last return that still counts (one not rolled back).
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from lgadata import periods
from lgadata.meetings import UK_TIME, day_ends
from lgadata.models import Upload, as_utc
from lgadata.queries.history import format_when
from lgadata.store import ROLLBACK
from lgadata.values import format_date
from lgadata.workstreams import WORKSTREAMS

OVERDUE, DUE, NOT_DUE, NONE_RECEIVED, NO_SCHEDULE, UNDATED = (
    "overdue",
    "due",
    "not due",
    "none received",
    "no schedule",
    "undated",
)
_EVERY = {1: "monthly", 3: "quarterly", 6: "every six months", 12: "yearly"}


@dataclass(frozen=True)
class ReturnDue:
    """A workstream's last return (file, who, when) and when the next one is expected."""

    workstream: str
    title: str
    expected: str
    status: str
    next_due: dt.date | None
    upload_id: int | None = None
    file_name: str = ""
    uploaded_by: str = ""
    uploaded_at: dt.datetime | None = None
    when: str = ""

    @property
    def sentence(self) -> str:
        """Return the line the Overview and the paper show for this workstream."""
        if self.status == NO_SCHEDULE:
            return f"{self.title}: no return is scheduled."
        if self.status == UNDATED:
            return f"{self.title}: its data carry no date to place a return by ({self.expected})."
        if self.upload_id is None:
            return f"{self.title}: no return received yet ({self.expected})."
        last = f"last return {self.file_name} from {self.uploaded_by}, {self.when}"
        due = format_date(self.next_due)
        words = {OVERDUE: f"overdue since {due}", DUE: f"due by {due}", NOT_DUE: f"next by {due}"}
        return f"{self.title}: {last}; {words[self.status]}."


def expected(months: int) -> str:
    """Return how often a return is expected, in words: 'quarterly'."""
    return _EVERY.get(months, f"every {months} months") if months else "no schedule"


def returns_due(
    *, engine: sa.Engine, on: dt.date, before: dt.date | None = None
) -> list[ReturnDue]:
    """Return each workstream's last return by the end of `on` and the state of the next.

    Overdue: it was due before `on`. Due: it falls due by `before` (the next meeting,
    say; `on` itself when not given). Rolled-back uploads and rollbacks are not returns.
    For a day before a workstream's first upload (a meeting whose data were loaded later)
    the last return is its newest period dated by then (lgadata.periods), due again that
    long after the period's date.
    """
    before = max(before or on, on)
    undone = sa.select(Upload.rolls_back).where(Upload.kind == ROLLBACK)
    query = (
        sa.select(Upload)
        .where(
            Upload.kind != ROLLBACK,
            Upload.id.not_in(undone.where(Upload.rolls_back.is_not(None))),
            Upload.uploaded_at < day_ends(on).astimezone(dt.UTC),
        )
        .order_by(Upload.id)
    )
    with engine.connect() as conn:
        last = {row.workstream: row for row in conn.execute(query)}
        changes = periods.history(conn)
        started = periods.began(changes)
        dated = None
        found = []
        for w in WORKSTREAMS.values():
            if w.key in last or w.key not in started or not w.return_every_months:
                found.append(_due(w, last.get(w.key), on, before))
                continue
            if dated is None:
                dated = periods.at_meeting(conn, changes, on)
            found.append(_dated_due(conn, w, dated, on, before))
    return found


def _dated_due(conn, workstream, dated, on: dt.date, before: dt.date) -> ReturnDue:
    """Return the state of a return judged by the data's dates (see returns_due)."""
    versions, days = dated
    mine = [(day, key) for key, day in days.items() if key[0] == workstream.key and day]
    if not mine:
        return ReturnDue(**_named(workstream), status=UNDATED, next_due=None)
    day, key = max(mine)
    upload = conn.execute(sa.select(Upload).where(Upload.id == versions[key].upload_id)).one()
    next_due = day + relativedelta(months=workstream.return_every_months)
    when = periods.name_period(workstream.sheet(key[1]), key[2], day)
    return _received(workstream, upload, next_due, on, before, when=when)


def _due(workstream, upload, on: dt.date, before: dt.date) -> ReturnDue:
    months = workstream.return_every_months
    if not months:
        return ReturnDue(**_named(workstream), status=NO_SCHEDULE, next_due=None)
    if upload is None:
        return ReturnDue(**_named(workstream), status=NONE_RECEIVED, next_due=None)
    sent = as_utc(upload.uploaded_at)
    next_due = sent.astimezone(UK_TIME).date() + relativedelta(months=months)
    return _received(workstream, upload, next_due, on, before, when=format_when(sent))


def _named(workstream) -> dict:
    """Return the fields of a workstream's return that name it and its schedule."""
    months = workstream.return_every_months
    return {"workstream": workstream.key, "title": workstream.title, "expected": expected(months)}


def _received(workstream, upload, next_due: dt.date, on, before, *, when: str) -> ReturnDue:
    """Return a return received in this upload, next due on next_due, judged on the day on
    against the next meeting's day before."""
    return ReturnDue(
        **_named(workstream),
        status=OVERDUE if next_due < on else DUE if next_due <= before else NOT_DUE,
        next_due=next_due,
        upload_id=upload.id,
        file_name=upload.file_name,
        uploaded_by=upload.uploaded_by,
        uploaded_at=as_utc(upload.uploaded_at),
        when=when,
    )


def missing_before(*, engine: sa.Engine, on: dt.date, meeting: dt.date) -> list[ReturnDue]:
    """Return the returns overdue or falling due before a meeting: the 'what is due' list."""
    return [
        r
        for r in returns_due(engine=engine, on=on, before=meeting)
        if r.status in (OVERDUE, DUE, NONE_RECEIVED)
    ]
