"""Housing Tenancy Fraud Pilot: the pilot groups, their outcomes and notional savings."""

import streamlit as st

from lgadata import queries
from lgadata.charts import tenancy_fraud as charts
from lgadata.values import format_count, format_money
from lgadata.workstreams import get_workstream
from ui import common, since

WORKSTREAM = get_workstream("tenancy_fraud")
CARDS_PER_ROW = 3


def _headlines(summary: dict, outcomes: dict) -> None:
    common.figures(
        [
            ("Pilot groups", format_count(summary["pilots"]), None),
            ("Councils", format_count(summary["councils"]), None),
            *(
                (s["status"], f"{s['pilots']} of {summary['pilots']}", None)
                for s in summary["statuses"]
            ),
            ("Properties recovered", format_count(outcomes["properties_recovered"]), None),
            ("Notional savings", format_money(outcomes["notional_savings_gbp"]), None),
        ]
    )
    st.caption(
        common.plain(
            f"Notional savings: {format_count(outcomes['properties_recovered'])} properties "
            f"recovered × {format_money(outcomes['value_per_property_gbp'])} a property = "
            f"{format_money(outcomes['notional_savings_gbp'])}. "
            f"Basis: {outcomes['basis'].rstrip('.')}."
        )
    )


def _pilot_card(pilot: dict) -> None:
    with st.container(border=True):
        st.subheader(common.plain(pilot["pilot"]))
        for line in charts.council_lines(pilot):
            st.text(line)
        st.text(f"Status: {pilot['status']}")
        rag = pilot["rag"]
        if rag:
            st.badge(
                f"RAG: {rag}",
                icon=charts.RAG_ICONS.get(rag),
                color=charts.RAG_BADGE_COLOURS.get(rag, "gray"),
            )
        else:
            st.text("RAG: not given")
        st.text(f"Next milestone: {pilot['next_milestone'] or 'not given'}")


def _pilots(pilots: list[dict]) -> None:
    st.subheader("Pilot groups")
    for start in range(0, len(pilots), CARDS_PER_ROW):
        for column, pilot in zip(
            st.columns(CARDS_PER_ROW), pilots[start : start + CARDS_PER_ROW], strict=False
        ):
            with column:
                _pilot_card(pilot)


def _outcomes(summary: dict, outcomes: dict) -> None:
    st.subheader("Outcomes by quarter")
    if outcomes["quarters"]:
        common.chart(
            charts.outcomes_by_quarter(outcomes["quarters"]),
            charts.outcomes_table(outcomes["quarters"]),
            key="fraud-outcomes",
        )
    else:
        st.info(f"No outcomes reported yet: {summary['stage']}.", icon=":material/info:")


def render() -> None:
    """Show the pilot groups, their outcomes by quarter and the notional savings."""
    common.page_setup(WORKSTREAM.title, caption=WORKSTREAM.description)
    pilots = common.query(queries.fraud_pilots)
    if not pilots:
        common.empty_state(WORKSTREAM.key)
        return
    summary = common.query(queries.fraud_summary)
    outcomes = common.query(queries.fraud_outcomes)
    _headlines(summary, outcomes)
    _pilots(pilots)
    _outcomes(summary, outcomes)


render()
since.for_page(__file__)  # what changed since the last meeting, and the commentary
