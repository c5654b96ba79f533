"""Officers' commentary on a section for a meeting: shown as text to everyone, written by the
officers of the section's workstreams and by administrators."""

import datetime as dt
from pathlib import Path

import streamlit as st

from lgadata import commentary, meetings, since, thresholds
from lgadata.auth import NotAllowed
from lgadata.meetings import BoardMeeting
from lgadata.paper import NOTE_LIMIT
from lgadata.queries.history import format_when
from lgadata.sections import registry
from lgadata.values import format_date
from ui import common

SAVED = "commentary-saved"  # what the last save did, shown once after its rerun
PAGE_MEETING = "commentary-page-meeting"
HELD = (
    "The meeting of {day} has been held: what is saved here is kept as its commentary. "
    "To write for the next meeting, register it on the Board meetings page first."
)


def meeting_to_write_for(
    register: list[BoardMeeting], today: dt.date | None = None
) -> BoardMeeting | None:
    """Return the meeting commentary is written for: the next one, else the last one."""
    today = today or dt.date.today()
    upcoming = [m for m in register if m.meets_on >= today]
    return upcoming[0] if upcoming else (register[-1] if register else None)


def comments_for(meeting: BoardMeeting) -> dict[str, commentary.Comment]:
    """Return the newest commentary on each section for a meeting (not cached: it is small,
    and a save must show at once)."""
    return commentary.commentary(engine=common.engine(), meeting_id=meeting.id)


def _save(meeting: BoardMeeting, section, text: str) -> None:
    try:
        commentary.write_commentary(
            engine=common.engine(),
            by=common.current_actor(),
            meeting_id=meeting.id,
            section=section.key,
            text=text,
        )
    except (ValueError, NotAllowed) as problem:
        st.error(common.unlinked(problem), icon=":material/error:")
        return
    st.session_state[SAVED] = (meeting.id, section.key)
    st.rerun()


def box(
    actor, meeting: BoardMeeting, section, comment: commentary.Comment | None, *, alone=False
) -> None:
    """Show a section's commentary for a meeting; those who may write it get a box and Save.
    alone: on the section's own page, where no other section's reasons are read."""
    st.markdown(f"**Commentary for the meeting of {format_date(meeting.meets_on)}**")
    if comment:
        # As text, never markdown: markdown makes an address a mailto link and a web
        # address a link, however escaped (the walk of issue 19 found both).
        st.text(comment.text)
        st.text(f"Written by {comment.written_by}, {format_when(comment.written_at)}")
    else:
        st.caption("No commentary has been written for this meeting yet.")
    reasons(meeting, section, alone=alone)
    if st.session_state.get(SAVED) == (meeting.id, section.key):
        st.session_state.pop(SAVED)
        st.success("Commentary saved.", icon=":material/check_circle:")
    if not commentary.may_write(actor, section.key):
        return
    if meeting.meets_on < dt.date.today():
        # With no meeting to come, the box is the last one's: say so, or a note about what
        # moved since it would be filed (and printed) as that meeting's (the early walk of
        # issue 17).
        st.warning(HELD.format(day=format_date(meeting.meets_on)), icon=":material/history:")
    key = f"commentary-{meeting.id}-{section.key}"
    with st.form(key, border=False):
        text = st.text_area(
            f"Commentary on {section.title}",
            value=comment.text if comment else "",
            max_chars=NOTE_LIMIT,
            help="What moved and why, and what the board is asked to note. Shown as plain text.",
            key=f"{key}-text",
        )
        if st.form_submit_button("Save"):
            _save(meeting, section, text)


def reasons(meeting: BoardMeeting, section, *, alone=False) -> None:
    """Show the reasons officers gave for uploads that moved the section's figures past a
    threshold since the meeting before, as text: part of the section's commentary. alone:
    read only the section's workstreams' changes (elsewhere every section's are read once)."""
    if not common.query(thresholds.any_given, workstreams=section.workstreams):
        return
    before = meetings.last_meeting(engine=common.engine(), on=meeting.meets_on)
    # The comparison the section's screen shows, read from the same cache; for the first
    # meeting, everything before it (a reason given before any meeting was lost).
    start = before.meets_on if before else meetings.EARLIEST
    only = section.workstreams if alone else None
    report = common.query(since.since, start=start, end=meeting.meets_on, workstreams=only)
    given = thresholds.reasons_in(report, section.key)
    with st.container(key=f"reasons-{section.key}"):
        for line in given:
            st.text(line)


def page_section(page_file: str):
    """Return the section whose page this file is."""
    name = Path(page_file).name
    return next(s for s in registry.SECTIONS if s.page and s.page.file == name)


def for_page(page_file: str) -> None:
    """Show the commentary on the section whose page this is, for a chosen meeting."""
    section = page_section(page_file)
    register = meetings.meetings(engine=common.engine())
    st.divider()
    st.subheader("Commentary for the board")
    if not register:
        st.info(
            "No board meeting is registered yet: commentary is written for a meeting.",
            icon=":material/event:",
        )
        return
    by_id = {m.id: m for m in register}
    chosen = meeting_to_write_for(register)
    picked = st.selectbox(
        "Meeting",
        list(reversed(by_id)),
        index=list(reversed(by_id)).index(chosen.id),
        format_func=lambda i: by_id[i].label,
        key=PAGE_MEETING,
        width=480,
    )
    meeting = by_id[picked]
    comment = comments_for(meeting).get(section.key)
    box(common.current_actor(), meeting, section, comment, alone=True)
