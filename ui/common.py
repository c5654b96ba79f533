"""What every page needs: one engine per process, cached queries keyed on the data version,
and the furniture of a board page (big figures, charts with a table view, empty states)."""

import logging
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from lgadata import exports, meetings, presentation, queries, security
from lgadata.auth import Actor, Permission
from lgadata.bootstrap import ensure_database
from lgadata.charts import annotations
from lgadata.db import get_engine
from lgadata.sections.parts import still
from lgadata.settings import get_settings
from lgadata.values import format_iso_date
from lgadata.workstreams import get_workstream
from ui import live
from ui.auth import gate, signed_in
from ui.text import plain, unlinked

__all__ = ["plain", "unlinked"]  # pages call common.plain and common.unlinked

log = logging.getLogger(__name__)

RUN_VERSION = "data-version-of-this-run"  # noted by page_setup, read by every query

# Constant CSS for every page, never data. Streamlit cuts a figure wider than its column off
# with an ellipsis ("£70…"): here a row of figures wraps instead (a column is never narrower
# than its figure; labels and deltas wrap), WCAG 2.2 1.4.10 and 1.4.4. Its focus ring is a
# faint tint: here every focused control gets a two-tone ring, dark inside and yellow outside,
# that shows on light and dark themes alike (2.4.7), and scrolling keeps it clear of the
# header (2.4.11). Small print (common.small_print) is text set as a caption is.
PAGE_STYLE = """<style>
[data-testid="stMetric"] [data-testid="stMarkdownContainer"],
[data-testid="stMetric"] [data-testid="stMarkdownContainer"] p {
  overflow: visible; text-overflow: clip; white-space: normal; }
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { white-space: nowrap; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] > div { height: auto; }
[data-testid="stColumn"]:has([data-testid="stMetric"]):not(:has([data-testid="stColumn"])) {
  min-width: min-content; }
:focus-visible, [data-testid="stSidebarNavLink"]:focus-visible, button:focus-visible,
a:focus-visible, [role="tab"]:focus-visible, input:focus-visible, textarea:focus-visible {
  outline: 3px solid #0b0c0c !important; outline-offset: 0 !important;
  box-shadow: 0 0 0 6px #ffdd00 !important; }
[data-testid="stFileUploader"]:has(input[type="file"]:focus)
  [data-testid="stFileUploaderDropzone"] {
  outline: 3px solid #0b0c0c !important; box-shadow: 0 0 0 6px #ffdd00 !important; }
[data-testid="stFileUploader"] button { min-width: 24px; min-height: 24px; }
a[href="#stMain"]:focus { position: fixed !important; top: 4.5rem !important; z-index: 1000001; }
[data-testid="stMain"], [data-testid="stAppViewContainer"], html {
  scroll-padding-top: 5rem; scroll-padding-bottom: 2rem; }
[data-testid="stVegaLiteChart"] svg.marks { max-width: 100%; height: auto; }
[class*="st-key-small-print-"] [data-testid="stText"] {
  font-size: 0.875rem; color: color-mix(in srgb, currentColor 60%, transparent); }
[class*="st-key-small-print-"] [data-testid="stText"] * { color: inherit; }
</style>"""

# Constant script, never data. On a phone the menu lies over the page, and Streamlit leaves
# it open after a page is chosen from it: close it then, as a phone's menu closes.
PAGE_SCRIPT = """<script>
(() => {
  if (window.lgadataPhoneMenu) return;
  window.lgadataPhoneMenu = true;
  const phone = window.matchMedia("(max-width: 767.98px)");
  document.addEventListener("click", (event) => {
    if (!phone.matches || !event.target.closest('[data-testid="stSidebarNav"] a')) return;
    setTimeout(() => {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 0);
  });
})();
</script>"""


