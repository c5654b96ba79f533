"""Board meetings: the register of the board's meetings, kept by officers and administrators."""

import datetime as dt

import streamlit as st

from lgadata import meetings
from lgadata.auth import NotAllowed, Permission
from lgadata.paper.model import BOARD
from lgadata.queries.history import format_when
from lgadata.values import format_date
from ui import common, meeting_actions

ADD_FORM, CHANGE_FORM, CHOSEN = "meetings-add", "meetings-change", "meetings-chosen"
REMOVE, CONFIRM, DONE = "meetings-remove", "meetings-confirm", "meetings-done"
COLUMNS = {
    "date": st.column_config.TextColumn("Date", width=160),
    "title": st.column_config.TextColumn("Title", width="large"),
    "agenda_item": st.column_config.TextColumn("Agenda item", width="medium"),
}


def _write(action, done: str, **kwargs) -> None:
    """Make a change with the actor read now, say what was done, and show the register again."""
    try:
        action(engine=common.engine(), by=common.current_actor(), **kwargs)
    except (ValueError, NotAllowed) as problem:
        st.error(common.unlinked(problem), icon=":material/error:")
        return
    st.session_state[DONE] = done
    st.rerun()


def next_and_last(register: list[meetings.BoardMeeting], today: dt.date) -> None:
    """Say when the board meets next and when it last met."""
    upcoming = next((m for m in register if m.meets_on >= today), None)
    past = [m for m in register if m.meets_on < today]
    left, right = st.columns(2)
    left.metric("Next meeting", format_date(upcoming.meets_on) if upcoming else "None registered")
    right.metric("Last meeting", format_date(past[-1].meets_on) if past else "None registered")


# The paper addresses the board by this title ("This paper updates the … on the
# Productivity Programme"), so the form says so (the early walk of issue 17).
TITLE_HELP = (
    "The board's name, as the paper addresses it: “This paper updates the [title] on the "
    f"Productivity Programme”; for example, the {BOARD}."
)


def add_form() -> None:
    """The form to register a meeting."""
    with st.form(ADD_FORM, clear_on_submit=True):
        st.subheader("Register a meeting")
        meets_on = st.date_input(
            "Date", value=None, min_value=meetings.EARLIEST, format="DD/MM/YYYY"
        )
        title = st.text_input(
            "Title", max_chars=meetings.TEXT_LIMIT, placeholder=BOARD, help=TITLE_HELP
        )
        agenda = st.text_input("Agenda item of this report", max_chars=meetings.TEXT_LIMIT)
        submitted = st.form_submit_button("Register the meeting")
    if submitted:
        if meets_on is None:
            st.error("Give the meeting's date.", icon=":material/error:")
            return
        done = f"Registered the meeting on {format_date(meets_on)}."
        _write(meetings.add_meeting, done, meets_on=meets_on, title=title, agenda_item=agenda)


def change_form(register: list[meetings.BoardMeeting]) -> None:
    """The form to change a meeting's date, title or agenda item, or take it out."""
    st.subheader("Change or remove a meeting")
    by_id = {m.id: m for m in register}
    chosen = st.selectbox(
        "Meeting", list(by_id), format_func=lambda i: by_id[i].label, key=CHOSEN, index=None
    )
    if chosen is None:
        return
    meeting = by_id[chosen]
    with st.form(CHANGE_FORM):
        meets_on = st.date_input(
            "Date", value=meeting.meets_on, min_value=meetings.EARLIEST, format="DD/MM/YYYY"
        )
        title = st.text_input(
            "Title", value=meeting.title, max_chars=meetings.TEXT_LIMIT, help=TITLE_HELP
        )
        agenda = st.text_input(
            "Agenda item of this report", value=meeting.agenda_item, max_chars=meetings.TEXT_LIMIT
        )
        submitted = st.form_submit_button("Save the changes")
    if submitted:
        done = f"Changed the meeting on {format_date(meets_on)}."
        _write(
            meetings.change_meeting,
            done,
            meeting_id=meeting.id,
            meets_on=meets_on,
            title=title,
            agenda_item=agenda,
        )
    if st.toggle("Remove this meeting from the register", key=REMOVE):
        st.warning(
            "Its commentary, decisions and actions are kept, and the audit log records the "
            "removal.",
            icon=":material/warning:",
        )
        if st.button(f"Remove the meeting on {format_date(meeting.meets_on)}", key=CONFIRM):
            done = f"Removed the meeting on {format_date(meeting.meets_on)}."
            _write(meetings.remove_meeting, done, meeting_id=meeting.id)


def render() -> None:
    """List the meetings, then the forms that register, change and remove them."""
    common.page_setup(
        "Board meetings",
        caption="The board's meetings: the Overview compares the figures since the last one.",
        permission=Permission.KEEP_MEETINGS,
    )
    if done := st.session_state.pop(DONE, None):
        st.success(done, icon=":material/check_circle:")
    register = meetings.meetings(engine=common.engine())
    next_and_last(register, dt.date.today())
    if register:
        rows = [
            {
                "date": format_date(m.meets_on),
                "title": m.title,
                "agenda_item": m.agenda_item,
                "changed": f"{m.changed_by}, {format_when(m.changed_at)}",
            }
            for m in reversed(register)
        ]
        changed = st.column_config.TextColumn(
            "Last changed", width=common.text_width(r["changed"] for r in rows)
        )
        st.dataframe(
            rows, hide_index=True, width="stretch", column_config=COLUMNS | {"changed": changed}
        )
    else:
        st.info("No meetings are registered yet.", icon=":material/event:")
    left, right = st.columns(2)
    with left:
        add_form()
    if register:
        with right:
            change_form(register)
    st.divider()
    meeting_actions.listing(register)


render()
