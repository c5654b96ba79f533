"""In Chromium: an officer registers a board meeting and writes a section's commentary on the
Overview; a viewer then sees the Overview since that meeting, with the commentary as typed."""

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_board_pack import fresh_server, settled  # noqa: F401 (a fixture)
from tests.browser.test_pages import open_from_navigation

WAIT = 60_000
TYPED = "<b>Savings</b> rose by **£113m** since the last map"
PHONE = {"width": 390, "height": 844}


def test_an_officers_meeting_and_commentary_reach_a_viewer(browser, fresh_server):  # noqa: F811
    from playwright.sync_api import expect

    officer = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    sign_in(officer, fresh_server, "officer")
    open_from_navigation(officer, "Board meetings")
    expect(officer.get_by_role("heading", name="Board meetings", exact=True)).to_be_visible(
        timeout=WAIT
    )
    settled(officer)
    officer.get_by_role("spinbutton", name="day, Date").first.click()
    officer.keyboard.type("20032013")
    officer.get_by_role("textbox", name="Title").first.fill("Improvement and Innovation Board")
    officer.get_by_role("button", name="Register the meeting").click()
    main = officer.get_by_test_id("stMain")
    expect(main).to_contain_text("Registered the meeting on 20 March 2013.", timeout=WAIT)
    settled(officer)
    screenshot(officer, "meetings")

    open_from_navigation(officer, "Overview")
    expect(main).to_contain_text("Since 20 March 2013", timeout=WAIT)
    settled(officer)
    box = officer.get_by_role("textbox", name="Commentary on Shared Services Map")
    box.fill(TYPED)
    form = officer.get_by_test_id("stForm").filter(has=box)
    form.get_by_role("button", name="Save").click()
    expect(main).to_contain_text("Commentary saved.", timeout=WAIT)
    settled(officer)
    officer.context.close()

    for name, viewport in (("overview-since", None), ("overview-since-390x844", PHONE)):
        context = browser.new_context(viewport=viewport or {"width": 1920, "height": 1080})
        viewer = context.new_page()
        sign_in(viewer, fresh_server, "viewer")
        main = viewer.get_by_test_id("stMain")
        expect(main).to_contain_text("Since 20 March 2013", timeout=WAIT)
        expect(main.get_by_text(TYPED, exact=True)).to_be_visible(timeout=WAIT)
        expect(main.locator("b", has_text="Savings")).to_have_count(0)
        expect(main.get_by_text("Written by officer@example.gov.uk")).to_be_visible()
        expect(main.locator('a[href^="mailto:"]')).to_have_count(0)  # addresses never links
        expect(main.get_by_role("textbox", name="Commentary on Shared Services Map")).to_have_count(
            0
        )
        expect(viewer.get_by_test_id("stException")).to_have_count(0)
        screenshot(viewer, name)
        if viewport is None:  # the section's own page carries the same commentary
            open_from_navigation(viewer, "Shared Services")
            expect(main.get_by_text(TYPED, exact=True)).to_be_visible(timeout=WAIT)
            settled(viewer)
            screenshot(viewer, "shared-services-commentary")
        context.close()
