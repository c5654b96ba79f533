"""Meeting mode for a registered meeting in Chromium: each section's screen with its figures
then and now, its changes and its commentary, and the closing What is due screen, fit the
window at 1920x1080 and at 1280x720, with an officer's Record button in the controls."""

import datetime as dt

import pytest

from lgadata import actions, commentary, meetings
from lgadata.auth import command_line
from lgadata.db import make_engine
from lgadata.sections import registry
from tests.browser.conftest import (
    NO_RELOAD,
    SCREENSHOTS,
    prepare_database,
    sign_in,
    start_server,
)
from tests.browser.test_figures_fit import CLIPPED
from tests.browser.test_meeting_room import BELOW
from tests.browser.test_present import SCREENS, WAIT, heading, settled

CLOSING = ("what-is-due", "What is due", "Actions from the last meeting")
# A commentary as long as an officer might write for a screen, with markup that stays text.
NOTE = (
    "Savings moved because the <b>East</b> of England's **shared** legal service came in; "
    "the board is asked to note the change and the pilots still to report. " * 2
)

# The font size in pixels of each line of text on the screen on show.
TEXT_SIZES = """() => [...document.querySelectorAll(
  '.st-key-present-screen [data-testid="stText"]')].map(
  (e) => parseFloat(getComputedStyle(e).fontSize))"""


@pytest.fixture(scope="module")
def meeting_server(tmp_path_factory):
    """A server over the samples with a meeting before them and one to come, a commentary
    on every section and an action carried from the first."""
    url = f"sqlite:///{tmp_path_factory.mktemp('meeting') / 'dashboard.db'}"
    prepare_database(url)
    engine, by = make_engine(url), command_line("test")
    first, coming = (
        meetings.add_meeting(engine=engine, by=by, meets_on=day, title="Board")
        for day in (dt.date(2020, 1, 1), dt.date.today() + dt.timedelta(days=30))
    )
    for section in registry.board_sections():
        commentary.write_commentary(engine=engine, by=by, meeting_id=coming.id,
                                    section=section.key, text=NOTE)  # fmt: skip
    late = "Chase the <i>late</i> returns"
    actions.record(engine=engine, by=by, meeting_id=first.id, section="ebulletin",
                   kind=actions.Kind.ACTION, text=late, owner="Jo")  # fmt: skip
    engine.dispose()
    base, server = start_server(url, env=NO_RELOAD)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_every_meeting_screen_fits_the_window_with_its_changes_and_commentary(
    browser, meeting_server, size
):
    from playwright.sync_api import expect

    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        sign_in(page, meeting_server, "officer")
        page.goto(f"{meeting_server}/?present=1&every=0")
        problems = {}
        for number, (slug, title, _) in enumerate([*SCREENS, CLOSING], 1):
            expect(heading(page, title)).to_be_visible(timeout=WAIT)
            settled(page)
            expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=WAIT)
            expect(page.get_by_role("button", name="Record")).to_be_visible()
            if number == 1:
                expect(page.get_by_text("Since 1 January 2020")).to_be_visible()
                expect(page.get_by_text(NOTE.strip()[:40])).to_be_visible()
            if slug == CLOSING[0]:
                # The closing screen has room: its lines are read across the room, as large
                # as a section screen's sentences, not at the size of a caption.
                sizes = page.evaluate(TEXT_SIZES)
                assert sizes and min(sizes) >= 0.028 * height, sizes
            found = page.evaluate(BELOW) + page.evaluate(CLIPPED)
            if found:
                problems[slug] = found
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = f"present-meeting-{width}x{height}-{number}-{slug}.png"
            page.screenshot(path=str(SCREENSHOTS / name))
            page.get_by_role("button", name="Next").click()
        assert problems == {}, problems
    finally:
        context.close()
