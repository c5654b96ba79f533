"""The Board meetings page, the Overview since a meeting, and commentary on section pages."""

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from lgadata import actions
from lgadata.auth import command_line
from lgadata.bootstrap import ensure_database
from lgadata.commentary import write_commentary
from lgadata.db import make_engine
from lgadata.meetings import add_meeting, meetings
from lgadata.sections import registry
from lgadata.settings import REPO_ROOT
from tests.pages.conftest import TIMEOUT, as_read, sign_in_as, texts
from tests.test_since import sample_map_with_two_arrangements_in_the_east_of_england
from tests.test_since_dated import BULLETIN_12, WHY
from tests.workbooks import check_and_store
from ui import since
from ui.common import text_width

MARCH, JULY = dt.date(2013, 3, 20), dt.date(2013, 7, 10)
BOARD = "Improvement and Innovation Board"
MARKUP = "**Savings** rose <b>sharply</b> [see](javascript:alert(1))\nSecond line"
SECTION_PAGES = [s for s in registry.SECTIONS if s.page]


def register(database_url, *days, comment: tuple[str, str] | None = None):
    """Register meetings on these days; optionally a commentary (section, text) on the last."""
    engine = make_engine(database_url)
    ensure_database(engine=engine, seed_samples=False)  # the schema; open_page adds the samples
    added = [
        add_meeting(engine=engine, by=command_line("clerk"), meets_on=d, title=BOARD) for d in days
    ]
    if comment:
        section, text = comment
        write_commentary(
            engine=engine,
            by=command_line("clerk"),
            meeting_id=added[-1].id,
            section=section,
            text=text,
        )
    engine.dispose()
    return added


def test_an_officer_registers_a_meeting_and_sees_it_as_the_last_one(open_page, database_url):
    app = open_page("meetings.py", role="officer")
    assert "No meetings are registered yet." in texts(app)
    app.date_input[0].set_value(MARCH)
    app.text_input[0].input(BOARD)
    app.text_input[1].input("Item 4")
    app.button(key="FormSubmitter:meetings-add-Register the meeting").click().run()
    assert not app.exception
    assert "Registered the meeting on 20 March 2013." in [s.value for s in app.success]
    assert [(m.meets_on, m.agenda_item) for m in meetings(engine=make_engine(database_url))] == [
        (MARCH, "Item 4")
    ]
    assert [(m.label, m.value) for m in app.metric] == [
        ("Next meeting", "None registered"),
        ("Last meeting", "20 March 2013"),
    ]
    assert app.dataframe[0].value["title"].tolist() == [BOARD]


def test_the_meeting_title_says_the_paper_addresses_the_board_by_it(open_page):
    # The early walk of issue 17: "This paper updates the <title>" read wrongly for a title
    # that was not the board's name, and the form did not say so.
    app = open_page("meetings.py", role="officer")
    title = next(t for t in app.text_input if t.label == "Title")
    assert "This paper updates the [title]" in title.help
    assert title.placeholder == BOARD


def test_an_officer_changes_and_removes_a_meeting(open_page, database_url):
    register(database_url, MARCH)
    app = open_page("meetings.py", role="officer")
    app.selectbox(key="meetings-chosen").select_index(0).run()
    app.text_input[3].input("Item 7")
    app.button(key="FormSubmitter:meetings-change-Save the changes").click().run()
    engine = make_engine(database_url)
    assert [m.agenda_item for m in meetings(engine=engine)] == ["Item 7"]
    app.selectbox(key="meetings-chosen").select_index(0).run()
    app.toggle(key="meetings-remove").set_value(True).run()
    app.button(key="meetings-confirm").click().run()
    assert meetings(engine=engine) == []
    assert "No meetings are registered yet." in texts(app)


def test_a_viewer_may_not_open_the_board_meetings_page(open_page, database_url):
    open_page(role="viewer")
    # The page's own gate, as when its address is asked for before the router has run.
    app = AppTest.from_file(str(REPO_ROOT / "pages" / "meetings.py"), default_timeout=TIMEOUT)
    sign_in_as(app, database_url, "viewer")
    app.run()
    assert "needs permission to keep the board's meetings" in " ".join(e.value for e in app.error)
    assert not app.text_input


def test_without_a_meeting_the_overview_shows_the_latest_figures(open_page):
    app = open_page()
    assert not app.segmented_control
    assert "Register a board meeting to see here what has changed since it." in texts(app)
    assert "Since" not in " ".join(s.value for s in app.subheader)


