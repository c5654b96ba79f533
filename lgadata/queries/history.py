"""The ledger of uploads and rollbacks: what each one brought, and whether it still counts.

An upload is current while `period_state` still names it for every period it brought,
partly replaced when it names it for some, replaced when for none; a rollback that names
it makes it rolled back, whatever came later.
"""

import datetime as dt
import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lgadata.councils import load_register
from lgadata.models import (
    PeriodChange,
    PeriodState,
    Upload,
    UploadFile,
    WorkstreamState,
    as_utc,
)
from lgadata.store import ROLLBACK
from lgadata.values import format_date, format_iso_date
from lgadata.workstreams import WORKSTREAMS, Kind, get_workstream

# What lgadata.queries re-exports (it reads this list from every module here).
__all__ = [
    "changed_cells",
    "diff_rows",
    "download_name",
    "history",
    "rollback_preview",
    "upload_file",
]

CURRENT, PARTLY_REPLACED, REPLACED, ROLLED_BACK = (
    "current",
    "partly replaced",
    "replaced",
    "rolled back",
)
UK_TIME = ZoneInfo("Europe/London")
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f"*:<>?|\\/]+')


def history(*, engine: sa.Engine, workstream: str | None = None, limit: int = 200) -> list[dict]:
    """Return uploads and rollbacks, newest first, each with its status and its periods."""
    brought = (
        sa.select(
            PeriodChange.upload_id,
            sa.func.count().label("periods"),
            sa.func.count(PeriodState.upload_id).label("still_current"),
        )
        .select_from(PeriodChange)
        .outerjoin(
            PeriodState,
            sa.and_(
                PeriodState.workstream == PeriodChange.workstream,
                PeriodState.sheet == PeriodChange.sheet,
                PeriodState.period == PeriodChange.period,
                PeriodState.upload_id == PeriodChange.upload_id,
            ),
        )
        .where(PeriodChange.new_upload_id == PeriodChange.upload_id)
        .group_by(PeriodChange.upload_id)
        .subquery("brought")
    )
    undone = (
        sa.select(Upload.rolls_back, sa.func.min(Upload.version).label("version"))
        .where(Upload.kind == ROLLBACK)
        .group_by(Upload.rolls_back)
        .subquery("undone")
    )
    query = (
        sa.select(
            Upload.__table__,
            brought.c.periods,
            brought.c.still_current,
            undone.c.version.label("rolled_back_in"),
        )
        .outerjoin(brought, brought.c.upload_id == Upload.id)
        .outerjoin(undone, undone.c.rolls_back == Upload.id)
        .order_by(Upload.id.desc())
        .limit(limit)
    )
    if workstream:
        query = query.where(Upload.workstream == workstream)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        versions = _versions(conn, _named_uploads(rows))
    return [_entry(row, versions) for row in rows]


def _named_uploads(rows) -> set[int]:
    named = set()
    for row in rows:
        named |= {row.rolls_back} if row.rolls_back else set()
        for change in json.loads(row.summary or "{}").get("restored", []):
            named |= {change["now"]} if change["now"] else set()
    return named


