"""Meeting mode for a registered meeting: what changed on each section's screen since the
meeting before, its commentary, the closing "What is due" screen, and the small form an
officer records a decision or an action in."""

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from lgadata import actions, commentary, meetings, returns, thresholds
from lgadata.auth import NotAllowed, Permission
from lgadata.meetings import BoardMeeting
from lgadata.presentation import Due, Notes, Screen
from lgadata.queries.history import format_when
from lgadata.sections import registry
from lgadata.values import format_date
from ui import common, since
from ui.commentary import meeting_to_write_for

RECORD_FORM, RECORDED = "present-record", "present-recorded"
RECORDING = "present-recording"  # the section the open form records against, and the timer
MOST_CHANGES = 2  # the changes a screen lists; the Overview lists them all
KINDS = {actions.Kind.ACTION: "An action", actions.Kind.DECISION: "A decision"}


@dataclass(frozen=True)
class MeetingView:
    """The meeting the screens are for, and what changed since the one before it."""

    meeting: BoardMeeting
    comparison: since.Comparison | None  # None: no meeting came before it
    rows: list[dict]
    by_workstream: dict
    notes: dict[str, Notes]  # by section: the commentary and the reasons given


def view(today: dt.date) -> MeetingView | None:
    """Return the meeting on show (the next one, else the last) and its changes, or None."""
    register = since.register_now()
    meeting = meeting_to_write_for(register, today)
    if meeting is None:
        return None
    comparison = since.before(register, meeting, today)
    rows, by_workstream = since.compared(comparison) if comparison else ([], {})
    return MeetingView(meeting, comparison, rows, by_workstream, _notes(meeting))


def _notes(meeting: BoardMeeting) -> dict[str, Notes]:
    """Return each section's commentary for a meeting, with the reasons given for it."""
    # Not cached: a commentary saved on the section's page must show on the next screen.
    engine = common.engine()
    comments = commentary.commentary(engine=engine, meeting_id=meeting.id)
    notes = {}
    for section in registry.board_sections():
        comment = comments.get(section.key)
        given = thresholds.reasons_for_meeting(
            engine=engine, section=section.key, meeting_date=meeting.meets_on
        )
        written = (
            f"Written by {comment.written_by}, {format_when(comment.written_at)}" if comment else ""
        )
        notes[section.key] = Notes(
            meeting.meets_on, comment.text if comment else "", written, tuple(given)
        )
    return notes


def due(meeting: BoardMeeting, today: dt.date) -> Due:
    """Return what the closing screen lists for a meeting, read now."""
    engine = common.engine()
    if meeting.meets_on >= today:
        when = f"before the meeting on {format_date(meeting.meets_on)}"
        missing = returns.missing_before(engine=engine, on=today, meeting=meeting.meets_on)
    else:  # a meeting held: what was due at it, as its paper says (the walk of issue 17)
        when, missing = returns.due_at_meeting(engine=engine, meeting_date=meeting.meets_on)
    carried = actions.from_last_meeting(engine=engine, meeting_id=meeting.id)
    return Due(meeting.meets_on, when, missing, carried)


def figures(screen: Screen, shown: MeetingView) -> None:
    """Show a section's figures now, each with what it was at the meeting before."""
    with st.container(key="present-figures"):
        since.figures(screen.card, shown.rows)


def changes(screen: Screen, shown: MeetingView) -> None:
    """Show what changed in words since the meeting before (the first few changes)."""
    if shown.comparison:
        start = format_date(shown.comparison.start.meets_on)
        _, said = since.changes(screen.section, shown.by_workstream)
        lines = [s for sentences in said.values() for s in sentences]
        with st.container(key="present-since-heading"):
            st.text(f"Since {start}")
        if not lines:
            st.text(f"Nothing reported since {start}.")
        # As text: a change names what an upload holds (an arrangement, a council, a link).
        for line in lines[:MOST_CHANGES]:
            st.text(line)
        if len(lines) > MOST_CHANGES:
            st.text(f"And {len(lines) - MOST_CHANGES} more on the section's page.")


