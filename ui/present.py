"""Meeting mode's furniture: large type, one screen at a time, controls and auto-advance.

Nothing here writes data: the controls only move between screens and change the view.
"""

import datetime as dt

import altair as alt
import streamlit as st

from lgadata import presentation, queries
from lgadata.presentation import Screen
from lgadata.sections.parts import still
from lgadata.settings import get_settings
from ui import common, present_meeting
from ui.present_style import COLOURS, LARGE_TYPE, MEETING_KEYS

INDEX, SHOWN_AT = "present-index", "present-shown-at"
AUTO, SECONDS, DARK = "present-auto", "present-seconds", "present-dark"
LARGE_LABELS = {"labelFontSize": 20, "titleFontSize": 16}
TITLE_SIZE, ALONE_TITLE_SIZE = 24, 28  # a chart's title; that of a chart alone on its screen
TICK_SECONDS = 1.0  # how often the open screen checks whether its time is up


def _theme_css(theme: str) -> str:
    """Return CSS giving the app meeting mode's theme when Streamlit's own is the other one."""
    c = COLOURS[theme]
    # Deltas lose their green and red here; the arrow and the sign still say which way.
    return f"""<style>
.stApp, [data-testid="stMain"] {{ background-color: {c["background"]}; color: {c["text"]}; }}
.stApp h1, .stApp h2, .stApp h3, .stApp p, .stApp label, .stApp [data-testid="stText"] *,
.stApp [data-testid="stText"],
.stApp [data-testid="stMetricValue"], .stApp [data-testid="stMetricLabel"] {{
  color: {c["text"]}; }}
.stApp [data-testid="stMetricDelta"], .stApp [data-testid="stMetricDelta"] p,
.stApp button, .stApp [data-testid="stNumberInputContainer"],
.stApp [data-testid="stNumberInputContainer"] * {{
  background-color: {c["panel"]}; color: {c["text"]}; border-color: {c["text"]}; }}
.stApp [data-testid="stProgressBarTrack"] {{ background-color: {c["panel"]}; }}
</style>"""


def start(*, every: str | None, theme: str | None) -> None:
    """Set up this session's meeting: first screen, timings from the link or the settings."""
    now = dt.datetime.now(dt.UTC)
    if INDEX not in st.session_state:
        st.session_state[INDEX] = 0
        st.session_state[SHOWN_AT] = now
    if SECONDS not in st.session_state:
        setting = presentation.seconds_per_screen(None, default=get_settings().present_seconds)
        seconds = presentation.seconds_per_screen(every, default=setting)
        st.session_state[AUTO] = seconds > 0
        # Paused from the link, the box offers the setting (kept in range), else 30 seconds.
        st.session_state[SECONDS] = int(seconds or setting or 30)
    # The page redraws at least once a screen while it advances, so a clock older than that
    # means the presenter left and came back: the screen gets its full time again.
    if presentation.due(st.session_state[SHOWN_AT], now, st.session_state[SECONDS] + 5):
        st.session_state[SHOWN_AT] = now
    if DARK not in st.session_state:
        st.session_state[DARK] = presentation.theme(theme) == "dark"


def current_theme() -> str:
    """Return the theme the presenter chose."""
    return "dark" if st.session_state.get(DARK) else "light"


def style() -> None:
    """Apply large type, and meeting mode's theme where Streamlit shows the other one."""
    st.html(LARGE_TYPE)
    st.html(MEETING_KEYS, unsafe_allow_javascript=True)
    if st.context.theme.type != current_theme():
        st.html(_theme_css(current_theme()))


def sources() -> list[dict]:
    """Return the uploads that supply current figures, each with who uploaded it."""
    return common.query(queries.current_uploads)


def go(by: int, count: int) -> None:
    """Move `by` screens on (or back), and restart the screen's clock."""
    st.session_state[INDEX] = presentation.step(st.session_state[INDEX], count, by)
    st.session_state[SHOWN_AT] = dt.datetime.now(dt.UTC)


