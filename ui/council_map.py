"""The Shared Services page's map: its controls, the chart, a click, and its table view."""

import logging
import time
from functools import partial

import streamlit as st

from lgadata.charts import council_map as charts
from lgadata.councils import load_boundaries
from lgadata.values import format_count, format_iso_date
from ui import common

log = logging.getLogger("lgadata.map")

MEASURE, COUNTIES, REGION, NETWORK, MAP = (
    f"shared-services-map-{name}" for name in ("measure", "counties", "region", "network", "chart")
)
CHANGE = "change"
MEASURE_NAMES = {**charts.MEASURES, CHANGE: "Began sharing since the last edition"}


def chosen_council(select_key: str) -> str | None:
    """Return the GSS code of the council chosen on the map or in the page's select box."""
    return st.session_state.get(select_key)


def on_click(*, select_key: str, tabs_key: str, tab: str) -> None:
    """Make a council clicked on the map the chosen one, and open its arrangements."""
    clicked = st.session_state[MAP]["selection"].get(charts.SELECTION) or []
    codes = [point.get("code") for point in clicked if point.get("code")]
    if codes:
        st.session_state[select_key] = codes[0]
        st.session_state[tabs_key] = tab


@st.cache_resource(show_spinner=False, max_entries=64)
def _chart(version: int, options: tuple) -> charts.MapChart:
    """Return the map for these options; kept, as Altair takes a good part of a second."""
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
    return charts.council_map(
        load_boundaries(),
        frame,
        title=kw["title"],
        measure=None if measure == CHANGE else measure,
        level=level,
        region=kw["region"],
        links=links,
        text_colour=kw["text_colour"],
        attribution=False,  # a caption under the map, whole at every size
        outlines=charts.outline_frame(figures, chosen=chosen, partners=partners),
    )


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
    _chart(version, options).to_dict()  # the spec too, which the chart keeps
    log.info("The map of %s was ready in %.1f s", as_at, time.perf_counter() - started)


def section(
    *, as_at: str, previous: str | None, label: str, select_key: str, tabs_key: str, tab: str
) -> None:
    """Show the map of an edition: controls above it, a region's figures beside it."""
    measures = [m for m in MEASURE_NAMES if m != CHANGE or previous]
    regions = [r["region"] for r in common.query("shared_services_regions", as_at=as_at)]
    zooms = regions + list(charts.METROPOLITAN)  # the metropolitan counties, readable zoomed
    categories = [c["category"] for c in common.query("shared_services_categories", as_at=as_at)]
    measure_col, region_col, network_col = st.columns([3, 2, 2], vertical_alignment="bottom")
    measure = measure_col.selectbox(
        "Colour councils by", measures, format_func=MEASURE_NAMES.get, key=MEASURE
    )
    region = region_col.selectbox(
        "Zoom to a region or metropolitan county",
        zooms,
        index=None,
        placeholder="All England",
        key=REGION,
    )
    network = network_col.selectbox(
        "Lines between partners in",
        categories,
        index=None,
        placeholder="No category (a region's own, if zoomed)",
        key=NETWORK,
    )
    counties = st.toggle("County councils", key=COUNTIES)  # its own line: whole at any width
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
    chart = _chart(common.data_version(), options)
    figures = common.query("shared_services_council_figures", as_at=as_at)
    if region:
        left, right = st.columns([3, 1])
        with right:
            _region_figures(region, as_at=as_at, figures=figures, counties=counties)
    else:
        left = st.container()
    with left:
        if st.toggle("Show as table", key=f"table-{MAP}"):
            frame = charts.council_frame(
                figures,
                measure="sharing" if measure == CHANGE else measure,
                level=charts.COUNTIES if counties else charts.DISTRICTS,
            )
            if region:  # the councils of the map as zoomed
                frame = frame[(frame["Region"] == region) | (frame["Area"] == region)]
            common.table_with_download(charts.map_table(frame), key="council-map")
        else:
            st.altair_chart(
                chart,
                key=MAP,
                on_select=lambda: on_click(select_key=select_key, tabs_key=tabs_key, tab=tab),
                selection_mode=charts.SELECTION,
            )
            st.caption(
                "Click a council to see its arrangements and the councils it shares with, "
                "or choose it under “A council's arrangements”."
            )
        st.caption(charts.ATTRIBUTION)


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
        in_region = [f for f in figures if f["region"] == region]
    st.subheader(region)
    st.metric("Councils sharing services", f"{found['sharing']} of {found['councils']}")
    st.metric("Share of its councils", f"{found['share']:.0%}")
    st.metric(
        "Arrangements its councils are in",
        format_count(sum(f["arrangements"] for f in in_region)),
        help="An arrangement of several of its councils counts once for each.",
    )