def production_settings_problem() -> str | None:
    """Return what to fix in Streamlit's settings before serving in production, or None."""
    return security.production_problem(
        environment=get_settings().environment,
        cookie_secret=(
            st.get_option("server.cookieSecret")
            if st.config.is_manually_set("server.cookieSecret")
            else None
        ),
        xsrf_protection=st.get_option("server.enableXsrfProtection"),
        error_details=st.get_option("client.showErrorDetails"),
    )


@st.cache_resource(show_spinner=False)
def _production_problem() -> str | None:
    problem = production_settings_problem()
    if problem:
        log.error(problem)
    return problem


def engine():
    """Return the process's engine; refuse to go on if production settings are unsafe."""
    # The router and every page call this first, so nothing is shown before the check.
    problem = _production_problem()
    if problem:
        st.error(problem, icon=":material/gpp_bad:")
        st.stop()
    return _ready_engine()


@st.cache_resource(show_spinner="Preparing the database…")
def _ready_engine():
    """Return the process's engine, with the database made ready on first use."""
    eng = get_engine()
    ensure_database(engine=eng, seed_samples=get_settings().seed_samples)
    return eng


def read_data_version() -> int:
    """Read the database's data version now: it changes with every upload or rollback."""
    return queries.data_version(engine=engine())


def data_version() -> int:
    """Return the data version this page run is drawn from (read now if none is noted)."""
    # page_setup, which every page calls first, reads it once and notes it: every query of
    # the run is then keyed on it without reading it again (the Shared Services page read it
    # ten times a run), and a run never mixes two versions' figures. Every upload and
    # rollback ends its run with st.rerun(), so the next run reads the new one.
    noted = st.session_state.get(RUN_VERSION)
    return read_data_version() if noted is None else noted


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(name: str, version: int, kwargs: tuple, _function) -> object:
    del version  # part of the cache key only: a new upload makes a new entry
    # The function is keyed by its name (Streamlit does not hash arguments starting with _).
    return _function(engine=engine(), **dict(kwargs))


def query(function, **kwargs) -> object:
    """Run a query (a function of lgadata.queries, or its name), cached until the data next
    changes."""
    return query_at(data_version(), function, **kwargs)


def query_at(version: int, function, **kwargs) -> object:
    """Run a query as `query` does, for a data version read already (outside a page run)."""
    if isinstance(function, str):
        function = getattr(queries, function)
    name = f"{function.__module__}.{function.__qualname__}"
    return _cached(name, version, tuple(sorted(kwargs.items())), function)


def page_setup(
    title: str, *, caption: str | None = None, permission: Permission = Permission.VIEW
) -> Actor:
    """Start a page: the gate every page file must pass before it renders anything."""
    # A page can run without dashboard.py (its URL requested first on a fresh server), so
    # each page checks sign-in and its permission itself, whatever the router did.
    st.set_page_config(page_title=f"{title} · Productivity Programme", layout="wide")
    st.html(PAGE_STYLE)
    st.html(PAGE_SCRIPT, unsafe_allow_javascript=True)
    actor = gate(engine(), permission)
    st.title(title)
    if caption:
        st.caption(caption)
    st.session_state[RUN_VERSION] = live.watch(version=read_data_version)
    return actor


def current_actor() -> Actor | None:
    """Return who is signed in to this session, for write functions to check."""
    return signed_in(engine())


def as_at(period: str | None, upload_id: int | None = None) -> str:
    """Return the 'as at' line under a figure, its period and its source upload, as text."""
    try:
        when = format_iso_date(period)
    except ValueError:
        when = period
    return f"As at {when}" + _from_upload(upload_id)


def _from_upload(upload_id: int | None) -> str:
    """Return ' · from the upload of 3 March 2013 by jane.smith@lga.gov.uk', as plain text."""
    if not upload_id:
        return ""
    found = [u for u in query(queries.current_uploads) if u["upload_id"] == upload_id]
    return f" · from {presentation.upload_words(found[0])}" if found else ""


