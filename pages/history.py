"""History: every upload and rollback; what one changed, its file as uploaded, and undoing it."""

import mimetypes

import streamlit as st

from lgadata import queries
from lgadata.auth import NotAllowed, Permission
from lgadata.diff import upload_changes
from lgadata.store import StoreError, rollback
from lgadata.workstreams import WORKSTREAMS
from ui import common

PAGE_SIZE = 50
SHOWN_ROWS = 1_000  # of a diff's added, removed or changed rows; the counts cover them all
WORKSTREAM_KEY, UPLOAD_KEY, MORE_KEY = "history-workstream", "history-upload", "history-more"
DOWNLOAD_KEY, ROLLBACK_KEY = "history-download", "history-rollback"
CONFIRM_KEY, CANCEL_KEY = "history-confirm", "history-cancel"
SHOWN_KEY = "history-shown"  # how many entries the list shows
CONFIRMING_KEY = "history-confirming"  # the upload whose rollback awaits confirmation
DONE_KEY = "history-done"  # what the last rollback did, shown once after the rerun
# Widths fit the nine columns in the main area of a 1920-pixel screen with the sidebar open.
COLUMNS = {
    "title": st.column_config.TextColumn("Workstream", width=285),
    "version": st.column_config.NumberColumn("Version", width=65),
    "periods_text": st.column_config.TextColumn("Periods", width=205),
    "file_name": st.column_config.TextColumn("File", width=165),
    "uploaded_by": st.column_config.TextColumn("By", width=170),
    "when": st.column_config.TextColumn("When (UK time)", width=175),
    "rows": st.column_config.TextColumn("Rows", width=55),
    "status": st.column_config.TextColumn("Status", width=155),
    "corrections": st.column_config.TextColumn("Corrections", width=95),
}


@st.cache_data(show_spinner="Comparing with the version before…", max_entries=32)
def _changes(upload_id: int, version: int) -> list:
    del version  # part of the cache key only: a rebuilt database may reuse upload ids
    return upload_changes(engine=common.engine(), upload_id=upload_id)


def _row(entry: dict) -> dict:
    fixes = len(entry["corrections"])
    return {name: entry[name] for name in COLUMNS} | {
        "rows": "" if entry["kind"] == "rollback" else f"{entry['rows']:,}",
        "corrections": f"{fixes} cell{'s' * (fixes != 1)}" if fixes else "",
    }


def show_details(entry: dict) -> None:
    """Show one upload: who, when, what, its corrections and its file."""
    st.subheader(f"Version {entry['version']} of the {entry['title']}")
    rows = "" if entry["kind"] == "rollback" else f" · {entry['rows']:,} rows"
    st.markdown(f"**{entry['status'].capitalize()}**{rows} · {entry['when']} UK time")
    # Text from uploads and sign-ins, so never markdown: an e-mail address would become a link.
    note = f"\nNote: {entry['note']}" if entry["note"] else ""
    crossed = "".join(f"\nThreshold crossed: {words}" for words in entry.get("crossings", []))
    reason = f"\nReason: {entry['reason']}" if entry.get("reason") else ""
    st.text(
        f"File: {entry['file_name']}\nBy: {entry['uploaded_by']}\n"
        f"Periods: {entry['periods_text']}{note}{crossed}{reason}"
    )
    if entry["corrections"]:
        st.markdown("**Corrected before storing**")
        st.dataframe(
            [{k.capitalize(): str(v) for k, v in fix.items()} for fix in entry["corrections"]]
        )
    content = queries.upload_file(engine=common.engine(), upload_id=entry["id"])
    if content is not None:
        # The name came from an officer's computer: it is only a suggestion to the browser.
        name = queries.download_name(entry["file_name"], upload_id=entry["id"])
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        st.download_button(
            "Download the file as uploaded", content, file_name=name, mime=mime,
            key=DOWNLOAD_KEY, on_click="ignore", icon=":material/download:",
        )  # fmt: skip


def show_changes(entry: dict) -> None:
    """Show what an upload changed against the version before, sheet by sheet."""
    st.subheader("What it changed")
    for diff in _changes(entry["id"], common.data_version()):
        st.markdown(
            f"**{common.plain(diff.sheet)}**: {len(diff.added):,} "
            f"{'row' if len(diff.added) == 1 else 'rows'} added, "
            f"{len(diff.removed):,} removed, {len(diff.changed):,} changed, "
            f"{diff.unchanged:,} unchanged"
        )
        if diff.is_empty:
            continue
        where = {"workstream": entry["workstream"], "sheet": diff.sheet}
        tables = (
            queries.diff_rows(diff.added, **where),
            queries.diff_rows(diff.removed, **where),
            queries.changed_cells(diff.changed, **where),
        )
        for tab, rows in zip(st.tabs(["Added", "Removed", "Changed"]), tables, strict=True):
            if not rows:
                tab.caption("None.")
                continue
            tab.dataframe(rows[:SHOWN_ROWS], hide_index=True)
            if len(rows) > SHOWN_ROWS:
                tab.caption(f"The first {SHOWN_ROWS:,} of {len(rows):,}.")


