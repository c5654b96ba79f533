"""Write functions: store an upload, roll one back. Each is one transaction, all or nothing.

Rows are only ever added. An upload becomes the current data for the periods it
contains; other periods keep theirs. A rollback is itself recorded as a new version.
"""

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat

import sqlalchemy as sa

from lgadata import audit
from lgadata.auth import Actor, Permission, require
from lgadata.db import ConnectionAsEngine
from lgadata.ingest import ParsedSheet, ParsedUpload
from lgadata.models import (
    COUNCIL_LINK_TABLES,
    DATA_TABLES,
    PeriodChange,
    PeriodState,
    Upload,
    UploadFile,
    WorkstreamState,
    utc_now,
)
from lgadata.summaries import summarise
from lgadata.workstreams import Kind

ROLLBACK = "rollback"
_INSERT_CACHE_KIB = 256 * 1024  # the most SQLite may cache while inserting rows


class StoreError(Exception):
    """A write that cannot be made, with a plain message."""


class VersionConflict(StoreError):
    """The workstream changed since the caller last looked; nothing was stored."""


class ReasonNeeded(StoreError):
    """The upload crosses a headline figure's threshold and no reason was given."""

    def __init__(self, file_name: str, crossings: list) -> None:
        self.crossings = crossings
        said = " ".join(c.words for c in crossings)
        super().__init__(
            f"{file_name} crosses a threshold, so it needs a one-line reason before it is "
            f"stored: {said} Nothing was stored."
        )


def store_upload(
    *,
    engine: sa.Engine,
    parsed: ParsedUpload,
    content: bytes,
    actor: Actor,
    note: str = "",
    after_version: int | None = None,
    corrections: list[dict] | None = None,
    reason: str | None = None,
) -> Upload:
    """Store a checked upload as the new version of its workstream, in one transaction.

    With after_version, store only if the workstream is still at that version. Corrections
    made to the file's cells before storing are kept in the upload's summary. Given a reason
    (the Upload page and the command line always give the officer's, blank or not), an
    upload that crosses a headline figure's threshold is stored only if it is not blank,
    and the reason and the crossings are kept with it; None checks no threshold (loading
    the samples into an empty database).
    """
    from lgadata import thresholds  # late: the thresholds read the sections' queries

    require(actor, Permission.UPLOAD, parsed.workstream.key)
    try:
        given = None if reason is None else thresholds.clean_reason(reason)
    except ValueError as problem:
        raise StoreError(f"{problem} Nothing was stored.") from None
    key = parsed.workstream.key
    with engine.begin() as conn:
        # Read in the same transaction as the store, so the crossings are those it makes,
        # and only once the store holds the workstream's lock: a read first would make the
        # transaction a reader on SQLite, refused ("database is locked") when another
        # upload holds the write lock, instead of queueing behind it.
        view = ConnectionAsEngine(conn)
        before = []

        def read_before() -> None:
            before.extend(thresholds.read(engine=view, workstream=key))

        upload = _store(
            conn,
            parsed,
            content,
            actor.email,
            note,
            after_version,
            corrections,
            locked=read_before if given is not None else None,
        )
        crossed = []
        if given is not None:
            after = thresholds.read(engine=view, workstream=key)
            crossed = thresholds.compare(workstream=key, before=before, after=after)
        if crossed and not given:
            raise ReasonNeeded(parsed.file_name, crossed)  # rolls the whole store back
        if given or crossed:
            summary = json.loads(upload.summary) | {"crossings": [c.words for c in crossed]}
            upload.summary, upload.reason = json.dumps(summary, default=str), given
            conn.execute(
                sa.update(Upload)
                .where(Upload.id == upload.id)
                .values(reason=given, summary=upload.summary)
            )
        audit.record(
            conn,
            actor=actor.email,
            action="upload",
            upload_id=upload.id,
            workstream=upload.workstream,
            version=upload.version,
            file=upload.file_name,
            rows=upload.row_count,
            via=actor.via,
            **({"reason": given, "crossings": len(crossed)} if given or crossed else {}),
        )
    _refresh_statistics(engine, parsed)
    return upload


