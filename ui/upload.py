"""The Upload page's parts: a file checked once per upload, its preview, corrections and commit.

Reading, checking and comparing a file is the slow part, so it is done once per file (and
per workstream and period chosen) and kept in session state under PREVIEW.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from functools import partial

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from lgadata import corrections, diff, queries, store, thresholds
from lgadata.auth import Actor, NotAllowed, Permission
from lgadata.bootstrap import SAMPLES_DIR
from lgadata.ingest import ParsedUpload
from lgadata.problems import Problem
from lgadata.queries.history import CURRENT, PARTLY_REPLACED, REPLACED, format_when
from lgadata.reader import RawWorkbook
from lgadata.recognise import CheckedFile, check_read, check_upload, refusal
from lgadata.settings import get_settings
from lgadata.templates import build_template
from lgadata.values import format_count
from lgadata.workstreams import WORKSTREAMS
from ui import common
from ui import upload_tables as tables

AUTO = ""  # the workstream choice that means "recognise it for me"
WORKSTREAM, PERIOD, NOTE = "upload-workstream", "upload-period", "upload-note"
REASON = "upload-reason"
ROUND, PREVIEW, FLASH = "upload-round", "upload-preview", "upload-flash"  # not widgets
FILE, EDITOR = "upload-file", "upload-editor"  # key prefixes: a new widget when they change
RECHECK, COMMIT = "upload-recheck", "upload-commit"
ELSEWHERE = "upload-check-as"
TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

log = logging.getLogger(__name__)


@dataclass
class Preview:
    """One uploaded file as checked, with the officer's corrections and what it would change."""

    key: tuple
    checked: CheckedFile
    parsed: ParsedUpload | None
    book: RawWorkbook | None
    period: str | None
    edits: dict = field(default_factory=dict)
    corrections: list[dict] = field(default_factory=list)
    rounds: int = 0
    version: int | None = None
    diffs: list | None = None
    headlines: list[dict] = field(default_factory=list)
    crossings: list[thresholds.Crossing] = field(default_factory=list)
    removals: list[store.Removal] = field(default_factory=list)
    earlier: list[dict] = field(default_factory=list)
    tables: dict = field(default_factory=dict)  # the styled rows of each sheet, made once


def workstream_name(key: str) -> str:
    """Return the select box's text for a workstream choice."""
    return WORKSTREAMS[key].title if key else "Recognise it for me"


def uploader():
    """Show the file uploader and return the file in it; forget the last file once removed."""
    megabytes = get_settings().max_upload_mb
    file = st.file_uploader(
        "Spreadsheet (Excel, OpenDocument or CSV)",
        type=TYPES,
        max_upload_size=megabytes,
        help=f"Up to {megabytes} MB ({megabytes * 1_000_000:,} bytes).",
        key=f"{FILE}-{st.session_state.get(ROUND, 0)}",  # a new key empties it after a store
    )
    if file is None:
        st.session_state.pop(PREVIEW, None)
    return file


def templates() -> None:
    """Offer each workstream's blank template and a filled example to download."""
    with st.expander("Templates and filled examples", icon=":material/download:"):
        for ws in WORKSTREAMS.values():
            row = st.container(horizontal=True, vertical_alignment="center")
            row.text(ws.title, width=420)
            row.download_button(
                "Blank template",
                partial(build_template, ws),
                file_name=f"{ws.published_key}_template.xlsx",
                mime=XLSX,
                key=f"{FILE}-template-{ws.key}",
                icon=":material/description:",
            )
            row.download_button(
                "Filled example",
                (SAMPLES_DIR / ws.sample_file).read_bytes,
                file_name=f"{ws.published_key}_example.xlsx",
                mime=XLSX,
                key=f"{FILE}-example-{ws.key}",
                icon=":material/table_view:",
            )


def flash() -> None:
    """Show the outcome of the last store, once."""
    outcome = st.session_state.pop(FLASH, None)
    if outcome is None:
        return
    kind, message, workstream = outcome
    if kind != "success":
        st.error(common.plain(message), icon=":material/error:")
        return
    st.success(common.plain(message), icon=":material/check_circle:")
    ws = WORKSTREAMS[workstream]
    st.page_link(
        f"pages/{ws.pages[0]}", label=f"See the {ws.title}", icon=":material/arrow_forward:"
    )


