"""The Shared Services page's map: its controls, the chart, a click, and its table view."""

import html
import logging
import time
from collections.abc import Callable
from functools import partial

import streamlit as st

from lgadata.charts import council_map as charts
from lgadata.councils import load_boundaries
from lgadata.values import format_count, format_iso_date, format_money
from ui import common, text

log = logging.getLogger("lgadata.map")

MEASURE, COUNTIES, REGION, NETWORK, MAP, CLICKED, LEGEND, CHOSEN, TITLE = (
    f"shared-services-map-{name}"
    for name in (
        *("measure", "counties", "region", "network", "chart"),
        *("clicked", "legend", "chosen", "title"),
    )
)
CHANGE = "change"
LEGEND_STYLE = """<style>
.st-key-shared-services-map-title h3 { font-size: 1.25rem; line-height: 1.4; padding: 0; }
.map-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 2.5rem; font-size: 1rem; }
.map-legend p { margin: 0.25rem 0; font-weight: 600; }
.map-legend ul { list-style: none; margin: 0; padding: 0; }
.map-legend li { display: flex; align-items: center; gap: 0.5rem; margin: 0.2rem 0; }
.map-legend .swatch { flex: none; box-sizing: border-box; width: 2rem; height: 1.125rem;
  border-radius: 2px; }
</style>"""
COLUMNS = [2, 1]  # the map, and its controls beside it
ROW = "shared-services-map-row"
ROW_STYLE = f"""<style>
.st-key-{ROW} > div > [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
.st-key-{ROW} > div > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{
  flex-grow: 1; }}
.st-key-{ROW} > div > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:last-child {{
  min-width: 14rem; }}
</style>"""
NETWORK_NONE, NETWORK_ALL = "None", "Every category"
MEASURE_NAMES = {**charts.MEASURES, CHANGE: "Began sharing since the last edition"}


def columns() -> tuple:
    """Return the map's column and that of its controls beside it: under it where the
    controls would be narrower than ROW_STYLE's least width (a phone; 200% zoom, where
    their words were cut to "Sharing ser")."""
    st.html(ROW_STYLE)
    with st.container(key=ROW):
        return tuple(st.columns(COLUMNS, gap="medium"))


def chosen_council(select_key: str) -> str | None:
    """Return the GSS code of the council chosen on the map or in the page's select box."""
    return st.session_state.get(select_key)


def map_key(select_key: str) -> str:
    """Return the map's widget key: a new one whenever the chosen council was not clicked.

    Vega keeps a click's selection in the chart's own state, so after a click on Stroud and
    Leeds chosen in the select box, Stroud stayed the map's selection (and could not be
    clicked again, the selection being unchanged; the walk of issue 18). A map keyed by the
    council chosen below is a new widget, its selection empty.
    """
    chosen = chosen_council(select_key)
    if chosen and st.session_state.get(CLICKED) == chosen:
        return MAP
    return f"{MAP}-{chosen or 'none'}"


def on_click(*, select_key: str, key: str = MAP) -> None:
    """Make a council clicked on the map the chosen one, its arrangements under the map.

    Not by opening the page's tab of a council's arrangements: Streamlit scrolls a tab
    chosen so into view, and the page jumped away from the map (the walk of issue 18).
    """
    clicked = st.session_state[key]["selection"].get(charts.SELECTION) or []
    codes = [point.get("code") for point in clicked if point.get("code")]
    if codes:
        st.session_state[select_key] = st.session_state[CLICKED] = codes[0]


@st.cache_resource(show_spinner=False, max_entries=64)
def _chart(version: int, options: tuple) -> tuple[charts.MapChart, list]:
    """Return the map for these options and its legends (charts.legend_groups); kept, as
    Altair takes a good part of a second."""
    kw = dict(options)
    query = partial(common.query_at, version)  # the map's data are of the version it is kept for
    figures = query("shared_services_council_figures", as_at=kw["as_at"])
    level = charts.COUNTIES if kw["counties"] else charts.DISTRICTS
    chosen, measure = kw["chosen"], kw["measure"]
    partners = (
        query("shared_services_partners", as_at=kw["as_at"], council=chosen) if chosen else []
    )
    if measure == CHANGE:
        previous = query("shared_services_council_figures", as_at=kw["previous"])
        frame = charts.change_frame(figures, previous, level=level)
    else:
        frame = charts.council_frame(figures, measure=measure, level=level)
    frame["Highlight"] = [
        charts.CHOSEN if code == chosen else charts.PARTNER if code in partners else ""
        for code in frame["code"]
    ]
    links = []
    if kw["network"] or kw["region"]:
        # A metropolitan county's lines are its region's, cut at the map's edge.
        region = charts.ZOOMS.get(kw["region"], kw["region"])
        links = query(
            "shared_services_links", as_at=kw["as_at"], category=kw["network"], region=region
        )
    outlines = charts.outline_frame(figures, chosen=chosen, partners=partners)
    chart = charts.council_map(
        load_boundaries(),
        frame,
        title=kw["title"],
        measure=None if measure == CHANGE else measure,
        level=level,
        region=kw["region"],
        links=links,
        text_colour=kw["text_colour"],
        attribution=False,  # a caption under the map, whole at every size
        words_outside=True,  # its title and legends are page text, readable at every width
        outlines=outlines,
        boundaries_url=charts.BOUNDARIES_URL,  # fetched once by the browser, not sent each run
    )
    drawn = chart.attached[charts.LINES]  # the lines the map draws, once looked up
    groups = charts.legend_groups(
        frame,
        None if measure == CHANGE else measure,
        lines=bool(drawn),
        outlined=not outlines.empty,
    )
    return chart, groups