@contextmanager
def what_if(*, engine: sa.Engine, parsed: ParsedUpload) -> Iterator[ConnectionAsEngine]:
    """Yield the database as it would be with this upload stored, then store nothing.

    The upload is written in a transaction that is always rolled back, so the figures a
    preview shows are computed by the same queries as the real ones.
    """
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            _store(conn, parsed, b"", "preview", "", None, None)
            yield ConnectionAsEngine(conn)
        finally:
            transaction.rollback()


def _store(conn, parsed, content, actor, note, after_version, corrections, locked=None) -> Upload:
    """Write the upload in the caller's transaction; `locked()`, if given, runs once the
    workstream's lock is held and before anything of the upload is written."""
    if not parsed.ok:
        raise StoreError(f"{parsed.file_name} has errors, so nothing was stored.")
    apply_scopes(parsed)
    workstream = parsed.workstream.key
    version = _next_version(conn, workstream)
    if locked is not None:
        locked()
    if after_version is not None and version != after_version + 1:
        raise VersionConflict(
            f"The {parsed.workstream.title} changed while you were looking "
            f"(now version {version - 1}); nothing was stored."
        )
    summary = _summary(parsed) | ({"corrections": corrections} if corrections else {})
    upload = Upload(
        workstream=workstream,
        version=version,
        file_name=parsed.file_name,
        sha256=parsed.sha256,
        size_bytes=parsed.size_bytes,
        uploaded_by=actor,
        row_count=parsed.row_count,
        summary=json.dumps(summary, default=str),
        note=note,
    )
    upload.id = _insert_returning_id(conn, Upload, upload)
    conn.execute(sa.insert(UploadFile), {"upload_id": upload.id, "content": content})
    for sheet in parsed.sheets:
        _insert_rows(conn, sheet, upload.id)
        carried = _carry_whole_sheet(conn, sheet, upload.id, workstream)
        _set_current(
            conn,
            upload.id,
            workstream,
            sheet.declaration.name,
            carried | dict.fromkeys(sheet.periods, upload.id),
        )
    summarise(conn, parsed=parsed, upload_id=upload.id)
    return upload


def apply_scopes(parsed: ParsedUpload) -> ParsedUpload:
    """Key each row of a sheet with a scope but no period by its scope column's value."""
    for sheet in parsed.sheets:
        scope = sheet.declaration.scope
        if scope and not sheet.declaration.period:
            sheet.period_keys = [_scope_key(v) for v in sheet.values[scope]]
    return parsed


def _scope_key(value: object) -> str:
    return "" if value is None else str(value)


def _carry_whole_sheet(conn, sheet: ParsedSheet, upload_id: int, workstream: str) -> dict:
    """Keep the rows a file leaves out of a sheet stored whole before it had a scope.

    Such a sheet's rows were all current under one blank period. The file replaces only
    its own scopes, so the others' rows are carried into this upload under their scope,
    and the blank period passes to this upload; rolling it back brings the old rows back.
    """
    declared = sheet.declaration
    if not declared.scope or declared.period:
        return {}
    whole = _current(conn, workstream, declared.name).get("")
    table = DATA_TABLES[declared.table]
    rows = sa.select(table.c.id).where(table.c.upload_id == whole, table.c.period_key == "")
    if whole is None or conn.execute(rows.limit(1)).first() is None:
        return {}
    scope = sa.cast(table.c[declared.scope], sa.Text)
    left_out = sa.and_(
        table.c.upload_id == whole,
        table.c.period_key == "",
        table.c[declared.scope].is_not(None),
        scope.not_in(sheet.periods) if sheet.periods else sa.true(),
    )
    names = [c.name for c in declared.columns]
    conn.execute(
        sa.insert(table).from_select(
            ["upload_id", "period_key", "row_no", *names],
            sa.select(
                sa.literal(upload_id), scope, table.c.row_no, *(table.c[n] for n in names)
            ).where(left_out),
        )
    )
    carried = conn.execute(sa.select(scope).where(left_out).distinct()).scalars()
    # The blank period is this upload's now, with no rows, so that a rollback restores it.
    return {"": upload_id} | dict.fromkeys(carried, upload_id)