def asked_reason(preview: Preview) -> str:
    """Say which thresholds the file crosses and ask for the reason; return what was typed."""
    if not preview.crossings:
        return ""
    st.warning(
        "Storing this file moves a headline figure past its threshold, so the board will "
        "want to know why:\n\n"
        + "\n\n".join(f"- {common.plain(c.words)}" for c in preview.crossings),
        icon=":material/priority_high:",
    )
    return st.text_input(
        "Reason the figures moved (required, one line)",
        key=REASON,
        max_chars=thresholds.REASON_LIMIT,
        help="Shown as plain text in the section's commentary for the next meeting and on "
        "its chart over time.",
    )


def _compare(preview: Preview) -> None:
    """Work out what storing the file would change, against the data as it is now."""
    parsed, engine = store.apply_scopes(preview.parsed), common.engine()
    key = parsed.workstream.key
    latest = queries.history(engine=engine, workstream=key, limit=1)
    preview.version = latest[0]["version"] if latest else 0
    preview.earlier = diff.same_file_uploads(engine=engine, workstream=key, sha256=parsed.sha256)
    if preview.earlier:
        entries = {e["id"]: e for e in queries.history(engine=engine, workstream=key)}
        for earlier in preview.earlier:
            earlier["now"] = _standing(entries.get(earlier["id"]))
    preview.diffs, preview.headlines, preview.removals, preview.crossings = [], [], [], []
    if parsed.ok:
        preview.diffs = diff.upload_diff(engine=engine, parsed=parsed)
        _with_whole_sheets(preview, store.whole_sheet_rows(engine=engine, parsed=parsed))
        preview.headlines, preview.crossings = diff.figure_changes(engine=engine, parsed=parsed)
        preview.removals = store.removals(engine=engine, parsed=parsed)


def _with_whole_sheets(preview: Preview, stored_whole: dict[str, list[dict]]) -> None:
    """Compare a sheet stored whole before it had a scope with those of its rows the file
    replaces, which the period-by-period comparison cannot see."""
    for index, change in enumerate(preview.diffs):
        old = stored_whole.get(change.sheet)
        if not old:
            continue
        sheet = next(s for s in preview.parsed.sheets if s.declaration.name == change.sheet)
        new = [
            {"period_key": period, **record}
            for period, record in zip(sheet.period_keys, sheet.records(), strict=True)
        ]
        preview.diffs[index] = diff.compare(sheet.declaration, old, new, change.periods)


def _standing(entry: dict | None) -> str:
    """Say whether an earlier upload still gives the current figures, or was rolled back."""
    if entry is None:
        return ""
    if entry["rolled_back_in"] is not None:
        return f"It was rolled back (version {entry['rolled_back_in']}), so it is not current."
    return {
        CURRENT: "It is the current data.",
        PARTLY_REPLACED: "It is still current for some periods; later uploads replaced others.",
        REPLACED: "Later uploads have replaced it, so it is not current.",
    }.get(entry["status"], "")


def preview(data: bytes, file_name: str, *, choice: str, period: str | None) -> Preview:
    """Return the file checked, from session state when this file was checked already."""
    sha256 = hashlib.sha256(data).hexdigest()
    key = (sha256, file_name, choice, period)
    kept: Preview | None = st.session_state.get(PREVIEW)
    if kept is None or kept.key != key:
        with st.spinner("Reading and checking the file…"):
            if kept is not None and kept.key[:2] == key[:2] and kept.checked.book is not None:
                checked = check_read(  # the same file for another workstream: no second read
                    kept.checked.book,
                    sha256=sha256,
                    size_bytes=len(data),
                    workstream=choice or None,
                    period=period,
                )
            else:
                checked = check_upload(data, file_name, workstream=choice or None, period=period)
        kept = Preview(key, checked, checked.parsed, checked.book, period)
        st.session_state[PREVIEW] = kept
    if kept.parsed is not None and kept.diffs is None:
        with st.spinner("Comparing it with the data as it stands…"):
            _compare(kept)
    return kept


def outcome(preview: Preview) -> bool:
    """Say whether the file was read and its workstream known; if not, say why."""
    checked = preview.checked
    if checked.rejected is not None:
        st.error(common.plain(checked.rejected.message), icon=":material/block:")
        return False
    recognition = checked.recognition
    if recognition is not None and recognition.workstream is None:
        st.warning(common.plain(recognition.reason), icon=":material/help:")
        return False
    removals(preview)  # first, so that it shows without scrolling
    if recognition is not None:
        st.success(common.plain(recognition.reason), icon=":material/task_alt:")
    if checked.elsewhere is not None:
        _another_workstream(checked)
        return False
    for earlier in preview.earlier:
        st.warning(
            f"This exact file was uploaded before: version {earlier['version']} "
            f"(upload {earlier['id']}), by {common.unlinked(earlier['uploaded_by'])}, "
            f"{format_when(earlier['uploaded_at'])}. {earlier.get('now', '')}",
            icon=":material/content_copy:",
        )
    return True