def _options(*, as_at, previous, label, measure, counties, region, network, chosen, dark) -> tuple:
    """Return what a map is drawn from, as the key it is kept under."""
    title = f"{MEASURE_NAMES[measure]}, {label}" + (f": {region}" if region else "")
    options = {
        "as_at": as_at,
        "previous": previous,
        "measure": measure,
        "counties": counties,
        "region": region,
        "network": network,
        "chosen": chosen,
        "title": title,
        "text_colour": "#fafafa" if dark else "#0b0c0c",
    }
    return tuple(sorted(options.items()))


def warm_up() -> None:
    """Build the map the page opens on, for the latest edition, before anyone asks for it.

    The server calls this at start-up: the first visitor's map is then drawn from the cache
    rather than waiting on its queries and Altair (seconds at 10,000 arrangements).
    """
    started = time.perf_counter()
    version = common.read_data_version()
    editions = common.query_at(version, "shared_services_editions")
    if not editions:
        return
    as_at = editions[-1]["as_at"]
    for name in ("shared_services_regions", "shared_services_categories"):
        common.query_at(version, name, as_at=as_at)
    # The page's defaults: its first measure, districts, all England, no lines, no council.
    options = _options(
        as_at=as_at,
        previous=editions[-2]["as_at"] if len(editions) > 1 else None,
        label=format_iso_date(as_at),
        measure=next(iter(MEASURE_NAMES)),
        counties=False,
        region=None,
        network=None,
        chosen=None,
        dark=False,
    )
    _chart(version, options)[0].to_dict()  # the spec too, which the chart keeps
    log.info("The map of %s was ready in %.1f s", as_at, time.perf_counter() - started)


def section(
    *,
    as_at: str,
    previous: str | None,
    label: str,
    select_key: str,
    arrangements: Callable[[str], None],
    drawing=None,
    controls=None,
) -> None:
    """Show the map of an edition in `drawing` (a column), its controls and a region's
    figures in `controls` beside it (st.columns(COLUMNS); under it on a phone), and the
    arrangements (`arrangements(code)`) of a council clicked on it under both."""
    if drawing is None or controls is None:
        drawing, controls = columns()
    measures = [m for m in MEASURE_NAMES if m != CHANGE or previous]
    regions = [r["region"] for r in common.query("shared_services_regions", as_at=as_at)]
    zooms = regions + list(charts.METROPOLITAN)  # the metropolitan counties, readable zoomed
    categories = [c["category"] for c in common.query("shared_services_categories", as_at=as_at)]
    with controls:
        measure = st.selectbox(
            "Colour councils by", measures, format_func=MEASURE_NAMES.get, key=MEASURE
        )
        region = st.selectbox(
            "Zoom to a region or metropolitan county",
            zooms,
            index=None,
            placeholder="All England",
            key=REGION,
        )
        # Short words in the box: "No category (a region's own, if zoomed)" was cut at
        # 1280 pixels wide (the walk of issue 18). Zoomed, no category draws them all.
        network = st.selectbox(
            "Lines between partners in",
            categories,
            index=None,
            placeholder=NETWORK_ALL if region else NETWORK_NONE,
            key=NETWORK,
            help="A category's arrangements drawn as lines between their councils; zoomed "
            "to a region with no category chosen, every arrangement of its councils.",
        )
        counties = st.toggle(
            "Counties and unitaries",
            key=COUNTIES,
            help="The upper tier: the county councils, and the unitary, metropolitan and London "
            "councils no county covers, in place of the districts.",
        )
        as_table = st.toggle("Show as table", key=f"table-{MAP}")
    options = _options(
        as_at=as_at,
        previous=previous,
        label=label,
        measure=measure,
        counties=counties,
        region=region,
        network=network,
        chosen=chosen_council(select_key),
        dark=st.context.theme.type == "dark",
    )
    chart, groups = _chart(common.data_version(), options)
    figures = common.query("shared_services_council_figures", as_at=as_at)
    if region:
        with controls:
            _region_figures(region, as_at=as_at, figures=figures, counties=counties)
    with drawing:
        if as_table:
            level = charts.COUNTIES if counties else charts.DISTRICTS
            if measure == CHANGE:  # as the map colours them: began, still, stopped sharing
                before = common.query("shared_services_council_figures", as_at=previous)
                frame = charts.change_frame(figures, before, level=level)
            else:
                frame = charts.council_frame(figures, measure=measure, level=level)
            if region:  # the councils of the map as zoomed
                frame = frame[(frame["Region"] == region) | (frame["Area"] == region)]
            common.table_with_download(charts.map_table(frame), key="council-map")
        else:
            # The title and legends as page text: inside the map, scaled to a phone's width
            # with it, they were 6 px, and a zoom's title was cut (the walk of issue 18).
            with st.container(key=TITLE):
                st.subheader(text.plain(dict(options)["title"]), anchor=False)
            key = map_key(select_key)
            st.altair_chart(
                chart,
                key=key,
                on_select=lambda: on_click(select_key=select_key, key=key),
                selection_mode=charts.SELECTION,
            )
            if charts.has_inset(region):
                st.caption(charts.INSET_NOTE)
            legend(groups)
            st.caption(
                "Click a council to see its arrangements and the councils it shares with, "
                "or choose it under “A council's arrangements”."
            )
        st.caption(charts.ATTRIBUTION)
    # Clicked or chosen in the select box alike, its arrangements under the map (the
    # walk of issue 18: chosen below, they were in the tab only).
    if chosen := chosen_council(select_key):
        with st.container(key=CHOSEN, border=True):
            arrangements(chosen)


