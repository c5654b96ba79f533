"""Shared Services Map: councils sharing services, their arrangements and savings, by edition."""

import math

import pandas as pd
import streamlit as st

from lgadata import queries
from lgadata.charts import shared_services as charts
from lgadata.values import format_count, format_iso_date, format_money
from ui import common, council_map, since

EDITION, REGION, CATEGORY, COUNCIL, SEARCH, PAGE, OWN_COUNCIL, TABS = (
    f"shared-services-{name}"
    for name in ("edition", "region", "category", "council", "search", "page", "own-council", "tab")
)
TAB_NAMES = ("Regions and service categories", "Arrangements", "A council's arrangements")
PAGE_SIZE, COUNCIL_LIMIT = 50, 500
COLUMNS = {  # what the board reads first fits the screen; the rest scroll into view
    "arrangement": st.column_config.TextColumn("Arrangement", width=340),
    "role": st.column_config.TextColumn("Role", width=80),
    "lead_council": st.column_config.TextColumn("Lead council", width=180),
    "partner_councils": st.column_config.ListColumn("Partner councils", width=340),
    "category": st.column_config.TextColumn("Category", width=240),
    "savings_gbp": st.column_config.NumberColumn("Efficiency savings", format="£%,d", width=140),
    "status": st.column_config.TextColumn("Status", width=120),
    "services": st.column_config.TextColumn("Services", width="large"),
    "start_date": st.column_config.DateColumn("Start date", format="D MMMM YYYY", width=160),
    "savings_note": st.column_config.TextColumn("Note on savings", width="large"),
}


def _label(as_at: str) -> str:
    return format_iso_date(as_at)


def _first_page() -> None:
    st.session_state[PAGE] = 1


def _choose(where, label: str, options, *, key: str, empty: str):
    """Return the option chosen in a select box that starts empty, meaning 'all'."""
    names = options if isinstance(options, dict) else None
    show = (lambda option: names[option]["name"]) if names else str
    return where.selectbox(
        label,
        list(options),
        index=None,
        placeholder=empty,
        key=key,
        format_func=show,
        on_change=_first_page,
    )


def headline(edition: dict, previous: dict | None) -> None:
    """Show the edition's headline figures and their change from the edition before."""
    register = common.query("council_count")
    common.figures(charts.headline_figures(edition, previous=previous, register=register))
    compared_with = f" · change from the map of {_label(previous['as_at'])}" if previous else ""
    common.small_print(
        common.as_at(edition["as_at"], edition["upload_id"]) + compared_with, key="as-at"
    )
    unreported = edition["savings_not_reported"]
    st.markdown(
        f"**{format_count(unreported)} arrangement{'s' * (unreported != 1)}** "
        f"{'have' if unreported != 1 else 'has'} not reported "
        f"their savings: the {format_money(edition['savings_gbp'])} leaves them out, "
        "rather than counting them as no saving."
    )


def savings_trend(editions: list[dict]) -> None:
    """Show the savings in each edition, with the uploads and meetings marked."""
    common.marked_chart(
        charts.savings_over_editions,
        charts.edition_markers,
        editions,
        charts.editions_table(editions),
        workstream="shared_services",
        key="editions-savings",
    )


def arrangement_table(rows: list[dict], *, role: bool = False, key: str = "", every=None) -> None:
    """Show arrangements as a table; blank savings read 'not reported'. `every()`, if
    given, returns all the rows of which these are a page, for the CSV download."""
    columns = [c for c in COLUMNS if role or c != "role"]
    frame = pd.DataFrame(rows, columns=columns)
    common.table_with_download(
        frame,
        key=key + ("council-arrangements" if role else "arrangements"),
        download=every and (lambda: pd.DataFrame(every(), columns=columns)),
        column_order=columns,
        column_config=COLUMNS,
        placeholder="not reported",
    )


def breakdown(as_at: str) -> None:
    """Show councils sharing by region, and arrangements and savings by service category."""
    label = _label(as_at)
    regions = common.query("shared_services_regions", as_at=as_at)
    chart = charts.regions_chart(regions, edition=label)
    common.chart(chart, charts.regions_table(regions), key="regions")
    categories = common.query("shared_services_categories", as_at=as_at)
    table = charts.categories_table(categories)
    left, right = st.columns(2)
    with left:
        chart = charts.arrangements_by_category(categories, edition=label)
        common.chart(chart, table, key="category-arrangements")
    with right:
        chart = charts.savings_by_category(categories, edition=label)
        common.chart(chart, table, key="category-savings")


