"""What an upload changes: rows added, removed and changed, and the headline figures.

Rows are matched on each sheet's key columns within a period (an arrangement's name in
a map edition, a link's URL in a bulletin). Headline figures are the Overview card's,
computed by the same queries on a what-if copy of the database.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from lgadata import queries, thresholds
from lgadata.ingest import ParsedUpload
from lgadata.models import DATA_TABLES, PeriodChange, PeriodState, Upload
from lgadata.store import what_if
from lgadata.workstreams import Sheet, get_workstream


@dataclass
class SheetDiff:
    """The changes one upload makes to one sheet, for the periods it covers."""

    sheet: str
    periods: list[str]
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        """Say whether nothing changes."""
        return not (self.added or self.removed or self.changed)


def _rows(conn, sheet: Sheet, where) -> list[dict]:
    table = DATA_TABLES[sheet.table]
    names = ["period_key", *(c.name for c in sheet.columns)]
    query = sa.select(*(table.c[n] for n in names)).where(where).order_by(table.c.row_no)
    return [dict(zip(names, row, strict=True)) for row in conn.execute(query)]


def compare(sheet: Sheet, old: list[dict], new: list[dict], periods: list[str]) -> SheetDiff:
    """Return the differences between two sets of a sheet's rows, matched on its key."""
    key_names = ("period_key", *(sheet.key or [c.name for c in sheet.columns]))
    others = [c.name for c in sheet.columns if c.name not in key_names]
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for row in old:
        by_key[tuple(row[k] for k in key_names)].append(row)
    result = SheetDiff(sheet.name, periods)
    for row in new:
        matches = by_key.get(tuple(row[k] for k in key_names))
        if not matches:
            result.added.append(row)
            continue
        before = matches.pop(0)
        differ = [n for n in others if before[n] != row[n]]
        if differ:
            result.changed.append({"before": before, "after": row, "columns": differ})
        else:
            result.unchanged += 1
    result.removed = [row for rows in by_key.values() for row in rows]
    return result


def upload_diff(*, engine: sa.Engine, parsed: ParsedUpload) -> list[SheetDiff]:
    """Return what storing this upload would change, sheet by sheet."""
    diffs = []
    with engine.connect() as conn:
        for sheet in parsed.sheets:
            declared = sheet.declaration
            table = DATA_TABLES[declared.table]
            current = sa.select(PeriodState.upload_id, PeriodState.period).where(
                PeriodState.workstream == parsed.workstream.key,
                PeriodState.sheet == declared.name,
                PeriodState.period.in_(sheet.periods),
                PeriodState.upload_id.is_not(None),
            )
            pairs = conn.execute(current).all()
            where = sa.or_(
                sa.false(),
                *(sa.and_(table.c.upload_id == u, table.c.period_key == p) for u, p in pairs),
            )
            old = _rows(conn, declared, where)
            new = [
                {"period_key": period, **record}
                for period, record in zip(sheet.period_keys, sheet.records(), strict=True)
            ]
            diffs.append(compare(declared, old, new, sheet.periods))
    return diffs


def upload_changes(*, engine: sa.Engine, upload_id: int) -> list[SheetDiff]:
    """Return what a stored upload changed against the data current before it."""
    with engine.connect() as conn:
        upload = conn.execute(sa.select(Upload).where(Upload.id == upload_id)).first()
        if upload is None:
            return []
        changes = conn.execute(
            sa.select(
                PeriodChange.sheet,
                PeriodChange.period,
                PeriodChange.old_upload_id,
                PeriodChange.new_upload_id,
            ).where(PeriodChange.upload_id == upload_id)
        ).all()
        workstream = get_workstream(upload.workstream)
        diffs = []
        for sheet in workstream.sheets:
            mine = [c for c in changes if c.sheet == sheet.name]
            if not mine:
                continue
            table = DATA_TABLES[sheet.table]

            def rows_of(pairs, table=table, sheet=sheet):
                where = sa.or_(
                    sa.false(),
                    *(
                        sa.and_(table.c.upload_id == u, table.c.period_key == p)
                        for u, p in pairs
                        if u is not None
                    ),
                )
                return _rows(conn, sheet, where)

            old = rows_of([(c.old_upload_id, c.period) for c in mine])
            new = rows_of([(c.new_upload_id, c.period) for c in mine])
            diffs.append(compare(sheet, old, new, sorted({c.period for c in mine})))
    return diffs


def headline_changes(*, engine: sa.Engine, parsed: ParsedUpload) -> list[dict]:
    """Return the Overview figures this upload would change: label, before, after."""
    return figure_changes(engine=engine, parsed=parsed)[0]


def figure_changes(*, engine: sa.Engine, parsed: ParsedUpload) -> tuple[list[dict], list]:
    """Return the Overview figures this upload would change and the thresholds it would
    cross (lgadata.thresholds.Crossing), both from one trial store."""
    key = parsed.workstream.key
    before, watched = _card_figures(engine), thresholds.read(engine=engine, workstream=key)
    with what_if(engine=engine, parsed=parsed) as preview:
        after = _card_figures(preview)
        now = thresholds.read(engine=preview, workstream=key)
    changed = [
        {"figure": label, "before": before.get(label), "after": value}
        for label, value in after.items()
        if before.get(label) != value
    ]
    return changed, thresholds.compare(workstream=key, before=watched, after=now)


def _card_figures(engine) -> dict[str, str]:
    # Late: the overview's sections import the paper, whose since part imports lgadata.since,
    # which imports this module.
    from lgadata.overview import cards

    figures = queries.metrics(engine=engine)
    milestones = queries.milestones(engine=engine)
    return {
        f"{card.title}: {figure.label}": figure.value
        for card in cards(figures, milestones)
        for figure in card.figures
    }


def same_file_uploads(*, engine: sa.Engine, workstream: str, sha256: str) -> list[dict]:
    """Return earlier uploads of exactly these bytes to this workstream."""
    query = (
        sa.select(Upload.id, Upload.version, Upload.uploaded_by, Upload.uploaded_at)
        .where(Upload.workstream == workstream, Upload.sha256 == sha256, Upload.kind == "upload")
        .order_by(Upload.id)
    )
    with engine.connect() as conn:
        return [row._asdict() for row in conn.execute(query)]
