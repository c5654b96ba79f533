"""Returns due: each workstream's last return, and whether the next is due or overdue.

How often a return is expected is declared on each workstream (return_every_months). A
return is judged by the dates its data carry, not by when it was uploaded: the next is due
that long after the newest period the figures hold (a bulletin's sent date, a map edition),
or, for a period that spans time (a quarter, a financial year), once the next such period
has ended. Loading an old file again, or a year's files on one day, is not a new return.
Only a workstream whose data carry no date is judged by the day its last upload (one not
rolled back) was made.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from lgadata import periods
from lgadata.meetings import UK_TIME, day_ends, next_meeting
from lgadata.models import Upload, as_utc
from lgadata.queries.history import format_when
from lgadata.store import ROLLBACK
from lgadata.values import format_date
from lgadata.workstreams import WORKSTREAMS, Kind

OVERDUE, DUE, NOT_DUE, NONE_RECEIVED, NO_SCHEDULE, UNDATED = (
    "overdue",
    "due",
    "not due",
    "none received",
    "no schedule",
    "undated",
)
_EVERY = {1: "monthly", 3: "quarterly", 6: "every six months", 12: "yearly"}
_SPANS = {Kind.QUARTER: 3, Kind.FINANCIAL_YEAR: 12}  # months a period dated by its start spans


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
    say; `on` itself when not given). The last return is the newest dated period the
    figures counted on `on` hold (lgadata.periods.at_meeting: for a day before the data
    were loaded, the periods dated by then); rolled-back uploads and rollbacks are not
    returns. A workstream whose data carry no date is judged by its last upload's day.
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
            if w.key in started and w.return_every_months:
                if dated is None:
                    dated = periods.at_meeting(conn, changes, on)
                judged = _dated_due(conn, w, dated, on, before)
                if judged is None and w.key not in last:  # counted, loaded later, undated
                    judged = ReturnDue(**_named(w), status=UNDATED, next_due=None)
                if judged is not None:
                    found.append(judged)
                    continue
            found.append(_due(w, last.get(w.key), on, before))
    return found


def _dated_due(conn, workstream, dated, on: dt.date, before: dt.date) -> ReturnDue | None:
    """Return the state of a return judged by the data's dates (see returns_due); None
    when the figures counted hold no dated period of this workstream."""
    versions, days = dated
    mine = [(day, key) for key, day in days.items() if key[0] == workstream.key and day]
    if not mine:
        return None
    day, key = max(mine)
    upload = conn.execute(sa.select(Upload).where(Upload.id == versions[key].upload_id)).one()
    sheet = workstream.sheet(key[1])
    span = _SPANS.get(sheet.column(sheet.dated_by).kind, 0)
    # A quarter's return can come only once the quarter is over: the next is due by the end
    # of the next quarter, the day before it has spanned (3) and the schedule's (3) months.
    next_due = day + relativedelta(months=span + workstream.return_every_months)
    next_due -= dt.timedelta(days=1 if span else 0)
    when = periods.name_period(sheet, key[2], day)
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


def due_at_meeting(*, engine: sa.Engine, meeting_date: dt.date) -> tuple[str, list[ReturnDue]]:
    """Return what a meeting's paper and its closing screen list as due, once the meeting
    is in the past or its paper is drafted: the returns overdue on its day or falling due
    before the next meeting (its own day when none is registered), and when that is in
    words ('before the next meeting on 9 October 2013', 'on 10 July 2013')."""
    following = next_meeting(engine=engine, on=meeting_date + dt.timedelta(days=1))
    before = following.meets_on if following else meeting_date
    when = (
        f"before the next meeting on {format_date(before)}"
        if following
        else f"on {format_date(meeting_date)}"
    )
    return when, missing_before(engine=engine, on=meeting_date, meeting=before)