@dataclass(frozen=True)
class Removal:
    """Current rows of one sheet that storing a file would remove, and their periods."""

    sheet: str
    rows: int
    periods: tuple[str, ...]


def removals(*, engine: sa.Engine, parsed: ParsedUpload) -> list[Removal]:
    """Return, sheet by sheet, the current rows that storing this file would remove.

    A file replaces each period (or scope) it contains; a current row of such a period
    whose key the file does not list would no longer count.
    """
    apply_scopes(parsed)
    found = []
    with engine.connect() as conn:
        for sheet in parsed.sheets:
            declared = sheet.declaration
            keys = list(declared.key or (c.name for c in declared.columns))
            listed = Counter(
                (period, *(record[k] for k in keys))
                for period, record in zip(sheet.period_keys, sheet.records(), strict=True)
            )
            gone = Counter()
            for row in _replaced_rows(conn, parsed.workstream.key, sheet, keys):
                if listed[row] > 0:
                    listed[row] -= 1
                else:
                    gone[row[0]] += 1
            if gone:
                found.append(Removal(declared.name, sum(gone.values()), tuple(sorted(gone))))
    return found


def whole_sheet_rows(*, engine: sa.Engine, parsed: ParsedUpload) -> dict[str, list[dict]]:
    """Return the rows of each sheet still stored whole, from before it had a scope, that
    this file replaces: those of the scopes it lists, each keyed by its scope."""
    apply_scopes(parsed)
    found = {}
    with engine.connect() as conn:
        for sheet in parsed.sheets:
            declared = sheet.declaration
            whole = _current(conn, parsed.workstream.key, declared.name).get("")
            if not declared.scope or declared.period or whole is None:
                continue
            table = DATA_TABLES[declared.table]
            scope = sa.cast(table.c[declared.scope], sa.Text)
            names = [c.name for c in declared.columns]
            query = (
                sa.select(scope, *(table.c[n] for n in names))
                .where(
                    table.c.upload_id == whole,
                    table.c.period_key == "",
                    scope.in_(sheet.periods),
                )
                .order_by(table.c.row_no)
            )
            rows = [
                dict(zip(["period_key", *names], row, strict=True)) for row in conn.execute(query)
            ]
            if rows:
                found[declared.name] = rows
    return found


def _replaced_rows(conn, workstream: str, sheet: ParsedSheet, keys: list[str]) -> list[tuple]:
    """Return (period, *key) of each current row in the periods the file replaces."""
    declared = sheet.declaration
    table = DATA_TABLES[declared.table]
    current = _current(conn, workstream, declared.name)
    period = table.c.period_key
    where = [
        sa.and_(table.c.upload_id == current[p], period == p)
        for p in sheet.periods
        if current.get(p) is not None
    ]
    if declared.scope and not declared.period and current.get("") is not None:
        period = sa.case((period == "", sa.cast(table.c[declared.scope], sa.Text)), else_=period)
        where.append(
            sa.and_(
                table.c.upload_id == current[""],
                table.c.period_key == "",
                sa.cast(table.c[declared.scope], sa.Text).in_(sheet.periods),
            )
        )
    if not where:
        return []
    query = sa.select(period, *(table.c[k] for k in keys)).where(sa.or_(*where))
    return [tuple(row) for row in conn.execute(query)]


def _summary(parsed: ParsedUpload) -> dict:
    """Return rows and periods per sheet, and for a sheet with a scope the scopes it replaced.

    A sheet's periods are its period column's; a sheet with none is one period, as before
    scopes, and the waves (or other scopes) its file replaced are listed under "replaces".
    """
    summary = {}
    for sheet in parsed.sheets:
        declared = sheet.declaration
        entry = {"rows": sheet.row_count, "periods": sheet.periods}
        if declared.scope and not declared.period:
            entry = {"rows": sheet.row_count, "periods": [""], "replaces": sheet.periods}
        summary[declared.name] = entry
    return summary


def _refresh_statistics(engine: sa.Engine, parsed: ParsedUpload) -> None:
    # PostgreSQL plans with table statistics; a bulk load leaves them stale until autovacuum
    # comes round (if it is on), and a filter on fresh rows can then run for minutes.
    if engine.dialect.name != "postgresql":
        return
    tables = {sheet.declaration.table for sheet in parsed.sheets}
    tables |= {f"{t}_council" for t in tables if t in COUNCIL_LINK_TABLES}
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in sorted(tables):
            conn.exec_driver_sql(f'ANALYZE "{table}"')


