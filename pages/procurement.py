"""Procurement: the deep dives, the National Procurement Strategy and EU procurement reform."""

import datetime as dt

import streamlit as st

from lgadata import queries
from lgadata.charts import programme_milestones as charts
from lgadata.values import format_count, format_date, format_iso_date, format_money
from lgadata.workstreams import PROCUREMENT_STRATEGY, PROGRAMME
from ui import common, since

TABLE_COLUMNS = {
    name: st.column_config.TextColumn(name, width="large")
    for name in ("Organisation", "Milestone", "Next step", "Notes")
}


def deep_dives() -> None:
    """Show the deep dives, their number and the planned spend they cover."""
    dives = common.query(queries.deep_dives)
    totals = common.query(queries.deep_dive_totals)
    st.subheader("Deep dives")
    if not dives:
        st.info("No deep dives have been uploaded.", icon=":material/info:")
        return
    common.figures(
        [
            ("Deep dives", format_count(totals["deep_dives"]), None),
            ("Planned spend in scope", format_money(totals["planned_spend_gbp"]), None),
        ]
    )
    if totals["spend_not_reported"]:
        st.caption(
            f"{totals['spend_not_reported']} deep dives have no planned spend, "
            "so the total leaves them out."
        )
    st.dataframe(
        charts.deep_dives_table(dives),
        hide_index=True,
        width="stretch",
        column_config=TABLE_COLUMNS,
    )


def strategy(today: dt.date) -> None:
    """Show the National Procurement Strategy milestones, contract-management work among them."""
    rows = common.query(queries.milestones, today=today, workstreams=(PROCUREMENT_STRATEGY,))
    st.subheader("National Procurement Strategy and contract management")
    if not rows:
        st.info("No National Procurement Strategy milestones have been uploaded.")
        return
    done = sum(r["status"] == "Done" for r in rows)
    overdue = sum(r["overdue"] for r in rows)
    st.text(f"{done} of {len(rows)} milestones done; {overdue} overdue at {format_date(today)}.")
    st.dataframe(
        charts.milestones_table(rows), hide_index=True, width="stretch", column_config=TABLE_COLUMNS
    )


def eu_reform(today: dt.date) -> None:
    """Show the EU procurement reform milestones on a small timeline, as uploaded."""
    rows = common.query(queries.eu_reform_timeline, today=today)
    st.subheader("EU procurement reform")
    if not rows:
        st.info("No EU procurement reform milestones have been uploaded.")
        return
    for row in rows[1:]:
        due, previous = format_iso_date(row["due"]), format_iso_date(row["previous_due"])
        st.text(
            f"{row['milestone']} ({due}) is due {row['months_after_previous']} "
            f"months after {row['previous_milestone']} ({previous})."
        )
    common.chart(
        charts.reform_timeline(rows), charts.milestones_table(rows), key="eu-procurement-reform"
    )


def render() -> None:
    """Show the procurement work: deep dives, the strategy, EU reform."""
    common.page_setup(
        "Procurement",
        caption="Procurement deep dives, the National Procurement Strategy and EU reform.",
    )
    if not common.query(queries.milestone_facets)["workstreams"] and not common.query(
        queries.deep_dives
    ):
        common.empty_state(PROGRAMME.key)
        return
    today = dt.date.today()
    deep_dives()
    strategy(today)
    eu_reform(today)


render()
since.for_page(__file__)  # what changed since the last meeting, and the commentary
