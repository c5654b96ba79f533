"""The Overview's "since a meeting" view: each section's figures then and now, the uploads
that changed them, the rows they left changed in words, and the commentary; and the returns
due from each workstream."""

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from lgadata import actions, meetings, queries, returns, since
from lgadata.meetings import BoardMeeting
from lgadata.overview import cards
from lgadata.presentation import recorded_line
from lgadata.sections import registry
from lgadata.values import format_date
from lgadata.workstreams import WORKSTREAMS
from ui import commentary, common
from ui.text import plain

MODE, START, END = "overview-mode", "overview-since", "overview-up-to"
SINCE, LATEST = "Since a meeting", "Latest figures"
NOW = 0  # the "up to" choice that means the figures as they are now
# Status and the next date first: on a phone the table shows only its first column or two
# before it scrolls sideways (the walk of issue 17 found the rest off screen).
RETURNS = {
    "title": st.column_config.TextColumn(
        "Workstream", width=common.text_width(w.title for w in WORKSTREAMS.values())
    ),
    "status": st.column_config.TextColumn("Status", width="small"),
    "next_due": st.column_config.TextColumn("Next due", width="medium"),
    "expected": st.column_config.TextColumn("Expected", width="small"),
    "file_name": st.column_config.TextColumn("Last return", width="medium"),
    "uploaded_by": st.column_config.TextColumn("Sent by", width="medium"),
    "when": st.column_config.TextColumn("When (UK time)", width="medium"),
}


@dataclass(frozen=True)
class Comparison:
    """The two moments compared: a meeting's day, and a later meeting's day or now."""

    start: BoardMeeting
    end: BoardMeeting | None
    notes_for: BoardMeeting  # the meeting whose commentary is shown

    @property
    def words(self) -> str:
        """Return the comparison as a heading says it."""
        to = f"up to {self.end.label}" if self.end else "up to now"
        return f"Since {self.start.label}, {to}"


def choose(register: list[BoardMeeting], today: dt.date) -> Comparison | None:
    """Show the switch between the latest figures and the change since a meeting; return the
    comparison chosen, or None for the latest figures."""
    earlier = [m for m in register if m.meets_on < today]
    if not earlier:
        st.caption(
            f"The first registered board meeting is on {format_date(register[0].meets_on)}: "
            "what has changed since a meeting shows here once one has passed."
            if register
            else "Register a board meeting to see here what has changed since it."
        )
        return None
    mode = st.segmented_control("Show", [SINCE, LATEST], default=SINCE, key=MODE, required=True)
    if mode == LATEST:
        return None
    by_id = {m.id: m for m in register}
    left, right = st.columns(2)
    starts = [m.id for m in reversed(earlier)]
    start = by_id[
        left.selectbox("Since the meeting of", starts, format_func=_label(by_id), key=START)
    ]
    later = [m.id for m in register if start.meets_on < m.meets_on <= today]
    end_id = right.selectbox(
        "Up to", [NOW, *reversed(later)], format_func=_label(by_id, now="Now"), key=END
    )
    end = by_id.get(end_id)
    notes_for = end or commentary.meeting_to_write_for(register, today)
    return Comparison(start=start, end=end, notes_for=notes_for)


def _label(by_id: dict[int, BoardMeeting], now: str = ""):
    return lambda meeting_id: by_id[meeting_id].label if meeting_id in by_id else now


def figures(section_card, rows: list[dict]) -> None:
    """Show a card's figures now, each with what it was at the meeting."""
    mine = [r for r in rows if r["card"] == section_card.title]
    for column, row in zip(st.columns(len(mine) or 1), mine, strict=False):
        then = row["then"] or "none"
        change = f"was {then}" if row["changed"] else "no change"
        column.metric(row["figure"], row["now"] or "none", change, "off", delta_arrow="off")


def _uploads(moved: list[since.WorkstreamSince]) -> None:
    uploads = [u for w in moved for u in w.uploads]
    if not uploads:
        return
    st.markdown("**Uploads that brought these changes**")
    for u in uploads:
        what = f"rollback of version {u.rolls_back}" if u.kind == "rollback" else u.file_name
        why = f"; the reason given: {u.reason}" if u.reason else ""
        # As text: markdown would make the uploader's address a mailto link.
        st.text(f"{u.periods_text[:1].upper()}{u.periods_text[1:]} from {what}, by "
                f"{u.uploaded_by}, {u.when}{why}")  # fmt: skip


def _said(section, moved: since.WorkstreamSince) -> list[str]:
    """Return what a workstream's uploads changed, in words, that belongs to this section.

    A milestone strand is a period of the programme's sheet: its changes belong to the
    sections that report that strand, not to every section drawing on the programme.
    """
    if not moved.changes:
        return list(moved.sentences)
    strands = {strand for s in registry.SECTIONS for strand in s.strands}
    return [
        change.sentence
        for change in moved.changes
        if change.period not in strands or change.period in section.strands
    ]


def changes(section, by_workstream) -> tuple[list[since.WorkstreamSince], dict[str, list[str]]]:
    """Return a section's workstreams' changes, and what they said in words by workstream
    (empty when nothing was reported)."""
    moved = [by_workstream[w] for w in section.workstreams if w in by_workstream]
    said = {w.workstream: _said(section, w) for w in moved if not w.nothing_new}
    return moved, {key: sentences for key, sentences in said.items() if sentences}


def before(register: list[BoardMeeting], meeting: BoardMeeting, today: dt.date):
    """Return the comparison a meeting's screens show: since the meeting before it, up to
    its day once it has passed (up to now before then); None when none came before it."""
    earlier = [m for m in register if m.meets_on < meeting.meets_on]
    if not earlier:
        return None
    end = meeting if meeting.meets_on < today else None
    return Comparison(start=earlier[-1], end=end, notes_for=meeting)