def chart_for(screen: Screen, figures: dict, milestones: list[dict]) -> alt.Chart | None:
    """Return the one chart a screen shows, in the meeting's theme, or None.

    Kept for the data version, the day and the theme: a map takes a good part of a second
    to build, and every screen is shown again each time round.
    """
    if screen.card.empty_workstream or screen.plan is None or screen.plan.chart is None:
        return None
    today = dt.date.today()  # what a screen says of milestones changes with the day
    return _chart(
        common.data_version(), screen.slug, current_theme(), today, screen, figures, milestones
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _chart(version, slug, theme, today, _screen, _figures, _milestones) -> alt.Chart | None:
    del version, slug, today  # the key only, with the theme
    chart = _screen.plan.chart(_figures, _milestones, query=common.query)
    return None if chart is None else _readable(chart, theme, alone=_screen.plan.chart_alone)


def _readable(chart: alt.Chart, theme: str, *, alone: bool = False) -> alt.Chart:
    """Give a chart larger type and the meeting theme's colours (Vega-Lite ignores our CSS).

    A chart alone on its screen (the map) keeps its own label sizes, chosen for its size.
    """
    text, grid = COLOURS[theme]["text"], COLOURS[theme]["grid"]
    labels = {} if alone else LARGE_LABELS
    # A map's legend dots grow with its words: the legend is the only key to its colours.
    dots = {"symbolSize": 360} if alone else {}
    wanted = {
        "axis": {"labelColor": text, "titleColor": text, "gridColor": grid} | labels,
        "legend": {"labelColor": text, "titleColor": text} | labels | dots,
        "title": {
            "color": text,
            "subtitleColor": text,
            "fontSize": ALONE_TITLE_SIZE if alone else TITLE_SIZE,
        },
        "text": {"color": text, "fontSize": 20},
    }
    chart = chart.copy(deep=True)
    if chart.config is alt.Undefined:
        chart.config = alt.Config()
    for part, values in wanted.items():
        if getattr(chart.config, part) is alt.Undefined:
            setattr(chart.config, part, {})
        for key, value in values.items():
            getattr(chart.config, part)[key] = value
    chart.config["background"] = "transparent"
    return chart


def render(
    screen: Screen,
    chart: alt.Chart | None,
    *,
    index: int,
    count: int,
    meeting: present_meeting.MeetingView | None = None,
    record=None,
) -> None:
    """Show one screen: title, large figures, sentences, a chart, its as-at line, progress.

    For a registered meeting a section's own screen shows its figures then and now, and
    after its sentences what changed since the meeting before; its commentary has a screen
    of its own. `record`, if given, shows an officer's Record button beside the source line.
    """
    since = meeting is not None and screen.leads
    with st.container(key="present-screen"):
        st.header(screen.card.title, anchor=False)
        if screen.due:
            present_meeting.closing(screen)
        elif screen.notes:
            present_meeting.notes(screen)
        elif screen.card.empty_workstream:
            common.empty_state(screen.card.empty_workstream)
        elif chart is not None and screen.plan is not None and screen.plan.chart_alone:
            _chart_alone(screen, chart)
        else:
            if since:
                present_meeting.figures(screen, meeting)
            else:
                with st.container(key="present-figures"):
                    figures = screen.card.figures
                    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
                        column.metric(figure.label, figure.value, figure.change)
            # With a meeting the words run longer, and take half the width.
            shares = [1, 1] if since else [2, 3]
            words, picture = st.columns(shares, gap="large") if chart else (st.container(), None)
            with words:
                # The section's own sentences, with a meeting as without: then what changed.
                # As text: they name what uploads hold (a council, a bulletin's top link).
                with st.container(key="present-sentences"):
                    for sentence in screen.sentences:
                        st.text(sentence)
                if since:
                    with st.container(key="present-since"):
                        present_meeting.changes(screen, meeting)
            if picture is not None:
                with picture, st.container(key="present-chart"):
                    st.altair_chart(chart, width="stretch")
    with st.container(key="present-source", horizontal=True, vertical_alignment="center"):
        st.text(screen.source)  # text, never markdown: the uploader is an e-mail address
        if record:
            record()
    st.progress((index + 1) / count, text=presentation.progress(index, count))


def _chart_alone(screen: Screen, chart: alt.Chart) -> None:
    """Show a screen that is its chart (the map): the figures stacked in a column beside it."""
    figures, picture = st.columns([1, 4], gap="large")
    with figures, st.container(key="present-figures"):
        for figure in screen.card.figures:
            st.metric(figure.label, figure.value, figure.change, **still(figure.change))
    with picture, st.container(key="present-chart-alone"):
        st.altair_chart(chart)
        if screen.plan.caption:
            with st.container(key="present-caption"):
                st.text(screen.plan.caption)


def hold() -> bool:
    """Stop the screens moving on their own; return whether they were."""
    running = st.session_state.get(AUTO, False)
    st.session_state[AUTO] = False
    return running


def carry_on(running: bool) -> None:
    """Let the screens move on their own again if they did; the screen gets its full time."""
    st.session_state[AUTO] = running
    st.session_state[SHOWN_AT] = dt.datetime.now(dt.UTC)


def _flip(key: str) -> None:
    """Switch a meeting setting on or off; a resumed screen gets its full time again."""
    st.session_state[key] = not st.session_state[key]
    st.session_state[SHOWN_AT] = dt.datetime.now(dt.UTC)


def controls(count: int) -> None:
    """Show previous and next, pause or resume, the seconds, the theme and the way out."""
    # Buttons rather than toggles: they keep their contrast when the theme is overridden.
    # One row that wraps rather than cutting a label short on a narrow screen.
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    # The arrow keys through Streamlit's shortcuts; MEETING_KEYS adds a clicker's keys.
    row.button(
        "Previous",
        icon=":material/arrow_back:",
        on_click=go,
        args=(-1, count),
        key="present-back",
        shortcut="Left",
    )
    row.button(
        "Next",
        icon=":material/arrow_forward:",
        on_click=go,
        args=(1, count),
        key="present-next",
        shortcut="Right",
    )
    running = st.session_state[AUTO]
    row.button(
        "Pause" if running else "Resume",
        icon=":material/pause:" if running else ":material/play_arrow:",
        on_click=_flip,
        args=(AUTO,),
    )
    row.number_input(
        "Seconds per screen",
        min_value=int(presentation.SHORTEST_SECONDS),
        max_value=int(presentation.LONGEST_SECONDS),
        step=5,
        key=SECONDS,
        width=190,
    )
    row.button(
        "Light theme" if st.session_state[DARK] else "Dark theme",
        icon=":material/contrast:",
        on_click=_flip,
        args=(DARK,),
    )
    # The page's script asks the browser for full screen; the server has nothing to do.
    row.button("Full screen", icon=":material/fullscreen:", key="present-fullscreen")
    if row.button("Leave meeting mode", icon=":material/close:"):
        # A page link would keep ?present=1 in the address bar, and a reload would come back.
        st.query_params.clear()
        st.switch_page("pages/overview.py")


def _tick(count: int) -> None:
    """Move on once the screen has been up its time (runs every TICK_SECONDS)."""
    now = dt.datetime.now(dt.UTC)
    if presentation.due(st.session_state[SHOWN_AT], now, st.session_state[SECONDS]):
        go(1, count)
        st.rerun(scope="app")


def advance(count: int) -> None:
    """Keep moving through the screens on a timer while auto-advance is on."""
    if st.session_state[AUTO] and count > 1:
        # Ticking often, rather than once per screen, keeps each screen's time exact after a
        # presenter presses Next part-way through.
        st.fragment(_tick, run_every=TICK_SECONDS)(count)