def legend(groups: list) -> None:
    """Show the map's legends (charts.legend_groups) as page text, each mark drawn small."""
    parts = []
    for title, entries in groups:
        items = "".join(
            f'<li><span class="swatch" aria-hidden="true" style="{_swatch(entry)}"></span>'
            f"<span>{html.escape(entry['words'])}</span></li>"
            for entry in entries
        )
        heading = f"<p>{html.escape(title)}</p>" if title else ""
        parts.append(f"<div>{heading}<ul>{items}</ul></div>")
    with st.container(key=LEGEND):
        st.html(LEGEND_STYLE + f'<div class="map-legend">{"".join(parts)}</div>')


def _swatch(entry: dict) -> str:
    """Return the CSS that draws a legend entry's mark: a filled shape, an outline or a line.

    Styles, not an SVG: st.html keeps no SVG. The colours are the chart module's constants.
    """
    colour = html.escape(entry["colour"], quote=True)
    if entry["kind"] == "fill":
        return f"background: {colour}"
    width = entry["width"]
    if entry["kind"] == "outline":
        dashed = entry["dash"][1] > 0
        return f"border: {width}px {'dashed' if dashed else 'solid'} {colour}"
    top = (18 - width) / 2
    return (
        f"height: {width}px; margin: {top}px 0; background: {colour}; "
        f"opacity: {entry.get('opacity', 1)}"
    )


def _region_figures(region: str, *, as_at: str, figures: list[dict], counties: bool) -> None:
    if region in charts.METROPOLITAN:  # no region row: counted from its districts' figures
        in_region = [f for f in figures if charts.metropolitan_county(f["gss_code"]) == region]
        sharing = sum(f["sharing"] for f in in_region)
        found = {"sharing": sharing, "councils": len(in_region)}
        found["share"] = sharing / len(in_region)
    else:
        found = next(
            r for r in common.query("shared_services_regions", as_at=as_at) if r["region"] == region
        )
    st.subheader(region)
    st.metric("Councils sharing services", f"{found['sharing']} of {found['councils']}")
    st.metric("Share of its councils", f"{found['share']:.0%}")
    # Each arrangement once, however many of its councils are in the region: counted once
    # for each, the South West's 38 read 120 (the walk of issue 18).
    where = (
        {"councils": tuple(sorted(f["gss_code"] for f in in_region))}
        if region in charts.METROPOLITAN
        else {"region": region}
    )
    arrangements = common.query("shared_services_arrangements", as_at=as_at, limit=0, **where)
    st.metric(
        "Arrangements with a council in it",
        format_count(arrangements["total"]),
        help="Each arrangement with at least one of its councils here, counted once.",
    )
    unreported = arrangements["savings_not_reported"]
    st.metric(
        "Efficiency savings of those arrangements",
        format_money(arrangements["savings_gbp"]),
        help=f"{format_count(unreported)} of them have not reported their savings."
        if unreported
        else None,
    )