def test_with_a_meeting_the_overview_shows_what_changed_since_it(open_page, database_url):
    register(database_url, MARCH)
    app = open_page(role="viewer")
    assert app.segmented_control(key=since.MODE).value == since.SINCE
    shown = texts(app)
    assert f"Since 20 March 2013, {BOARD}, up to now" in shown
    # The upload that brought it, as text (an uploader is an e-mail address, never a link).
    assert any(
        t.value.startswith("3 of these from ebulletin.xlsx, by sample data") for t in app.text
    )
    assert (
        "Improvement and Innovation Board e-bulletin, March 2013 (sent on 21 March 2013) is new"
        in as_read(shown)
    )
    # The samples' map edition of 31 January 2013 was the one the March meeting had.
    assert "Map edition 31 January 2013 is new" not in shown
    assert ("Efficiency savings", "£278m", "no change") in [
        (m.label, m.value, m.delta) for m in app.metric
    ]
    app.segmented_control(key=since.MODE).set_value(since.LATEST).run()
    assert "Since" not in " ".join(s.value for s in app.subheader)


def test_the_overview_says_what_changed_between_two_meetings_before_the_uploads(
    open_page, database_url
):
    """The Done-when of issue 17: meetings on 20 March and 10 July 2013, then a June 2013 map
    edition (crossing a threshold, with its reason) and a bulletin sent in May 2013 loaded."""
    register(database_url, MARCH, JULY)
    engine = make_engine(database_url)
    ensure_database(engine=engine, seed_samples=True)
    june = sample_map_with_two_arrangements_in_the_east_of_england(edition="2013-06-30")
    check_and_store(engine, june, workstream="shared_services", file_name="June.xlsx", reason=WHY)
    check_and_store(engine, BULLETIN_12, workstream="ebulletin", file_name="b12.xlsx")
    engine.dispose()
    app = open_page(role="viewer")
    app.selectbox(key=since.START).set_value(1).run()
    app.selectbox(key=since.END).set_value(2).run()
    shown = as_read(texts(app))
    metrics = [(m.label, m.value, m.delta) for m in app.metric]
    assert ("Efficiency savings", "£279.2m", "was £278m") in metrics
    assert ("Arrangements", "327", "was 325") in metrics
    assert not [m for m in metrics if m[2] == "was none"]
    assert (
        "Map edition 30 June 2013 is new: against map edition 31 January 2013, 2 arrangements "
        "added in the East of England, savings +£1.2m." in shown
    )
    assert "Bulletin 12 (sent on 14 May 2013) is new: 2 links." in shown
    assert any(
        t.value.startswith("Map edition 30 June 2013 from June.xlsx") and t.value.endswith(WHY)
        for t in app.text
    )
    assert shown.count("Nothing reported since 20 March 2013.") == 4


def test_two_meetings_compare_and_a_quiet_window_says_nothing_was_reported(open_page, database_url):
    register(database_url, MARCH, JULY)
    app = open_page(role="viewer")
    assert app.selectbox(key=since.START).value == 2  # the last meeting by default
    app.selectbox(key=since.START).set_value(1).run()
    app.selectbox(key=since.END).set_value(2).run()
    shown = texts(app)
    assert f"Since 20 March 2013, {BOARD}, up to 10 July 2013, {BOARD}" in shown
    # The samples were loaded today, but only their bulletins are dated between the meetings.
    quiet = "Nothing reported since 20 March 2013\\."
    assert shown.count(quiet) == len(registry.board_sections()) - 1
    assert "Improvement and Innovation Board e-bulletin, May 2013 (sent on 23 May 2013)" in as_read(
        shown
    )


def test_commentary_shows_as_the_text_typed_and_a_viewer_cannot_edit_it(open_page, database_url):
    register(database_url, MARCH, dt.date.today(), comment=("shared_services", MARKUP))
    app = open_page(role="viewer")
    # As text (st.text), exactly as typed: never markdown, which would make links.
    assert MARKUP in [t.value for t in app.text]
    assert not [m.value for m in app.markdown if "sharply" in m.value]
    assert "Written by clerk" in texts(app)
    assert not app.text_area


