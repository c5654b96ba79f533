"""Meeting mode: one workstream a screen, large type, advancing on its own; for a registered
meeting, what changed since the one before, what is due, and officers record the outcome."""

import datetime as dt

import streamlit as st

from lgadata import queries
from lgadata.presentation import screens
from ui import common, present, present_meeting

PRESENT = "present"


def render() -> None:
    """Show the current screen of the meeting, with its controls."""
    common.page_setup("Productivity Programme")
    presenting = st.query_params.get(PRESENT) == "1"
    # Marked in the address bar every time, so that a reload or a copied link opens meeting
    # mode too; opened from the navigation, the router must rerun to hide the sidebar.
    st.query_params[PRESENT] = "1"
    if not presenting:
        st.rerun()
    present.start(every=st.query_params.get("every"), theme=st.query_params.get("theme"))
    present.style()
    figures = common.query(queries.metrics)
    milestones = common.query(queries.milestones)
    today = dt.date.today()
    meeting = present_meeting.view(today)
    due = present_meeting.due(meeting.meeting, today) if meeting else None
    notes = meeting.notes if meeting else None
    shown = screens(figures, milestones, present.sources(), due, notes)
    index = st.session_state[present.INDEX] % len(shown)
    screen = shown[index]
    chart = present.chart_for(screen, figures, milestones)
    present.render(
        screen,
        chart,
        index=index,
        count=len(shown),
        meeting=meeting,
        record=lambda: present_meeting.record(screen, meeting),
    )
    present.controls(len(shown))
    present.advance(len(shown))


render()
