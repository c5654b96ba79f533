"""What changed between two days (two board meetings, or a meeting and now), workstream by
workstream: the uploads and rollbacks made, and the rows they left added, removed and changed.

Computed from the version history every upload and rollback records (period_change), never
stored as a copy: a period's data at a moment is what its last change before then made
current, and the rows compared are the ones those uploads brought.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from lgadata import queries
from lgadata.diff import SheetDiff, compare
from lgadata.meetings import BoardMeeting, day_ends, last_meeting
from lgadata.models import DATA_TABLES, PeriodChange, Upload, as_utc
from lgadata.queries.base import period_state
from lgadata.queries.history import describe_period, format_when
from lgadata.since_words import describe
from lgadata.values import format_date
from lgadata.workstreams import WORKSTREAMS, Kind, Sheet, Workstream


@dataclass(frozen=True)
class UploadSeen:
    """An upload or rollback made in the window: its file, who, when, the periods it touched."""

    id: int
    kind: str
    version: int
    file_name: str
    uploaded_by: str
    uploaded_at: dt.datetime
    when: str
    periods: tuple[str, ...]
    periods_text: str
    rolls_back: int | None = None
    note: str = ""


@dataclass(frozen=True)
class PeriodMoved:
    """How one period of one sheet differs between the two moments."""

    sheet: str
    period: str
    period_text: str
    diff: SheetDiff
    is_new: bool
    is_withdrawn: bool
    compared_with: str | None = None
    money: dict[str, float] = field(default_factory=dict)
    sentence: str = ""


@dataclass(frozen=True)
class WorkstreamSince:
    """One workstream between two days: uploads made, what they left changed, in words."""

    workstream: str
    title: str
    start: dt.date
    end: dt.date | None
    uploads: tuple[UploadSeen, ...]
    changes: tuple[PeriodMoved, ...]
    sentences: tuple[str, ...]

    @property
    def nothing_new(self) -> bool:
        """Say whether nothing was uploaded or rolled back in the window."""
        return not self.uploads


def since(
    *, engine: sa.Engine, start: dt.date, end: dt.date | None = None
) -> list[WorkstreamSince]:
    """Return what changed after the day `start` up to the end of `end` (or now), by workstream.

    What was sent on a meeting's day counts as known at that meeting, so comparing two
    meetings' days gives what the later meeting has that the earlier one did not.
    """
    if end is not None and end < start:
        raise ValueError(
            f"Compare the earlier day with the later: {format_date(end)} is before "
            f"{format_date(start)}."
        )
    begins = day_ends(start)
    ends = day_ends(end) if end else None
    with engine.connect() as conn:
        return [
            _workstream_since(conn, workstream, start, end, begins, ends)
            for workstream in WORKSTREAMS.values()
        ]


def since_last_meeting(*, engine: sa.Engine, meeting: BoardMeeting) -> list[WorkstreamSince]:
    """Return what changed between the meeting before this one and this one's day.

    Before the first registered meeting there is nothing to compare with: an empty list.
    """
    last = last_meeting(engine=engine, on=meeting.meets_on)
    if last is None:
        return []
    return since(engine=engine, start=last.meets_on, end=meeting.meets_on)


def _workstream_since(
    conn: sa.Connection,
    workstream: Workstream,
    start: dt.date,
    end: dt.date | None,
    begins: dt.datetime,
    ends: dt.datetime | None,
) -> WorkstreamSince:
    before = _state(conn, workstream.key, begins)
    after = _state(conn, workstream.key, ends)
    uploads = _uploads(conn, workstream.key, begins, ends)
    changes = []
    for sheet in workstream.sheets:
        keys = {period for name, period in set(before) | set(after) if name == sheet.name}
        for period in sorted(keys):
            old, new = before.get((sheet.name, period)), after.get((sheet.name, period))
            if old != new:
                base = _previous_period(sheet, period, after) if old is None else None
                moved = _period_moved(conn, workstream, sheet, period, old, new, base)
                if moved is not None:
                    changes.append(moved)
    return WorkstreamSince(
        workstream=workstream.key,
        title=workstream.title,
        start=start,
        end=end,
        uploads=tuple(uploads),
        changes=tuple(changes),
        sentences=tuple(_sentences(uploads, changes, start)),
    )


def _state(conn, workstream: str, moment: dt.datetime | None) -> dict[tuple[str, str], int | None]:
    """Return the upload current for each (sheet, period) at a moment (None: now), as the
    headline queries read it."""
    state = period_state(moment)
    query = sa.select(state.c.sheet, state.c.period, state.c.upload_id).where(
        state.c.workstream == workstream
    )
    return {(sheet, period): upload for sheet, period, upload in conn.execute(query)}


def _uploads(conn, workstream: str, begins, ends) -> list[UploadSeen]:
    query = (
        sa.select(Upload)
        .where(Upload.workstream == workstream, Upload.uploaded_at >= begins.astimezone(dt.UTC))
        .order_by(Upload.id)
    )
    if ends is not None:
        query = query.where(Upload.uploaded_at < ends.astimezone(dt.UTC))
    changes = sa.select(PeriodChange.upload_id, PeriodChange.period).where(
        PeriodChange.workstream == workstream
    )
    touched: dict[int, set[str]] = {}
    for upload_id, period in conn.execute(changes):
        touched.setdefault(upload_id, set()).add(period)
    seen = []
    for row in conn.execute(query):
        periods = tuple(sorted(touched.get(row.id, ())))
        seen.append(
            UploadSeen(
                id=row.id,
                kind=row.kind,
                version=row.version,
                file_name=row.file_name,
                uploaded_by=row.uploaded_by,
                uploaded_at=as_utc(row.uploaded_at),
                when=format_when(row.uploaded_at),
                periods=periods,
                periods_text=", ".join(describe_period(p) for p in periods) or "none",
                rolls_back=row.rolls_back,
                note=row.note,
            )
        )
    return seen


def _rows(conn, sheet: Sheet, upload_id: int | None, period: str) -> list[dict]:
    if upload_id is None:
        return []
    table = DATA_TABLES[sheet.table]
    names = ["period_key", *(c.name for c in sheet.columns)]
    query = (
        sa.select(*(table.c[n] for n in names))
        .where(table.c.upload_id == upload_id, table.c.period_key == period)
        .order_by(table.c.row_no)
    )
    return [dict(zip(names, row, strict=True)) for row in conn.execute(query)]


def _previous_period(sheet: Sheet, period: str, state: dict) -> tuple[str, int] | None:
    """Return the period a new one is read against, and its upload, if its rows compare.

    A sheet whose key leaves out its period column (an arrangement in every map edition, a
    budget line every year) lists the same things each period, so a new edition is read
    against the one before it. A bulletin's links or a quarter's outcomes are new things.
    """
    if not sheet.period or sheet.period in sheet.key:
        return None
    earlier = [(p, u) for (name, p), u in state.items() if name == sheet.name and u and p < period]
    return max(earlier, default=None)


def _period_moved(conn, workstream, sheet, period, old, new, base=None) -> PeriodMoved | None:
    old_rows, new_rows = _rows(conn, sheet, old, period), _rows(conn, sheet, new, period)
    if base is not None and new_rows:
        # Read as if the earlier edition were this one, so its date is not a change.
        same = {"period_key": period, sheet.period: new_rows[0][sheet.period]}
        old_rows = [row | same for row in _rows(conn, sheet, base[1], base[0])]
    diff = compare(sheet, old_rows, new_rows, [period])
    if diff.is_empty and old is not None:
        return None  # the same rows again: a re-upload of the same figures changes nothing
    money = {
        column.label.removesuffix(" (£)").lower(): _total(new_rows, column.name)
        - _total(old_rows, column.name)
        for column in sheet.columns
        if column.kind is Kind.MONEY
    }
    moved = PeriodMoved(
        sheet=sheet.name,
        period=period,
        period_text=_period_text(workstream, sheet, period),
        diff=diff,
        is_new=old is None,
        is_withdrawn=not new_rows,
        compared_with=describe_period(base[0]) if base else None,
        money={label: delta for label, delta in money.items() if round(delta, 2)},
    )
    return PeriodMoved(**{**vars(moved), "sentence": describe(moved, sheet)})


def _total(rows: list[dict], column: str) -> float:
    return sum(float(row[column]) for row in rows if row[column] is not None)


def _period_text(workstream: Workstream, sheet: Sheet, period: str) -> str:
    if not period:
        return sheet.name
    prefix = workstream.period_label if len(workstream.sheets) == 1 else sheet.name
    described = describe_period(period)
    # A bulletin's title names itself: "E-bulletin, June 2013", not "Bulletin E-bulletin, ..."
    if prefix.lower().split()[-1] in described.lower():
        return described
    return f"{prefix} {described}"


def _sentences(uploads: list[UploadSeen], changes: list[PeriodMoved], start: dt.date) -> list[str]:
    if not uploads:
        return [f"Nothing reported since {format_date(start)}."]
    if not changes:
        made = f"{len(uploads)} upload{'s' * (len(uploads) != 1)}"
        return [f"{made} since {format_date(start)} left the figures as they were."]
    return [moved.sentence for moved in changes]


def headline_figures(
    *, engine: sa.Engine, start: dt.date, end: dt.date | None = None
) -> list[dict]:
    """Return each Overview figure as known at the end of `start` and of `end` (or now).

    Each row: the card, the figure, its value then and now, and whether it moved.
    """
    then = _figures(engine, known_at=day_ends(start), today=start)
    now = _figures(engine, known_at=day_ends(end) if end else None, today=end)
    return [
        {
            "card": card,
            "figure": label,
            "then": then.get((card, label)),
            "now": value,
            "changed": then.get((card, label)) != value,
        }
        for (card, label), value in now.items()
    ] + [
        {"card": card, "figure": label, "then": value, "now": None, "changed": True}
        for (card, label), value in then.items()
        if (card, label) not in now
    ]


def _figures(engine, *, known_at, today) -> dict[tuple[str, str], str]:
    # Late: the overview's sections import the paper, whose since part imports this module.
    from lgadata.overview import cards

    figures = queries.metrics(engine=engine, known_at=known_at, today=today)
    milestones = queries.milestones(engine=engine, known_at=known_at, today=today)
    return {
        (card.title, figure.label): figure.value
        for card in cards(figures, milestones)
        for figure in card.figures
    }