def test_an_officer_writes_the_commentary_on_the_overview(open_page, database_url):
    register(database_url, MARCH)
    app = open_page(role="officer")
    boxes = [t.label for t in app.text_area if t.key and t.key.startswith("commentary-")]
    assert boxes == [f"Commentary on {s.title}" for s in registry.board_sections()]
    box = next(t for t in app.text_area if t.key == "commentary-1-ebulletin-text")
    box.input("Views rose after the June bulletin.")
    app.button(key="FormSubmitter:commentary-1-ebulletin-Save").click().run()
    assert not app.exception
    assert "Views rose after the June bulletin." in [t.value for t in app.text]
    # Plain text, not markdown: Streamlit's markdown would turn the address into a mailto link.
    assert any(t.value.startswith("Written by officer@example.gov.uk") for t in app.text)


def test_the_overview_lists_each_workstreams_return_and_when_the_next_is_due(open_page):
    app = open_page(role="viewer")
    table = next(f.value for f in app.dataframe if "status" in f.value)
    assert set(table["status"]) <= {"not due", "due", "overdue", "no schedule", "none received"}
    assert "sample data" in table["uploaded_by"].tolist()
    assert "shared_services.xlsx" in table["file_name"].tolist()


def test_the_returns_table_puts_status_and_the_next_date_before_the_rest(open_page):
    # On a phone only the first columns show before the table scrolls sideways: the walk of
    # issue 17 found Status and Next due off screen there.
    app = open_page(role="viewer")
    returns = next(f for f in app.dataframe if "status" in f.value)
    assert list(returns.proto.column_order)[:3] == ["title", "status", "next_due"]


def column_widths(frame) -> dict:
    """Return a table's configured column widths, by column."""
    return {key: config.get("width") for key, config in json.loads(frame.proto.columns).items()}


def shows_whole(frame, column: str) -> bool:
    """Say whether a column is set wide enough for its longest text (ui.common.text_width)."""
    width = column_widths(frame)[column]
    longest = max(len(str(text)) for text in frame.value[column])
    return isinstance(width, int) and width >= text_width([" " * longest])


def test_the_returns_table_shows_each_workstreams_title_whole(open_page):
    # The walk of issue 17: "Programme milestones and procu…" at 1920 wide ("medium", 200 px).
    app = open_page(role="viewer")
    returns = next(f for f in app.dataframe if "status" in f.value)
    assert "Programme milestones and procurement" in returns.value["title"].tolist()
    assert shows_whole(returns, "title")


def test_the_register_shows_who_changed_a_meeting_and_when_whole(open_page, database_url):
    # The walk of issue 17: the Last changed column was cut off at 1920 wide.
    register(database_url, MARCH)
    app = open_page("meetings.py", role="officer")
    [table] = app.dataframe
    assert table.value["changed"].str.startswith("clerk, ").all()
    assert shows_whole(table, "changed")


@pytest.mark.parametrize("section", SECTION_PAGES, ids=lambda s: s.key)
def test_each_section_page_shows_its_commentary_and_offers_officers_the_box(
    open_page, database_url, section
):
    register(database_url, MARCH, comment=(section.key, MARKUP))
    viewer = open_page(section.page.file, role="viewer")
    assert MARKUP in [t.value for t in viewer.text]
    assert not [t for t in viewer.text_area if t.key and t.key.startswith("commentary-")]
    officer = open_page(section.page.file, role="officer")
    assert [t.label for t in officer.text_area if t.key.startswith("commentary-")] == [
        f"Commentary on {section.title}"
    ]


@pytest.mark.parametrize("section", SECTION_PAGES, ids=lambda s: s.key)
def test_each_section_page_says_what_changed_since_the_last_meeting(
    open_page, database_url, section
):
    # The issue asks for it "on each section's page"; the early walk of issue 17 found only
    # the commentary there.
    register(database_url, MARCH)
    app = open_page(section.page.file, role="viewer")
    assert any(h.value.startswith("Since ") and "up to now" in h.value for h in app.subheader)
    moved = [m for m in app.metric if m.delta in ("no change",) or str(m.delta).startswith("was ")]
    assert moved, [(m.label, m.delta) for m in app.metric]


def test_commentary_for_a_meeting_already_held_says_so_to_the_officer(open_page, database_url):
    # With no meeting to come the box is the last meeting's (the early walk of issue 17).
    register(database_url, MARCH)
    officer = open_page(role="officer")
    held = [w.value for w in officer.warning if "has been held" in w.value]
    assert held and "20 March 2013" in held[0]
    assert "Board meetings page" in held[0]
    register(database_url, dt.date.today() + dt.timedelta(days=30))
    assert not [w for w in open_page(role="officer").warning if "has been held" in w.value]


def test_a_section_page_without_a_meeting_says_commentary_needs_one(open_page):
    app = open_page(SECTION_PAGES[0].page.file, role="officer")
    assert "No board meeting is registered yet" in texts(app)