def _consequences(preview: dict) -> str:
    def place(item: dict) -> str:
        # A period can be text from a file (a bulletin's title), so it is escaped.
        return item["sheet"] + (f" {common.plain(item['period_text'])}" if item["period"] else "")

    def restore(item: dict) -> str:
        if not item["version"]:
            return f"- {place(item)} will have no data: no earlier upload had it."
        # store.rollback restores the upload it replaced even if that one was rolled back.
        undone = " (which was itself rolled back, but not here)" if item["undone"] else ""
        return f"- {place(item)} goes back to version {item['version']}{undone}."

    lines = [restore(i) for i in preview["restored"]] + [
        f"- {place(i)} stays as it is: "
        + (f"version {i['version']} has replaced it since." if i["version"] else "it is empty.")
        for i in preview["kept"]
    ]
    return "\n".join(lines) or "Nothing else changes."


def show_rollback(entry: dict) -> None:
    """Offer to roll an upload back, saying exactly what would change before doing it."""
    st.subheader("Roll back")
    preview = common.query(queries.rollback_preview, upload_id=entry["id"])
    if preview["refused"]:
        st.info(preview["refused"], icon=":material/block:")
        return
    if st.session_state.get(CONFIRMING_KEY) != entry["id"]:
        confirm = {CONFIRMING_KEY: entry["id"]}
        st.button(
            f"Roll back version {entry['version']}…",
            key=ROLLBACK_KEY,
            on_click=lambda: st.session_state.update(confirm),
        )
        return
    st.warning(
        f"Rolling back version {entry['version']} of the {preview['title']} makes it version "
        f"{preview['new_version']}.\n\n{_consequences(preview)}",
        icon=":material/undo:",
    )
    confirm, cancel = st.columns([1, 8])
    cancel.button("Cancel", key=CANCEL_KEY, on_click=lambda: st.session_state.pop(CONFIRMING_KEY))
    if not confirm.button("Confirm rollback", type="primary", key=CONFIRM_KEY):
        return  # only this button writes: a rerun of the page never does
    try:
        event = rollback(
            engine=common.engine(), upload_id=entry["id"], actor=common.current_actor()
        )
    except (StoreError, NotAllowed) as error:
        st.error(common.unlinked(error))
        return
    del st.session_state[CONFIRMING_KEY]
    st.session_state[DONE_KEY] = (
        f"Rolled back version {entry['version']} of the {preview['title']}: "
        f"it is now at version {event.version}."
    )
    st.rerun()


actor = common.page_setup(
    "History",
    caption="Every upload and rollback, newest first. Choose one to see what it changed, "
    "download its file as uploaded, or roll it back.",
    permission=Permission.VIEW_HISTORY,
)
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY), icon=":material/check_circle:")
if common.data_version() == 0:
    st.info(
        "Nothing has been uploaded yet. Upload a workstream's spreadsheet on the Upload page; "
        "each upload and rollback will then be listed here, newest first.",
        icon=":material/history:",
    )
    st.stop()

workstream = st.selectbox(
    "Workstream",
    [None, *WORKSTREAMS],
    format_func=lambda key: WORKSTREAMS[key].title if key else "All workstreams",
    key=WORKSTREAM_KEY,
)
shown = st.session_state.setdefault(SHOWN_KEY, PAGE_SIZE)
entries = common.query(queries.history, workstream=workstream, limit=shown + 1)
st.dataframe([_row(e) for e in entries[:shown]], hide_index=True, column_config=COLUMNS)
if len(entries) > shown:
    more = {SHOWN_KEY: shown + PAGE_SIZE}
    st.button(
        f"Show {PAGE_SIZE} more", key=MORE_KEY, on_click=lambda: st.session_state.update(more)
    )

by_id = {e["id"]: e for e in entries[:shown]}
chosen = st.selectbox(
    "Choose an upload",
    list(by_id),
    index=None,
    format_func=lambda i: f"{by_id[i]['title']} version {by_id[i]['version']} · {by_id[i]['when']}",
    placeholder="Choose an upload to see what it changed, download its file or roll it back",
    key=UPLOAD_KEY,
)
if chosen in by_id:
    show_details(by_id[chosen])
    show_changes(by_id[chosen])
    if actor.can(Permission.ROLL_BACK, by_id[chosen]["workstream"]):
        show_rollback(by_id[chosen])