def rollback(*, engine: sa.Engine, upload_id: int, actor: Actor, note: str = "") -> Upload:
    """Undo an upload: its periods go back to what was current before it, where it still is."""
    with engine.begin() as conn:
        target = conn.execute(sa.select(Upload).where(Upload.id == upload_id)).first()
        if target is None:
            raise StoreError(f"There is no upload {upload_id}.")
        require(actor, Permission.ROLL_BACK, target.workstream)
        if target.kind == ROLLBACK:
            raise StoreError(f"Upload {upload_id} is itself a rollback; upload the file again.")
        done = conn.execute(
            sa.select(Upload.id).where(Upload.rolls_back == upload_id, Upload.kind == ROLLBACK)
        ).first()
        if done is not None:
            raise StoreError(f"Upload {upload_id} was already rolled back (version {done.id}).")
        version = _next_version(conn, target.workstream)
        changes = conn.execute(
            sa.select(PeriodChange.sheet, PeriodChange.period, PeriodChange.old_upload_id).where(
                PeriodChange.upload_id == upload_id, PeriodChange.new_upload_id == upload_id
            )
        ).all()
        event = Upload(
            workstream=target.workstream,
            version=version,
            kind=ROLLBACK,
            file_name=target.file_name,
            sha256=target.sha256,
            uploaded_by=actor.email,
            rolls_back=upload_id,
            note=note,
        )
        event.id = _insert_returning_id(conn, Upload, event)
        restored, kept = [], []
        for sheet in sorted({sheet for sheet, _, _ in changes}):
            current = _current(conn, target.workstream, sheet)
            undo = {}
            for name, period, old in changes:
                if name != sheet:
                    continue
                if current.get(period) == upload_id:
                    undo[period] = old
                    restored.append({"sheet": sheet, "period": period, "now": old})
                else:
                    kept.append({"sheet": sheet, "period": period, "now": current.get(period)})
            _set_current(conn, event.id, target.workstream, sheet, undo)
        summary = {"restored": restored, "superseded_since": kept}
        audit.record(
            conn,
            actor=actor.email,
            action="rollback",
            upload_id=event.id,
            rolls_back=upload_id,
            workstream=target.workstream,
            version=version,
            via=actor.via,
        )
        conn.execute(
            sa.update(Upload).where(Upload.id == event.id).values(summary=json.dumps(summary))
        )
    event.summary = json.dumps(summary)
    return event


def _next_version(conn: sa.Connection, workstream: str) -> int:
    # The first statement of every write: on PostgreSQL it locks the workstream's row, so
    # concurrent uploads to one workstream queue; on SQLite it takes the write lock.
    state = WorkstreamState.__table__
    version = conn.execute(
        sa.update(state)
        .where(state.c.workstream == workstream)
        .values(version=state.c.version + 1, updated_at=utc_now())
        .returning(state.c.version)
    ).scalar_one_or_none()
    if version is None:
        raise StoreError(f"Unknown workstream {workstream!r}; run `python -m lgadata init`.")
    return version


def _insert_returning_id(conn: sa.Connection, model, obj) -> int:
    values = obj.model_dump(exclude={"id"})
    return conn.execute(sa.insert(model).values(values).returning(model.id)).scalar_one()


def _current(conn: sa.Connection, workstream: str, sheet: str) -> dict[str, int | None]:
    """Return the current upload of every period of a sheet."""
    query = sa.select(PeriodState.period, PeriodState.upload_id).where(
        PeriodState.workstream == workstream, PeriodState.sheet == sheet
    )
    return dict(conn.execute(query).all())