def test_with_only_a_meeting_to_come_the_overview_shows_the_latest_figures(open_page, database_url):
    coming = dt.date.today() + dt.timedelta(days=30)
    register(database_url, coming)
    app = open_page(role="viewer")
    assert not app.segmented_control
    assert "The first registered board meeting is on" in texts(app)


def test_a_board_member_reads_on_the_overview_what_the_last_meeting_decided(
    open_page, database_url
):
    # A viewer may not open the Board meetings page, so had no way to see a decision (the
    # early walk of issue 17).
    march, july = register(database_url, MARCH, JULY)
    engine = make_engine(database_url)
    clerk = command_line("clerk")
    actions.record(engine=engine, by=clerk, meeting_id=july.id, section=actions.GENERAL,
                   kind=actions.Kind.DECISION, text=MARKUP)  # fmt: skip
    actions.record(engine=engine, by=clerk, meeting_id=march.id, section=actions.GENERAL,
                   kind=actions.Kind.DECISION, text="An older decision")  # fmt: skip
    engine.dispose()
    app = open_page(role="viewer")
    assert f"Decided at {july.label}" in [h.value for h in app.subheader]
    typed = " ".join(MARKUP.split())
    assert f"Decision on the meeting as a whole: {typed}: recorded" in [t.value for t in app.text]
    assert "An older decision" not in texts(app)


def test_recorded_items_are_listed_under_their_meeting_and_an_officer_marks_one_done(
    open_page, database_url
):
    march, july = register(database_url, MARCH, JULY)
    engine = make_engine(database_url)
    clerk = command_line("clerk")
    action = actions.record(engine=engine, by=clerk, meeting_id=march.id, section="ebulletin",
                            kind=actions.Kind.ACTION, text=MARKUP, owner="Jo")  # fmt: skip
    actions.record(engine=engine, by=clerk, meeting_id=july.id, section=actions.GENERAL,
                   kind=actions.Kind.DECISION, text="Note the report")  # fmt: skip
    app = open_page("meetings.py", role="officer")
    shown = [t.value for t in app.text]
    typed = " ".join(MARKUP.split())  # an action is one line
    assert f"Action on E-bulletin statistics: {typed} (Jo): open" in shown
    assert "Decision on the meeting as a whole: Note the report: recorded" in shown
    assert [e.label for e in app.expander][:2] == [july.label, march.label]
    assert not [m for m in app.markdown if "<b>" in m.value]
    app.selectbox(key=f"meetings-action-{action.id}").set_value(actions.Status.DONE).run()
    assert not app.exception and not app.error
    [kept] = actions.recorded_at(engine=engine, meeting_id=march.id)
    engine.dispose()
    assert kept.status == "done"


def test_the_newest_meeting_with_items_is_open_when_a_later_one_is_registered(
    open_page, database_url
):
    # After a meeting the next one is registered at once: what was recorded must not be
    # folded away under the meeting that has only been registered.
    march, july, _ = register(database_url, MARCH, JULY, dt.date(2013, 10, 2))
    engine = make_engine(database_url)
    for meeting, text in ((july, "Chase"), (march, "Ask")):
        actions.record(engine=engine, by=command_line("clerk"), meeting_id=meeting.id,
                       section="ebulletin", kind="action", text=text, owner="Jo")  # fmt: skip
    engine.dispose()
    app = open_page("meetings.py", role="officer")
    opened = {e.label: e.proto.expanded for e in app.expander}
    assert opened == {july.label: True, march.label: False}


def test_compared_up_to_a_meeting_held_the_returns_are_judged_as_at_that_meeting(
    open_page, database_url
):
    # The walk of issue 17: compared up to 10 July 2013, the table judged the returns today,
    # while the closing screen and the paper for 10 July judged them on its day.
    from lgadata.returns import returns_due

    register(database_url, MARCH, JULY)
    app = open_page(role="viewer")
    app.selectbox(key=since.START).set_value(1).run()
    app.selectbox(key=since.END).set_value(2).run()
    table = next(f.value for f in app.dataframe if "status" in f.value)
    expected = returns_due(engine=make_engine(database_url), on=JULY)
    assert list(table["status"]) == [r.status for r in expected]
    assert "As at the meeting of 10 July 2013, the one compared up to" in texts(app)
    app.selectbox(key=since.END).set_value(since.NOW).run()
    assert any(t.startswith("As at today, ") for t in [c.value for c in app.caption])
