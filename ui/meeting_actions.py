"""The decisions and actions recorded at each meeting, on the Board meetings page, with a
way for officers to mark an action done or dropped."""

import streamlit as st

from lgadata import actions
from lgadata.auth import NotAllowed
from lgadata.meetings import BoardMeeting
from lgadata.presentation import recorded_line
from ui import common

STATUSES = [actions.Status.OPEN, actions.Status.DONE, actions.Status.DROPPED]
CHANGED = "meetings-action-changed"


def _set(action_id: int, key: str) -> None:
    try:
        actions.set_status(
            engine=common.engine(),
            by=common.current_actor(),
            action_id=action_id,
            status=st.session_state[key],
        )
    except (ValueError, NotAllowed) as problem:
        st.session_state[CHANGED] = str(problem)
        return
    st.session_state[CHANGED] = ""


def listing(register: list[BoardMeeting]) -> None:
    """Show, under each meeting, latest first, what was recorded there (as text)."""
    st.subheader("Decisions and actions")
    if problem := st.session_state.pop(CHANGED, None):
        st.error(common.unlinked(problem), icon=":material/error:")
    engine = common.engine()
    recorded = {m.id: actions.recorded_at(engine=engine, meeting_id=m.id) for m in register}
    if not any(recorded.values()):
        st.caption("Nothing has been recorded yet: officers record them in meeting mode.")
        return
    newest = next(m.id for m in reversed(register) if recorded[m.id])
    for meeting in reversed(register):
        items = recorded[meeting.id]
        if not items:
            continue
        # The newest meeting with items open, not the last registered: after a meeting the
        # next one is registered, and what was just recorded was folded away.
        with st.expander(common.unlinked(meeting.label), expanded=meeting.id == newest):
            for item in items:
                words, status = st.columns([4, 1], vertical_alignment="center")
                # As text: what was typed in the meeting is never read as markup.
                words.text(recorded_line(item))
                if item.kind == actions.Kind.ACTION:
                    key = f"meetings-action-{item.id}"
                    status.selectbox(
                        "Status",
                        STATUSES,
                        index=STATUSES.index(actions.Status(item.status)),
                        format_func=str.capitalize,
                        key=key,
                        on_change=_set,
                        args=(item.id, key),
                        label_visibility="collapsed",
                    )