def _another_workstream(checked: CheckedFile) -> None:
    """Say which workstream the file looks like, and why, and offer to check it as that."""
    chosen, found = checked.parsed.workstream, checked.elsewhere.candidates[0]
    st.error(common.plain(refusal(checked).message), icon=":material/swap_horiz:")
    st.button(
        f"Check it as the {found.workstream.title}",
        key=ELSEWHERE,
        type="primary",
        icon=":material/fact_check:",
        on_click=st.session_state.__setitem__,
        args=(WORKSTREAM, found.workstream.key),
    )
    st.caption(f"Checked as the {chosen.title}, it has these problems:")
    problems(checked.parsed.errors, "errors")


def summary(parsed: ParsedUpload) -> None:
    """Show the rows found, the errors and warnings, and the councils matched."""
    common.figures(
        [
            ("Rows", format_count(parsed.row_count), None),
            ("Errors", format_count(len(parsed.errors)), None),
            ("Warnings", format_count(len(parsed.warnings)), None),
            ("Council names matched", format_count(len(parsed.resolutions)), None),
        ]
    )
    for sheet in parsed.sheets:
        st.caption(common.plain(tables.sheet_line(sheet)))
    if parsed.errors:
        st.error(
            f"The file cannot be stored while it has errors ({format_count(len(parsed.errors))})."
            " Correct them in the file and upload it again, or correct the cells here.",
            icon=":material/error:",
        )
        problems(parsed.errors, "errors")


def problems(found: list[Problem], label: str) -> None:
    """List problems with their cells, the first few hundred, and say how many there are."""
    if not found:
        st.text(f"No {label}.")
        return
    if len(found) > tables.SHOWN:
        st.caption(f"The first {tables.SHOWN} of {format_count(len(found))} {label}.")
    table = [{"Cell": p.cell, "Problem": p.message} for p in found[: tables.SHOWN]]
    st.dataframe(table, hide_index=True, width="stretch")


def rows(preview: Preview) -> None:
    """Show each sheet's rows as read, with the cells that have problems coloured."""
    for sheet in preview.parsed.sheets:
        st.subheader(common.plain(sheet.source_name))
        if sheet.source_name not in preview.tables:
            preview.tables[sheet.source_name] = tables.rows_frame(
                sheet, preview.book, preview.parsed.problems, preview.edits
            )
        styled, total = preview.tables[sheet.source_name]
        if total > tables.PREVIEW_ROWS:
            st.caption(
                f"The first {tables.PREVIEW_ROWS:,} of {total:,} rows; every row is checked."
            )
        st.dataframe(styled, hide_index=True, width="stretch")
    if preview.parsed.problems or preview.edits:
        st.caption("Cells with errors are shaded red; with warnings, amber; corrected here, green.")


def councils(parsed: ParsedUpload) -> None:
    """Show each council name in the file and the council of the register it was matched to."""
    if not parsed.resolutions:
        st.text("The file names no councils, or none could be matched.")
        return
    table = [
        {"In the file": name, "Council in the register": tables.council(code), "GSS code": code}
        for name, code in sorted(parsed.resolutions.items(), key=lambda item: item[0].casefold())
    ]
    st.dataframe(table, hide_index=True, width="stretch")


def changes(preview: Preview) -> None:
    """Show what storing the file would change: rows, and the Overview's headline figures."""
    if not preview.parsed.ok:
        st.text("Once the file has no errors, this shows what storing it would change.")
        return
    if preview.headlines:
        st.subheader("Headline figures")
        table = [
            {
                "Figure": h["figure"],
                "Now": h["before"] or "none",
                "After storing this file": h["after"],
            }
            for h in preview.headlines
        ]
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.text("No headline figure changes.")
    for sheet_diff in preview.diffs:
        declared = preview.parsed.workstream.sheet(sheet_diff.sheet)
        st.subheader(common.plain(sheet_diff.sheet))
        st.text(tables.diff_line(sheet_diff, declared))
        if not sheet_diff.is_empty:
            st.dataframe(tables.diff_frame(sheet_diff, declared), hide_index=True, width="stretch")


def removals(preview: Preview) -> None:
    """Say which current rows storing the file would remove, before anything else is read."""
    if not preview.removals:
        return
    total = sum(r.rows for r in preview.removals)
    workstream = preview.parsed.workstream
    parts = [tables.removal(workstream.sheet(r.sheet), r.rows, r.periods) for r in preview.removals]
    st.warning(
        f"Storing this file would remove {tables.count(total, 'current row')}: "
        f"{common.plain('; '.join(parts))}. The file replaces each of these as a whole, and "
        'these rows are not in it. Check the file is complete: "What it changes" lists '
        "them, and the button to store it says it removes them.",
        icon=":material/delete_sweep:",
    )


