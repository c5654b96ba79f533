"""What changed between two board meetings (or a meeting and now), workstream by workstream:
the periods each meeting counts, compared (lgadata.periods says which: those dated by the
meeting's day, as they stood then), the rows added, removed and changed in words, and the
uploads that brought those changes with the reasons given for them.

Computed from the version history every upload and rollback records (period_change), never
stored as a copy. The Overview, the section pages, meeting mode and the paper read these
functions, and the headline figures come from the same versions as the sentences.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

import sqlalchemy as sa

from lgadata import periods, queries
from lgadata.diff import SheetDiff, compare
from lgadata.meetings import BoardMeeting, day_ends, last_meeting
from lgadata.models import DATA_TABLES, PeriodChange, Upload, as_utc
from lgadata.queries.history import format_when
from lgadata.since_words import describe
from lgadata.values import format_date
from lgadata.workstreams import WORKSTREAMS, Kind, Sheet, Workstream


@dataclass(frozen=True)
class UploadSeen:
    """An upload or rollback that brought a change counted since the meeting: its file, who,
    when, the periods it brought, and the reason given when it crossed a threshold."""

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
    reason: str = ""


@dataclass(frozen=True)
class PeriodMoved:
    """How one period of one sheet differs between the two meetings."""

    sheet: str
    period: str
    period_text: str
    diff: SheetDiff
    is_new: bool
    is_withdrawn: bool
    compared_with: str | None = None
    money: dict[str, float] = field(default_factory=dict)
    sentence: str = ""
    brought_by: int | None = None  # the upload or rollback that made the later version
    rows_added: int | None = None  # a new period's rows, counted when they were not read

    @property
    def added(self) -> int:
        """Return how many rows the later version has that the earlier had not."""
        return len(self.diff.added) if self.rows_added is None else self.rows_added


@dataclass(frozen=True)
class WorkstreamSince:
    """One workstream between two meetings: what changed in words, and the uploads that
    brought it."""

    workstream: str
    title: str
    start: dt.date
    end: dt.date | None
    uploads: tuple[UploadSeen, ...]
    changes: tuple[PeriodMoved, ...]
    sentences: tuple[str, ...]

    @property
    def nothing_new(self) -> bool:
        """Say whether nothing counted at the later meeting differs from the earlier."""
        return not self.changes


@dataclass(frozen=True)
class Compared:
    """The versions each side of a comparison counts (lgadata.periods.at_meeting)."""

    before: dict
    after: dict
    days: dict
    rows: dict  # how many rows each period counted after holds, as stored


def _compared(conn, start: dt.date, end: dt.date | None) -> Compared:
    changes = periods.history(conn)
    before, before_days = periods.at_meeting(conn, changes, start, later=end)
    if end is None:
        after = periods.as_at(changes, None)
        stored = periods.summaries(conn, after)
        after_days = periods.days(conn, after, stored)
    else:
        after, after_days = periods.at_meeting(conn, changes, end)
        stored = periods.summaries(conn, after)
    rows = {key: count for key, (_, count) in stored.items()}
    return Compared(before, after, before_days | after_days, rows)


def since(
    *,
    engine: sa.Engine,
    start: dt.date,
    end: dt.date | None = None,
    workstreams: tuple[str, ...] | None = None,
) -> list[WorkstreamSince]:
    """Return what changed between the meeting on `start` and the one on `end` (or now), by
    workstream (all, or those named): the periods each counts (lgadata.periods), compared.

    What was sent on a meeting's day counts as known at that meeting, so comparing two
    meetings' days gives what the later meeting has that the earlier one did not.
    """
    _check_order(start, end)
    with engine.connect() as conn:
        compared = _compared(conn, start, end)
        return [
            _workstream_since(conn, workstream, start, end, compared)
            for workstream in WORKSTREAMS.values()
            if workstreams is None or workstream.key in workstreams
        ]


def _check_order(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValueError(
            f"Compare the earlier day with the later: {format_date(end)} is before "
            f"{format_date(start)}."
        )


def since_last_meeting(*, engine: sa.Engine, meeting: BoardMeeting) -> list[WorkstreamSince]:
    """Return what changed between the meeting before this one and this one's day.

    Before the first registered meeting there is nothing to compare with: an empty list.
    """
    last = last_meeting(engine=engine, on=meeting.meets_on)
    if last is None:
        return []
    return since(engine=engine, start=last.meets_on, end=meeting.meets_on)


def _side(versions: dict, workstream: str) -> dict[tuple[str, str], int | None]:
    return {(k[1], k[2]): v.upload_id for k, v in versions.items() if k[0] == workstream}


def _workstream_since(
    conn: sa.Connection, workstream: Workstream, start, end, compared: Compared
) -> WorkstreamSince:
    before = {k: u for k, u in _side(compared.before, workstream.key).items() if u}
    after = {k: u for k, u in _side(compared.after, workstream.key).items() if u}
    changes = []
    for sheet in workstream.sheets:
        keys = {period for name, period in set(before) | set(after) if name == sheet.name}
        for period in sorted(keys, key=lambda p: _in_date_order(compared, workstream, sheet, p)):
            old, new = before.get((sheet.name, period)), after.get((sheet.name, period))
            if old != new:
                base = _previous_period(sheet, period, after) if old is None else None
                key = (workstream.key, sheet.name, period)
                day, rows = compared.days.get(key), compared.rows.get(key, 0)
                moved = _period_moved(conn, workstream, sheet, period, old, new, base, day, rows)
                if moved is not None:
                    version = compared.after.get((workstream.key, sheet.name, period))
                    made = version.made_by if version else _emptied_by(conn, workstream, sheet)
                    changes.append(replace(moved, brought_by=made))
    uploads = _uploads(conn, workstream, changes)
    return WorkstreamSince(
        workstream=workstream.key,
        title=workstream.title,
        start=start,
        end=end,
        uploads=tuple(uploads),
        changes=tuple(changes),
        sentences=tuple(_sentences(conn, workstream, changes, start, end)),
    )


def _in_date_order(compared: Compared, workstream, sheet, period: str) -> tuple:
    """Order periods by the day they are dated by (bulletins by the day sent), then name."""
    return (compared.days.get((workstream.key, sheet.name, period)) or dt.date.min, period)


def _emptied_by(conn, workstream: Workstream, sheet: Sheet) -> int | None:
    """Return the last upload or rollback that changed a sheet of the workstream."""
    query = sa.select(sa.func.max(PeriodChange.upload_id)).where(
        PeriodChange.workstream == workstream.key, PeriodChange.sheet == sheet.name
    )
    return conn.execute(query).scalar_one_or_none()


def _uploads(conn, workstream: Workstream, changes: list[PeriodMoved]) -> list[UploadSeen]:
    """Return the uploads and rollbacks that brought the changes counted, with the periods
    each brought, oldest first."""
    brought: dict[int, list[str]] = {}
    for moved in changes:
        if moved.brought_by is not None:
            brought.setdefault(moved.brought_by, []).append(moved.period_text)
    if not brought:
        return []
    query = sa.select(Upload).where(Upload.id.in_(sorted(brought))).order_by(Upload.id)
    return [
        UploadSeen(
            id=row.id,
            kind=row.kind,
            version=row.version,
            file_name=row.file_name,
            uploaded_by=row.uploaded_by,
            uploaded_at=as_utc(row.uploaded_at),
            when=format_when(row.uploaded_at),
            periods=tuple(brought[row.id]),
            periods_text=_brought(brought[row.id]),
            rolls_back=row.rolls_back,
            note=row.note,
            reason=row.reason or "",
        )
        for row in conn.execute(query)
    ]


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


def _period_moved(
    conn, workstream, sheet, period, old, new, base=None, day=None, rows=0
) -> PeriodMoved | None:
    if old is None and base is None:
        return _new_period(conn, sheet, period, new, day, rows)
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
        period_text=periods.name_period(sheet, period, day),
        diff=diff,
        is_new=old is None,
        is_withdrawn=not new_rows,
        compared_with=periods.name_period(sheet, base[0]) if base else None,
        money={label: delta for label, delta in money.items() if round(delta, 2)},
    )
    return PeriodMoved(**{**vars(moved), "sentence": describe(moved, sheet)})


def _new_period(conn, sheet: Sheet, period: str, upload_id: int, day, rows: int) -> PeriodMoved:
    """Return a period new since the meeting, read against nothing: its rows as counted
    when stored, and its money added up in the database, not read (a large database has
    hundreds of new bulletins since a meeting, a million links, which took seconds to read
    row by row, and a query each to count)."""
    table = DATA_TABLES[sheet.table]
    money = [c for c in sheet.columns if c.kind is Kind.MONEY]
    totals = [0] * len(money)
    if money and rows:
        query = sa.select(
            *(sa.func.coalesce(sa.func.sum(table.c[c.name]), 0) for c in money)
        ).where(table.c.upload_id == upload_id, table.c.period_key == period)
        totals = list(conn.execute(query).one())
    moved = PeriodMoved(
        sheet=sheet.name,
        period=period,
        period_text=periods.name_period(sheet, period, day),
        diff=SheetDiff(sheet.name, [period]),
        is_new=True,
        is_withdrawn=not rows,
        money={
            column.label.removesuffix(" (£)").lower(): float(total)
            for column, total in zip(money, totals, strict=True)
            if round(float(total), 2)
        },
        rows_added=rows,
    )
    return replace(moved, sentence=describe(moved, sheet))


def _total(rows: list[dict], column: str) -> float:
    return sum(float(row[column]) for row in rows if row[column] is not None)


def _brought(names: list[str]) -> str:
    """Name the one period an upload brought; several are counted, as the sentences before
    name each of them."""
    return names[0] if len(names) == 1 else f"{len(names)} of these"


def _sentences(conn, workstream, changes: list[PeriodMoved], start, end) -> list[str]:
    if changes:
        return [moved.sentence for moved in changes]
    made = _uploads_between(conn, workstream, start, end)
    if not made:
        return [f"Nothing reported since {format_date(start)}."]
    uploads = f"{made} upload{'s' * (made != 1)}"
    return [f"{uploads} since {format_date(start)} left the figures as they were."]


def _uploads_between(conn, workstream: Workstream, start: dt.date, end: dt.date | None) -> int:
    """Return how many uploads and rollbacks were made between the two meetings' days."""
    query = sa.select(sa.func.count()).where(
        Upload.workstream == workstream.key,
        Upload.uploaded_at >= day_ends(start).astimezone(dt.UTC),
    )
    if end is not None:
        query = query.where(Upload.uploaded_at < day_ends(end).astimezone(dt.UTC))
    return conn.execute(query).scalar_one()


def headline_figures(
    *, engine: sa.Engine, start: dt.date, end: dt.date | None = None
) -> list[dict]:
    """Return each Overview figure at the meeting on `start` and at `end` (or now), from the
    versions `since` compares, so that a figure moves only where a period changed.

    Each row: the card, the figure, its value then and now, and whether it moved.
    """
    _check_order(start, end)
    with engine.connect() as conn:
        compared = _compared(conn, start, end)
    then = _figures(engine, known_at=periods.as_known_at(compared.before), today=start)
    later = periods.as_known_at(compared.after) if end else None
    now = _figures(engine, known_at=later, today=end)
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