def _set_current(conn, event_id, workstream, sheet, new: dict[str, int | None]) -> None:
    """Make new[period] the current upload of each period, recording each change."""
    if not new:
        return
    old = _current(conn, workstream, sheet)
    key = {"ws": workstream, "sh": sheet}
    inserts = [key | {"p": p, "u": u} for p, u in new.items() if p not in old]
    updates = [key | {"p": p, "u": u} for p, u in new.items() if p in old]
    state = PeriodState.__table__.c
    if inserts:
        conn.execute(
            sa.insert(PeriodState).values(
                workstream=sa.bindparam("ws"),
                sheet=sa.bindparam("sh"),
                period=sa.bindparam("p"),
                upload_id=sa.bindparam("u"),
            ),
            inserts,
        )
    if updates:
        conn.execute(
            sa.update(PeriodState)
            .where(
                state.workstream == sa.bindparam("ws"),
                state.sheet == sa.bindparam("sh"),
                state.period == sa.bindparam("p"),
            )
            .values(upload_id=sa.bindparam("u")),
            updates,
        )
    conn.execute(
        sa.insert(PeriodChange),
        [
            {
                "upload_id": event_id,
                "workstream": workstream,
                "sheet": sheet,
                "period": period,
                "old_upload_id": old.get(period),
                "new_upload_id": upload_id,
            }
            for period, upload_id in new.items()
        ],
    )


def _insert_rows(conn: sa.Connection, sheet: ParsedSheet, upload_id: int) -> None:
    declared = sheet.declaration
    names = [c.name for c in declared.columns]
    columns = [sheet.values[n] for n in names]
    if conn.dialect.name == "sqlite":
        # SQLAlchemy's SQLite Date type stores ISO text; the sqlite3 module's own date
        # adapter is deprecated, so convert here as SQLAlchemy would.
        columns = [
            _iso_dates(values) if column.kind is Kind.DATE else values
            for column, values in zip(declared.columns, columns, strict=True)
        ]
    rows = zip(repeat(upload_id), sheet.period_keys, sheet.row_numbers, *columns, strict=False)
    _bulk_insert(
        conn, DATA_TABLES[declared.table], ["upload_id", "period_key", "row_no", *names], rows
    )
    if declared.table in COUNCIL_LINK_TABLES:
        links = [
            (upload_id, period, row, column.name, code)
            for column in declared.columns
            if column.kind in (Kind.COUNCIL, Kind.COUNCILS)
            for row, period, codes in zip(
                sheet.row_numbers, sheet.period_keys, sheet.values[column.name], strict=True
            )
            if codes
            for code in codes.split(";")
        ]
        _bulk_insert(
            conn,
            COUNCIL_LINK_TABLES[declared.table],
            ["upload_id", "period_key", "row_no", "column_name", "gss_code"],
            links,
        )


def _iso_dates(days: list) -> list:
    """Return each date as ISO text, None for a blank, formatting each distinct date once."""
    # A return repeats a few hundred dates down 100,000 rows; formatting each once is a
    # dictionary lookup a row instead of an isoformat() call.
    text = {day: day.isoformat() for day in set(days) if day is not None}
    text[None] = None
    return list(map(text.__getitem__, days))


def _bulk_insert(conn: sa.Connection, table: sa.Table, names: list[str], rows) -> None:
    """Insert many rows through the driver: COPY on PostgreSQL, executemany on SQLite.

    The ORM and SQLAlchemy's per-row processing are kept off this path; on 100,000 rows
    they cost several times the whole read.
    """
    dbapi = conn.connection.dbapi_connection
    quoted = ", ".join(f'"{n}"' for n in names)
    if conn.dialect.name == "postgresql":
        with (
            dbapi.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" * len(names))
    cursor = dbapi.cursor()
    # SQLite's page cache (2 MiB by default) fills after a few thousand rows, and from then
    # on it writes pages out to the log mid-transaction and reads them back for the index:
    # half the time of 100,000 rows. A large cache for the insert keeps them in memory until
    # the commit; dirty pages stay cached when the old size comes back, so it returns at once.
    before = cursor.execute("PRAGMA cache_size").fetchone()[0]
    try:
        cursor.execute(f"PRAGMA cache_size={-_INSERT_CACHE_KIB}")
        cursor.executemany(
            f'INSERT INTO "{table.name}" ({quoted}) VALUES ({placeholders})',
            rows,
        )
    finally:
        cursor.execute(f"PRAGMA cache_size={int(before)}")
        cursor.close()