def section_card(
    section, card, comparison: Comparison, rows, by_workstream, comments, actor
) -> None:
    """Show one section since the meeting: figures then and now, uploads, changes, commentary."""
    with st.container(border=True):
        st.subheader(card.title)
        what_changed(section, card, comparison, rows, by_workstream)
        st.page_link(
            f"pages/{card.page}", label=f"Open {card.title}", icon=":material/arrow_forward:"
        )
        if comparison.notes_for:
            commentary.box(
                actor,
                comparison.notes_for,
                section,
                comments.get(section.key),
            )


def what_changed(section, card, comparison: Comparison, rows, by_workstream) -> None:
    """Show a section's figures then and now, the uploads that changed them and the changes."""
    figures(card, rows)
    moved, said = changes(section, by_workstream)
    if not said:
        st.markdown(plain(f"Nothing reported since {format_date(comparison.start.meets_on)}."))
    else:
        _uploads([w for w in moved if w.workstream in said])
        st.markdown("  \n".join(plain(s) for sentences in said.values() for s in sentences))


def for_page(page_file: str) -> None:
    """Show at the foot of a section's page what changed since the last meeting held, as the
    Overview shows it, then the officers' commentary for a meeting."""
    section = commentary.page_section(page_file)
    last = meetings.last_meeting(engine=common.engine(), on=dt.date.today())
    pairs = zip(registry.board_sections(), overview_cards(), strict=True)
    card = next((c for s, c in pairs if s.key == section.key), None)
    if last and card:
        comparison = Comparison(start=last, end=None, notes_for=last)
        st.divider()
        st.subheader(common.unlinked(comparison.words))  # a meeting title is typed text
        # Only this section's workstreams: a page need not read what every bulletin since
        # the meeting changed to show the Capital and Assets Programme's.
        rows, by_workstream = compared(comparison, section.workstreams)
        what_changed(section, card, comparison, rows, by_workstream)
    commentary.for_page(page_file)


def overview_cards() -> list:
    """Return the Overview's cards, one per board section, from the cached figures."""
    return cards(common.query(queries.metrics), common.query(queries.milestones))


def compared(
    comparison: Comparison, workstreams: tuple[str, ...] | None = None
) -> tuple[list[dict], dict[str, since.WorkstreamSince]]:
    """Return the headline figures then and now, and each workstream's changes (all, or
    those named), by key."""
    start, end = comparison.start.meets_on, comparison.end.meets_on if comparison.end else None
    rows = common.query(since.headline_figures, start=start, end=end)
    found = common.query(since.since, start=start, end=end, workstreams=workstreams)
    return rows, {w.workstream: w for w in found}


def sections(comparison: Comparison, pairs) -> None:
    """Show every section's card since the meeting, two to a row; pairs: (section, card)."""
    st.subheader(common.unlinked(comparison.words))  # a meeting title is typed text
    rows, by_workstream = compared(comparison)
    comments = commentary.comments_for(comparison.notes_for) if comparison.notes_for else {}
    actor = common.current_actor()  # read once: who may write the commentary
    for first in range(0, len(pairs), 2):
        for column, (section, card) in zip(st.columns(2), pairs[first : first + 2], strict=False):
            with column:
                section_card(section, card, comparison, rows, by_workstream, comments, actor)


def returns_due(
    register: list[BoardMeeting], today: dt.date, comparison: Comparison | None = None
) -> None:
    """Show each workstream's last return, who sent it, and whether the next is due: today,
    or, when the Overview compares up to a meeting held, as at that meeting, as its closing
    screen and its paper judge them (the walk of issue 17 saw the table judged today beside
    a comparison up to 10 July 2013)."""
    held = comparison.end if comparison and comparison.end else None
    on = held.meets_on if held else today
    # The next meeting: after the one held, else from today on (today's own included).
    first = on + dt.timedelta(days=1) if held else today
    upcoming = next((m for m in register if m.meets_on >= first), None)
    before = upcoming.meets_on if upcoming else None
    st.subheader("Returns due")
    judged = (
        f"As at the meeting of {format_date(on)}, the one compared up to"
        if held
        else f"As at today, {format_date(today)}"
    )
    due = f"; due: falling due by the next meeting, {format_date(before)}" if before else ""
    st.caption(f"{judged}{due}. Judged by the dates the returns' data carry.")
    found = common.query(returns.returns_due, on=on, before=before)
    table = [
        {
            "title": r.title,
            "expected": r.expected,
            "file_name": r.file_name or "none received",
            "uploaded_by": r.uploaded_by,
            "when": r.when,
            "next_due": format_date(r.next_due) if r.next_due else "",
            "status": r.status,
        }
        for r in found
    ]
    st.dataframe(
        table, hide_index=True, width="stretch", column_config=RETURNS, column_order=list(RETURNS)
    )


def decided(register: list[BoardMeeting], today: dt.date) -> None:
    """Show everyone, board members too, what the last meeting held decided and asked for:
    the Board meetings page, where officers keep them, is not a viewer's (the early walk of
    issue 17 found a board member had no way to see what was decided)."""
    held = [m for m in register if m.meets_on < today]
    if not held:
        return
    last = held[-1]
    st.subheader(common.unlinked(f"Decided at {last.label}"))  # a meeting title is typed text
    recorded = actions.recorded_at(engine=common.engine(), meeting_id=last.id)
    if not recorded:
        st.caption("Nothing was recorded at that meeting.")
        return
    for item in recorded:
        st.text(recorded_line(item))  # as text: what was typed is never read as markup


def register_now() -> list[BoardMeeting]:
    """Return the meetings registered now (not cached: a meeting added must show at once)."""
    return meetings.meetings(engine=common.engine())