def notes(screen: Screen) -> None:
    """Show a section's commentary screen: what officers wrote, whole and as typed, then the
    reasons given for its figures crossing a threshold."""
    with st.container(key="present-commentary"):
        if screen.notes.text:
            st.text(screen.notes.text)
        for line in screen.notes.reasons:
            st.text(line)


def closing(screen: Screen) -> None:
    """Show the closing screen: the returns due, then the actions from the last meeting."""
    returns_part, actions_part = st.columns(2, gap="large")
    with returns_part, st.container(key="present-due-returns"):
        st.subheader(f"Returns due {screen.due.when}", anchor=False)
        for line in screen.due.return_lines:
            st.text(line)
    with actions_part, st.container(key="present-due-actions"):
        st.subheader("Actions from the last meeting", anchor=False)
        for line in screen.due.action_lines:
            st.text(line)


def record(screen: Screen, shown: MeetingView | None) -> None:
    """Offer officers and administrators a small form to record a decision or an action
    against the screen on show; nothing for anyone else, or without a meeting."""
    actor = common.current_actor()
    if shown is None or actor is None or not actor.can(Permission.KEEP_MEETINGS):
        return
    section = screen.section.key if screen.section else actions.GENERAL
    on = screen.section.title if screen.section else "the meeting as a whole"
    st.button(
        "Record",
        icon=":material/edit_note:",
        type="tertiary",
        key="present-record-open",
        on_click=_open,
        args=(section, on),
    )
    if st.session_state.get(RECORDING):
        _form(shown.meeting)
    if said := st.session_state.pop(RECORDED, None):
        st.toast(said, icon=":material/check_circle:")


def _open(section: str, on: str) -> None:
    """Pin the form to the screen on show and hold the meeting there while it is written.

    The screens went on moving under an open form, which then recorded what was said of one
    section against whichever screen the timer had reached.
    """
    from ui import present  # it shows this module's parts: imported when first used

    st.session_state[RECORDING] = (section, on, present.hold())


def _close() -> None:
    """Let go of the form; the meeting carries on as it was before the form was opened."""
    from ui import present

    if pinned := st.session_state.pop(RECORDING, None):
        present.carry_on(pinned[2])


@st.dialog("Record a decision or an action", width="medium", on_dismiss=_close)
def _form(meeting: BoardMeeting) -> None:
    # A dialog rather than a popover: a popover above the controls had room for half the
    # form at 1280x720, and "Record it" only after scrolling inside it.
    section, on, _ = st.session_state[RECORDING]
    st.caption(common.unlinked(f"At the meeting of {meeting.label}, on {on}."))
    with st.form(RECORD_FORM, clear_on_submit=True, border=False):
        # The label is the dialog's title already: shown again it pushed "Record it" below a
        # 200% zoomed window (the walk of issue 17); it is still the radio group's name.
        kind = st.radio(
            "Record",
            list(KINDS),
            format_func=KINDS.get,
            horizontal=True,
            label_visibility="collapsed",
        )
        text = st.text_area(
            "What was decided or is to be done", max_chars=actions.TEXT_LIMIT, height=100
        )
        owner_part, due_part = st.columns(2)
        owner = owner_part.text_input("Owner (for an action)", max_chars=actions.OWNER_LIMIT)
        due_on = due_part.date_input(
            "Due by", value=None, min_value=meetings.EARLIEST, format="DD/MM/YYYY"
        )
        if st.form_submit_button("Record it", type="primary") and _record(
            meeting, section, kind, text, owner, due_on
        ):
            _close()
            st.rerun()


def _record(meeting, section, kind, text, owner, due_on) -> bool:
    """Record what the form says; say whether it was recorded (if not, the form says why)."""
    try:
        kept = actions.record(
            engine=common.engine(),
            by=common.current_actor(),
            meeting_id=meeting.id,
            section=section,
            kind=kind,
            text=text,
            owner=owner,
            due_on=due_on,
        )
    except (ValueError, NotAllowed) as problem:
        st.error(common.unlinked(problem), icon=":material/error:")
        return False
    st.session_state[RECORDED] = f"The {kept.kind} is recorded: the Board meetings page lists it."
    return True