def small_print(text: str, *, key: str) -> None:
    """Show a line in small print, as plain text: never markdown, so never a link.

    st.caption is markdown, and Streamlit's front end turns an e-mail address in it into a
    mailto link whatever is escaped: who uploaded is an address. The key styles it.
    """
    with st.container(key=f"small-print-{key}"):
        st.text(text)


def source(where: str, upload_id: int | None = None, *, key: str) -> None:
    """Show where a figure comes from: its period and its source upload, in small print."""
    small_print(where + _from_upload(upload_id), key=key)


def figures(items: list[tuple[str, str, str | None]], *, help: str | None = None) -> None:
    """Show big headline figures side by side: (label, value, change or None)."""
    for column, (label, value, change) in zip(st.columns(len(items)), items, strict=True):
        column.metric(label, value, change, border=True, help=help, **still(change))


# A table's text is 14 px Source Sans, about 6 px a character on average (the walk of issue
# 17 saw 30 characters in 200 px): 7 leaves room for wide letters, and 24 for the cell's
# padding. Not wider: on a phone the columns after the first must still start on screen.
CHARACTER_PX, CELL_PADDING_PX = 7, 24


def text_width(texts, *, least: int = 0) -> int:
    """Return a table column's width in pixels that shows the longest of these texts whole
    (a `width` of "medium" is 200 px and cut titles and moments off at 1920 wide, the walk of
    issue 17)."""
    longest = max((len(str(text)) for text in texts), default=0)
    return max(least, longest * CHARACTER_PX + CELL_PADDING_PX)


def table_with_download(
    table: pd.DataFrame | list[dict],
    *,
    key: str,
    download: Callable[[], pd.DataFrame | list[dict]] | None = None,
    **options,
) -> None:
    """Show a table with the dashboard's formula-safe CSV download beneath it.

    Streamlit's own export is off (client.disableDataExport): it writes a cell that starts
    with "=" as a live formula, and uploaded text can start with anything. `download`, if
    given, returns the table to download instead (every page of a paged table): Streamlit
    calls it when the button is pressed, on a thread of its own, so it must not use
    Streamlit.
    """
    st.dataframe(table, hide_index=True, width="stretch", **options)
    st.download_button(
        "Download as CSV",
        data=exports.safe_csv(table) if download is None else lambda: exports.safe_csv(download()),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def chart(
    chart: alt.Chart, table: pd.DataFrame, *, key: str, markers: pd.DataFrame | None = None
) -> None:
    """Show a chart with a 'Show as table' switch, so the numbers can be read out; the
    uploads and meetings marked on it are listed under its table."""
    if st.toggle("Show as table", key=f"table-{key}"):
        table_with_download(table, key=key)
        if markers is not None and len(markers):
            st.caption("Uploads and board meetings marked on the chart")
            table_with_download(markers, key=f"{key}-markers")
    else:
        # Vega-Lite text marks do not follow Streamlit's theme, so give them its text colour.
        dark = st.context.theme.type == "dark"
        st.altair_chart(
            chart.configure_text(color="#fafafa" if dark else "#0b0c0c"), width="stretch"
        )


def marked_chart(
    build, find, rows: list[dict], table: pd.DataFrame, *, workstream: str, key: str
) -> None:
    """Show a time chart built from rows with the workstream's uploads and the registered
    meetings marked (`find` picks those in range), and listed under its table view."""
    # Meetings are read now, not cached on the data version: one added shows at once.
    found = find(
        rows,
        uploads=query("history", workstream=workstream),
        meetings=meetings.meetings(engine=engine()),
    )
    chart(build(rows, markers=found), table, key=key, markers=annotations.markers_table(found))


def empty_state(workstream: str) -> None:
    """Say that a workstream has no data yet, and which template to upload."""
    ws = get_workstream(workstream)
    st.info(
        f"No {ws.title} data has been uploaded yet. Download the {ws.title} template "
        f"(python -m lgadata template {ws.key} -o {ws.key}.xlsx), fill it in and upload it.",
        icon=":material/upload_file:",
    )
