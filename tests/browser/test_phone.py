"""On a phone (390x844) the menu closes once a page is chosen, so the page is not hidden."""

from tests.browser.conftest import SCREENSHOTS, sign_in

PHONE = {"width": 390, "height": 844}
WAIT = 30_000


def test_choosing_a_page_in_the_phone_menu_closes_the_menu(browser, sample_server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, sample_server, "viewer")
        for link, heading in [
            ("Shared Services", "Shared Services Map"),
            ("Overview", "Productivity Programme"),
        ]:
            expect(page.get_by_test_id("stApp")).to_have_attribute(
                "data-test-script-state", "notRunning", timeout=WAIT
            )
            page.get_by_test_id("stExpandSidebarButton").click()
            nav = page.get_by_test_id("stSidebarNav")
            expect(nav).to_be_in_viewport(timeout=WAIT)
            nav.get_by_role("link", name=link, exact=True).click()
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(
                timeout=WAIT
            )
            expect(page.get_by_test_id("stSidebar")).to_have_attribute(
                "data-collapsed", "true", timeout=WAIT
            )
            expect(nav).not_to_be_in_viewport(timeout=WAIT)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(SCREENSHOTS / f"phone-after-choosing-{link.lower().replace(' ', '-')}.png")
            )
    finally:
        context.close()