def fixes(preview: Preview) -> None:
    """Let an officer correct the cells of rows with errors, then check the file again."""
    editable = corrections.editable_sheets(preview.book, preview.parsed)
    if not editable:
        return
    st.subheader("Correct cells here")
    st.caption(
        "Type over the cells that are wrong, then check them again. The file is kept as "
        "uploaded; your corrections are kept with it in the history."
    )
    edits = {}
    for index, sheet in enumerate(editable):
        whole = " (the whole sheet is shown)" if len(sheet.rows) > sheet.rows_with_errors else ""
        errors = tables.count(sheet.rows_with_errors, "row")
        line = f"Sheet {sheet.sheet}: {errors} with errors{whole}."
        st.caption(common.plain(line))
        frame, config = tables.editor_frame(sheet)
        edited = st.data_editor(
            frame,
            key=f"{EDITOR}-{preview.rounds}-{index}",
            hide_index=True,
            disabled=["Row"],
            column_config=config,
            width="stretch",
            placeholder="",
        )
        edits |= corrections.edits_from(sheet, edited[list(sheet.letters)].values.tolist())
    if st.button("Check my corrections", key=RECHECK, icon=":material/fact_check:"):
        merged = preview.edits | edits
        original = preview.checked.book
        with st.spinner("Checking the file again…"):
            preview.parsed, preview.corrections = corrections.recheck(
                original, preview.parsed, merged, period=preview.period
            )
        preview.book = corrections.apply_corrections(original, merged)
        preview.edits, preview.rounds, preview.diffs = merged, preview.rounds + 1, None
        preview.tables = {}
        st.rerun()


def commit(preview: Preview, data: bytes, actor: Actor) -> None:
    """Store the file as the workstream's next version, or say plainly why not."""
    parsed = preview.parsed
    allowed = actor.can(Permission.UPLOAD, parsed.workstream.key)
    if not allowed:
        st.warning(
            f"Your account may not upload to the {parsed.workstream.title}: ask an "
            "administrator to add it to your workstreams.",
            icon=":material/lock:",
        )
    if preview.corrections:
        cells = tables.count(len(preview.corrections), "cell")
        st.caption(f"{cells} corrected here will be stored with it, shaded green above.")
        table = [
            {"Cell": c["cell"], "As uploaded": c["was"] or "", "Corrected to": c["now"] or ""}
            for c in preview.corrections
        ]
        st.dataframe(table, hide_index=True, width="stretch")
    note = st.text_input("Note for the history (optional)", key=NOTE, max_chars=500)
    reason = asked_reason(preview) if parsed.ok else ""
    if not parsed.ok:
        st.caption("Correct the errors first: in the file, or in the cells above.")
    ready = parsed.ok and allowed
    label = f"Store as version {preview.version + 1} of the {parsed.workstream.title}"
    if removed := sum(r.rows for r in preview.removals):
        # The button names what it removes, so that pressing it is the confirmation.
        label += f" and remove {tables.count(removed, 'current row')}"
        st.warning(
            f"Storing this file removes {tables.count(removed, 'current row')} (listed under "
            '"What it changes"). Press the button only if they should go.',
            icon=":material/delete_sweep:",
        )
    if not st.button(label, type="primary", disabled=not ready, key=COMMIT):
        return
    if preview.crossings and not reason.strip():
        # Checked again by the store itself, which refuses the file without a reason.
        st.error(
            "Give the reason the figures moved before storing the file: it is asked for above.",
            icon=":material/edit_note:",
        )
        return
    try:
        upload = store.store_upload(
            engine=common.engine(),
            parsed=parsed,
            content=data,
            actor=actor,
            note=note.strip(),
            after_version=preview.version,
            corrections=preview.corrections or None,
            reason=reason,
        )
    except (store.StoreError, NotAllowed) as refused:  # VersionConflict too: nothing stored
        preview.diffs = None  # compare again with the data as it now stands
        st.session_state[FLASH] = ("error", str(refused), None)
    except SQLAlchemyError:
        log.exception("storing %s failed", parsed.file_name)
        message = f"The database could not store {parsed.file_name}, so nothing was stored."
        st.session_state[FLASH] = ("error", message + " Try again in a minute.", None)
    else:
        message = f"Stored as version {upload.version} (upload id {upload.id})."
        st.session_state[FLASH] = ("success", message, parsed.workstream.key)
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
        st.session_state.pop(PREVIEW, None)
    st.rerun()