def _page(as_at: str, page: int, filters: dict) -> dict:
    offset = (page - 1) * PAGE_SIZE
    return common.query(
        "shared_services_arrangements", as_at=as_at, limit=PAGE_SIZE, offset=offset, **filters
    )


def arrangements(as_at: str, councils: dict[str, dict]) -> None:
    """Show the edition's arrangements, filtered by region, category, council and text."""
    regions = [r["region"] for r in common.query("shared_services_regions", as_at=as_at)]
    categories = [c["category"] for c in common.query("shared_services_categories", as_at=as_at)]
    region, category, council, search = st.columns(4)
    text = search.text_input("Search names and services", key=SEARCH, on_change=_first_page)
    filters = {
        "region": _choose(region, "Region", regions, key=REGION, empty="All regions"),
        "category": _choose(category, "Category", categories, key=CATEGORY, empty="All categories"),
        "council": _choose(council, "Council", councils, key=COUNCIL, empty="All councils"),
        "search": text.strip() or None,
    }
    page = st.session_state.get(PAGE, 1)
    found = _page(as_at, page, filters)
    pages = max(1, math.ceil(found["total"] / PAGE_SIZE))
    if page > pages:  # an upload since the page was chosen left fewer arrangements
        page = st.session_state[PAGE] = pages
        found = _page(as_at, page, filters)
    if not found["rows"]:
        st.info("No arrangements match these filters.")
        return
    first = (page - 1) * PAGE_SIZE + 1
    st.caption(
        f"Arrangements {first} to {first + len(found['rows']) - 1} of {found['total']}, "
        f"with efficiency savings of {format_money(found['savings_gbp'])} "
        f"({found['savings_not_reported']} not reported)."
    )
    # The download is every arrangement of the filters, not the page on screen (the walk
    # of issue 18): read when the button is pressed, on Streamlit's thread, so from the
    # engine and not through the page's cached queries.
    engine, total = common.engine(), found["total"]
    arrangement_table(
        found["rows"],
        every=lambda: queries.shared_services_arrangements(
            engine=engine, as_at=as_at, limit=total, **filters
        )["rows"],
    )
    if pages > 1:
        st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, key=PAGE, width=200)


def council_view(as_at: str, councils: dict[str, dict]) -> None:
    """Show the arrangements of the council chosen in the select box."""
    code = _choose(st, "Council", councils, key=OWN_COUNCIL, empty="Choose a council")
    if code is None:
        st.text("Choose a council to see every arrangement it leads or is a partner in.")
        return
    council_arrangements(as_at, councils, code)


def council_arrangements(as_at: str, councils: dict[str, dict], code: str, key: str = "") -> None:
    """Show one council's arrangements in an edition and what they add up to."""
    found = common.query(
        "shared_services_arrangements", as_at=as_at, council=code, limit=COUNCIL_LIMIT
    )
    st.subheader(f"{councils[code]['name']}, {councils[code]['region']}")
    common.figures(charts.council_figures(found))
    if found["rows"]:
        arrangement_table(found["rows"], role=True, key=key)


def render() -> None:
    """Show the Shared Services Map page for the chosen edition."""
    common.page_setup(
        "Shared Services Map",
        caption="Councils sharing services, their arrangements and the efficiency savings "
        "they report, from each edition of the LGA's map.",
    )
    editions = common.query("shared_services_editions")
    if not editions:
        common.empty_state("shared_services")
        return
    by_date = {e["as_at"]: e for e in editions}
    # The map first, after the title, its controls in a column beside it (under it on a
    # phone): above it, they pushed it below the first screen (the walk of issue 18).
    drawing, controls = council_map.columns()
    as_at = controls.selectbox(
        "Map edition",
        list(reversed(by_date)),
        format_func=_label,
        key=EDITION,
        on_change=_first_page,
    )
    index = list(by_date).index(as_at)
    previous = editions[index - 1] if index else None
    councils = {c["gss_code"]: c for c in common.query("shared_services_councils", as_at=as_at)}
    council_map.section(
        as_at=as_at,
        previous=previous["as_at"] if previous else None,
        label=_label(as_at),
        select_key=OWN_COUNCIL,
        drawing=drawing,
        controls=controls,
        arrangements=lambda code: council_arrangements(as_at, councils, code, key="map-"),
    )
    headline(by_date[as_at], previous)
    savings_trend(editions)
    regions_tab, table_tab, council_tab = st.tabs(TAB_NAMES, key=TABS, on_change="rerun")
    with regions_tab:
        breakdown(as_at)
    with table_tab:
        arrangements(as_at, councils)
    with council_tab:
        council_view(as_at, councils)


render()
since.for_page(__file__)  # what changed since the last meeting, and the commentary
