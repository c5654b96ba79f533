"""Every page in a real browser: no exception, the report's figures, a screenshot, axe clean."""

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in

# (url path, link in the navigation, page heading, figures from the samples it must show)
PAGES = [
    ("", "Overview", "Productivity Programme", ["337", "325", "£278m", "£700,000"]),
    (
        "capital_assets",
        "Capital and Assets",
        "Capital and Assets Programme",
        ["£700,000", "£350,000"],
    ),
    ("shared_services", "Shared Services", "Shared Services Map", ["337", "325", "£278m"]),
    (
        "tenancy_fraud",
        "Tenancy Fraud Pilot",
        "Housing Tenancy Fraud Pilot",
        ["Three Rivers", "Peterborough"],
    ),
    ("procurement", "Procurement", "Procurement", ["Lincolnshire Procurement Partnership"]),
    ("ebulletin", "E-bulletin statistics", "E-bulletin statistics", ["productivity"]),
    ("timeline", "Programme timeline", "Programme timeline", ["Commissioning Academy"]),
]


def open_from_navigation(page, link: str) -> None:
    """Follow a link in the sidebar, as a person would (a reload would start a new session)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()


@pytest.mark.parametrize(
    ("path", "link", "heading", "figures"), PAGES, ids=[p[0] or "overview" for p in PAGES]
)
def test_each_page_shows_its_figures_without_an_error(admin_page, path, link, heading, figures):
    from playwright.sync_api import expect

    page = admin_page
    open_from_navigation(page, link)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=30_000)
    main = page.get_by_test_id("stMain")
    for figure in figures:
        expect(main).to_contain_text(figure, timeout=15_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, path or "overview")
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("", "Overview"),
        ("ebulletin", "E-bulletin statistics"),
        ("shared_services", "Shared Services"),
    ],
)
def test_the_dark_theme_is_readable_and_accessible(sample_server, browser, path, link):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, color_scheme="dark")
    page = context.new_page()
    sign_in(page, sample_server, "viewer")
    try:
        open_from_navigation(page, link)
        expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        screenshot(page, f"dark-{path or 'overview'}")
        violations = axe_violations(page)
        assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]
    finally:
        context.close()
