"""Programme timeline: every milestone across the workstreams, with the overdue ones flagged."""

import datetime as dt

import streamlit as st

from lgadata import queries
from lgadata.charts import programme_milestones as charts
from lgadata.values import format_count, format_date
from lgadata.workstreams import PROGRAMME
from ui import common

WORKSTREAMS, STATUSES, UP_TO_TODAY = "timeline-workstreams", "timeline-statuses", "timeline-today"
TABLE_COLUMNS = {
    name: st.column_config.TextColumn(name, width="large") for name in ("Milestone", "Notes")
}


def filters(facets: dict) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Show the workstream and status filters; nothing chosen means everything."""
    left, right = st.columns([3, 2])
    workstreams = left.multiselect(
        "Workstreams", facets["workstreams"], key=WORKSTREAMS, placeholder="All workstreams"
    )
    statuses = right.multiselect(
        "Status", facets["statuses"], key=STATUSES, placeholder="All statuses"
    )
    return tuple(workstreams) or None, tuple(statuses) or None


def show_today(facets: dict, today: dt.date) -> bool:
    """Say whether the timeline runs on to today, offering a switch when today is far outside."""
    first, last = (dt.date.fromisoformat(facets[k]) for k in ("first_due", "last_due"))
    if first <= today <= last:
        return True
    # Milestones years away from today would be squeezed into a corner, so by default the
    # dates run from the first milestone to the last and the board can ask for today.
    extend = st.toggle("Show up to today", key=UP_TO_TODAY)
    if not extend:
        st.caption(
            f"The milestones run from {format_date(first)} to {format_date(last)}; today, "
            f"{format_date(today)}, is outside them, so it is marked only when "
            "'Show up to today' is on."
        )
    return extend


def render() -> None:
    """Show the filters, the headline counts, the timeline and the overdue milestones."""
    common.page_setup(
        "Programme timeline",
        caption="Every milestone across the programme's workstreams, by due date.",
    )
    facets = common.query(queries.milestone_facets)
    if not facets["workstreams"]:
        common.empty_state(PROGRAMME.key)
        return
    today = dt.date.today()
    workstreams, statuses = filters(facets)
    rows = common.query(queries.milestones, today=today, workstreams=workstreams, statuses=statuses)
    if not rows:
        st.info("No milestones match these filters.", icon=":material/filter_alt_off:")
        return
    overdue = [r for r in rows if r["overdue"]]
    common.figures(
        [
            ("Milestones", format_count(len(rows)), None),
            ("Done", format_count(sum(r["status"] == "Done" for r in rows)), None),
            ("At risk", format_count(sum(r["status"] == "At risk" for r in rows)), None),
            ("Overdue", format_count(len(overdue)), None),
        ]
    )
    st.caption(
        f"Overdue: not done or missed, and due before today ({format_date(today)}). "
        f"From upload {rows[0]['upload_id']}."
    )
    chart = charts.timeline(rows, today=today, show_today=show_today(facets, today))
    common.chart(chart, charts.milestones_table(rows), key="timeline")
    st.subheader(f"Overdue milestones ({format_count(len(overdue))})")
    if overdue:
        st.dataframe(
            charts.milestones_table(overdue),
            height="content",
            hide_index=True,
            width="stretch",
            column_config=TABLE_COLUMNS,
        )
    else:
        st.text("None of these milestones is overdue.")


render()
