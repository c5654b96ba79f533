"""Capital and Assets Programme: budget and spend by year, councils by wave, their results."""

import datetime as dt

import streamlit as st

from lgadata import queries
from lgadata.charts import capital_assets as charts
from lgadata.values import format_count, format_money
from lgadata.workstreams import get_workstream
from ui import common, since

WORKSTREAM = get_workstream("capital_assets")
YEAR_KEY = "capital_assets_year"
WAVE_KEY = "capital_assets_wave"
ALL_WAVES = "All waves"


def _headlines(year: dict, councils: dict) -> None:
    previous = year["previous"]
    change = None
    if previous:
        change = year["budget_change_gbp"]
        sign = "-" if change < 0 else "+"
        change = f"{sign}{format_money(abs(change))} on {previous['financial_year']}"
    share = year["spent_share"]
    common.figures(
        [
            (f"Budget {year['financial_year']}", format_money(year["budget_gbp"]), change),
            (
                "Spent to date (share of budget)",
                f"{format_money(year['spent_gbp'])} ({share:.0%})" if share is not None else "",
                None,
            ),
            (
                "Secondees (share of budget)",
                f"{format_money(year['secondees_gbp'])} ({year['secondee_share']:.0%})"
                if year["secondee_share"] is not None
                else format_money(year["secondees_gbp"]),
                None,
            ),
        ]
    )
    if councils["waves"]:
        common.figures(
            [
                (
                    f"Councils in wave {councils['current_wave']} (current wave)",
                    format_count(councils["current_wave_councils"]),
                    None,
                ),
                (
                    f"Waves before wave {councils['current_wave']}",
                    format_count(councils["earlier_waves"]),
                    None,
                ),
                (
                    "Capital receipts, all waves",
                    format_money(councils["capital_receipts_gbp"]),
                    None,
                ),
                (
                    "Running-cost savings, all waves",
                    format_money(councils["running_cost_savings_gbp"]),
                    None,
                ),
            ]
        )


def _years(years: list[dict]) -> None:
    common.marked_chart(
        charts.budget_over_years,
        charts.year_markers,
        years,
        charts.years_table(years),
        workstream=WORKSTREAM.key,
        key="cap-years",
    )


def _budget(year: str, upload_id: int) -> None:
    st.subheader("Budget and spend")
    st.caption(f"Financial year {year} · upload {upload_id}")
    rows = common.query(queries.capital_assets_categories, financial_year=year)
    common.chart(
        charts.budget_by_category(rows, financial_year=year),
        charts.budget_table(rows),
        key="cap-budget",
    )


def _councils(councils: dict) -> None:
    st.subheader("Participating councils")
    by_status = common.query(queries.capital_assets_wave_status)
    left, right = st.columns(2)
    with left:
        common.chart(
            charts.councils_by_wave(by_status), charts.wave_status_table(by_status), key="cap-waves"
        )
    with right:
        common.chart(
            charts.results_by_wave(councils["waves"]),
            charts.results_table(councils["waves"]),
            key="cap-results",
        )
    waves = [ALL_WAVES] + [f"Wave {w['wave']}" for w in councils["waves"]]
    chosen = st.segmented_control("Show councils in", waves, default=ALL_WAVES, key=WAVE_KEY)
    wave = None if chosen in (None, ALL_WAVES) else int(chosen.removeprefix("Wave "))
    rows = common.query(queries.capital_assets_council_list, wave=wave)
    st.dataframe(charts.council_table(rows), hide_index=True, width="stretch")


def _milestones() -> None:
    st.subheader("Governance and milestones")
    rows = common.query(queries.milestones, today=dt.date.today(), workstreams=(WORKSTREAM.title,))
    if not rows:
        st.info(f"No {WORKSTREAM.title} milestones have been uploaded yet.")
        return
    st.caption(f"{WORKSTREAM.title} milestones from the programme workbook, by due date.")
    st.dataframe(charts.milestone_table(rows), hide_index=True, width="stretch")


def render() -> None:
    """Show the Capital and Assets Programme's budget, councils, results and milestones."""
    common.page_setup(WORKSTREAM.title, caption=WORKSTREAM.description)
    years = common.query(queries.capital_assets_years)
    councils = common.query(queries.capital_assets_councils)
    if not years:
        common.empty_state(WORKSTREAM.key)
        return
    options = [y["financial_year"] for y in reversed(years)]
    chosen = st.selectbox("Financial year", options, index=0, key=YEAR_KEY)
    year = common.query(queries.capital_assets_year, financial_year=chosen)
    _headlines(year, councils)
    _budget(chosen, year["upload_id"])
    _years(years)
    if councils["waves"]:
        _councils(councils)
    _milestones()


render()
since.for_page(__file__)  # what changed since the last meeting, and the commentary