def _versions(conn: sa.Connection, ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    query = sa.select(Upload.id, Upload.version).where(Upload.id.in_(sorted(ids)))
    return dict(conn.execute(query).all())


def _entry(row, versions: dict[int, int]) -> dict:
    summary = json.loads(row.summary or "{}")
    if row.kind == ROLLBACK:
        by_sheet = _by_sheet(
            (c["sheet"], c["period"], _restored(c, versions)) for c in summary.get("restored", [])
        )
        status = f"rollback of version {versions.get(row.rolls_back, '?')}"
    else:
        by_sheet = _by_sheet(
            (sheet, period, describe_period(period))
            for sheet, counts in summary.items()
            if sheet not in ("corrections", "crossings")  # kept beside the sheets' counts
            for period in counts.get("periods", [])
        )
        status = _status(row)
    return {
        "id": row.id,
        "workstream": row.workstream,
        "title": get_workstream(row.workstream).title,
        "version": row.version,
        "kind": row.kind,
        "file_name": row.file_name,
        "sha256": row.sha256,
        "size_bytes": row.size_bytes,
        "uploaded_by": row.uploaded_by,
        "uploaded_at": row.uploaded_at.isoformat(timespec="seconds"),
        "when": format_when(row.uploaded_at),
        "rows": row.row_count,
        "summary": summary,
        "periods": sorted({period for periods in by_sheet.values() for period, _ in periods}),
        "periods_text": _describe(
            by_sheet, none="nothing restored" if row.kind == ROLLBACK else "none"
        ),
        "status": status,
        "corrections": summary.get("corrections", []),
        "rolls_back": row.rolls_back,
        "rolled_back_in": row.rolled_back_in,
        "note": row.note,
        "reason": row.reason,
        "crossings": summary.get("crossings", []),
    }


def _by_sheet(items) -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for sheet, period, text in items:
        grouped.setdefault(sheet, []).append((period, text))
    return {sheet: sorted(periods) for sheet, periods in grouped.items()}


def _describe(by_sheet: dict[str, list[tuple[str, str]]], *, none: str) -> str:
    """Return periods as one line; sheets are named only when there are several."""
    if not by_sheet:
        return none
    parts = [(sheet, ", ".join(text for _, text in periods)) for sheet, periods in by_sheet.items()]
    if len(parts) == 1:
        return parts[0][1]
    return "; ".join(f"{sheet}: {text}" for sheet, text in parts)


def _status(row) -> str:
    if row.rolled_back_in is not None:
        return ROLLED_BACK
    if not row.periods or row.still_current == row.periods:
        return CURRENT
    return PARTLY_REPLACED if row.still_current else REPLACED


def _restored(change: dict, versions: dict[int, int]) -> str:
    period = describe_period(change["period"])
    if change["now"] is None:
        return f"{period} emptied"
    return f"{period} back to version {versions.get(change['now'], '?')}"


def describe_period(period: str) -> str:
    """Return a period as the board reads it: a date as '31 January 2013', else as stored."""
    if not period:
        return "whole sheet"
    try:
        return format_date(dt.date.fromisoformat(period))
    except ValueError:
        return period


def format_when(moment: dt.datetime) -> str:
    """Return a moment in UK time, as '20 March 2013 14:05' (naive moments are UTC)."""
    local = as_utc(moment).astimezone(UK_TIME)
    return f"{format_date(local.date())} {local:%H:%M}"


def upload_file(*, engine: sa.Engine, upload_id: int) -> bytes | None:
    """Return the bytes of an uploaded file exactly as they were sent, or None."""
    query = sa.select(UploadFile.content).where(UploadFile.upload_id == upload_id)
    with engine.connect() as conn:
        content = conn.execute(query).scalar_one_or_none()
    return bytes(content) if content is not None else None


def download_name(file_name: str, *, upload_id: int) -> str:
    """Return a file name that is safe to offer for download: no folders, no odd characters."""
    # The name came from an officer's computer: keep only its last part, and only
    # characters that every operating system accepts.
    base = PureWindowsPath(PurePosixPath(file_name or "").name).name
    cleaned = _UNSAFE_IN_FILE_NAMES.sub("_", base).strip(" .")[:120]
    return cleaned or f"upload-{upload_id}"


def rollback_preview(*, engine: sa.Engine, upload_id: int) -> dict:
    """Return what rolling an upload back would do, as store.rollback would, writing nothing."""
    with engine.connect() as conn:
        target = conn.execute(sa.select(Upload).where(Upload.id == upload_id)).first()
        refused = _refusal(conn, target, upload_id)
        if refused:
            return {"refused": refused, "restored": [], "kept": []}
        changes = conn.execute(
            sa.select(PeriodChange.sheet, PeriodChange.period, PeriodChange.old_upload_id)
            .where(PeriodChange.upload_id == upload_id, PeriodChange.new_upload_id == upload_id)
            .order_by(PeriodChange.sheet, PeriodChange.period)
        ).all()
        current = {
            (sheet, period): now
            for sheet, period, now in conn.execute(
                sa.select(PeriodState.sheet, PeriodState.period, PeriodState.upload_id).where(
                    PeriodState.workstream == target.workstream
                )
            )
        }
        state = sa.select(WorkstreamState.version).where(
            WorkstreamState.workstream == target.workstream
        )
        next_version = conn.execute(state).scalar_one() + 1
        named = {c.old_upload_id for c in changes} | set(current.values())
        versions = _versions(conn, {u for u in named if u is not None})
        undone = set(
            conn.execute(
                sa.select(Upload.rolls_back).where(
                    Upload.kind == ROLLBACK, Upload.rolls_back.in_(sorted(named - {None}))
                )
            ).scalars()
        )
    restored, kept = [], []
    for sheet, period, old in changes:
        now = current.get((sheet, period))
        if now == upload_id:
            restored.append(_period(sheet, period, old, versions) | {"undone": old in undone})
        else:
            kept.append(_period(sheet, period, now, versions))
    return {
        "refused": None,
        "workstream": target.workstream,
        "title": WORKSTREAMS[target.workstream].title,
        "version": target.version,
        "new_version": next_version,
        "restored": restored,
        "kept": kept,
    }


def _refusal(conn: sa.Connection, target, upload_id: int) -> str | None:
    if target is None:
        return f"There is no upload {upload_id}."
    if target.kind == ROLLBACK:
        return f"Version {target.version} is itself a rollback; upload the file again instead."
    done = conn.execute(
        sa.select(Upload.version).where(Upload.rolls_back == upload_id, Upload.kind == ROLLBACK)
    ).first()
    if done is not None:
        return f"Version {target.version} was already rolled back (by version {done.version})."
    return None


def _period(sheet: str, period: str, upload_id: int | None, versions: dict[int, int]) -> dict:
    return {
        "sheet": sheet,
        "period": period,
        "period_text": describe_period(period),
        "upload_id": upload_id,
        "version": versions.get(upload_id) if upload_id is not None else None,
    }


def diff_rows(rows: list[dict], *, workstream: str, sheet: str) -> list[dict]:
    """Return a diff's added or removed rows for reading: the period once, values as the
    board pages show them (councils by name, money in pounds, nothing for a blank)."""
    declared = get_workstream(workstream).sheet(sheet)
    kinds = {c.name: c.kind for c in declared.columns}
    return [
        # A sheet with a period column says its period already.
        ({} if declared.period else {"period": describe_period(row["period_key"])})
        | {k: readable(v, kinds.get(k)) for k, v in row.items() if k != "period_key"}
        for row in rows
    ]


def changed_cells(changed: list[dict], *, workstream: str, sheet: str) -> list[dict]:
    """Return a diff's changed rows as one line per changed cell: key, column, before, after."""
    declared = get_workstream(workstream).sheet(sheet)
    kinds = {c.name: c.kind for c in declared.columns}
    return [
        {
            "period": describe_period(change["after"]["period_key"]),
            **{name: readable(change["after"][name], kinds.get(name)) for name in declared.key},
            "column": column,
            "before": readable(change["before"][column], kinds.get(column)),
            "after": readable(change["after"][column], kinds.get(column)),
        }
        for change in changed
        for column in change["columns"]
    ]


def _council(code: str) -> str:
    council = load_register().by_code(code)
    return council.official_name if council else code


def readable(value: object, kind: Kind | None) -> str:
    """Return a stored value as the board pages show it; a blank as nothing, not "None"."""
    if value is None or value == "":
        return ""
    if kind is Kind.MONEY:
        amount = float(value)
        return f"£{amount:,.0f}" if amount.is_integer() else f"£{amount:,.2f}"
    if kind is Kind.COUNCIL:
        return _council(str(value))
    if kind is Kind.COUNCILS:
        return "; ".join(_council(code) for code in str(value).split(";") if code)
    if kind is Kind.DATE:
        return format_date(value) if hasattr(value, "isoformat") else format_iso_date(str(value))
    if kind is Kind.YES_NO:
        return "Yes" if value else "No"
    return str(value)
