"""Every page in a real browser: no exception, the report's figures, a screenshot, axe clean."""

import pytest

from tests.browser.conftest import axe_violations, screenshot

# (url path, page heading, figures from the sample data that the page must show)
PAGES = [
    ("", "Productivity Programme", ["337", "325", "£278m", "£700,000"]),
    ("capital_assets", "Capital and Assets Programme", ["£700,000", "£350,000"]),
    ("shared_services", "Shared Services Map", ["337", "325", "£278m"]),
    ("tenancy_fraud", "Housing Tenancy Fraud Pilot", ["Three Rivers", "Peterborough"]),
    ("procurement", "Procurement", ["Lincolnshire Procurement Partnership"]),
    ("ebulletin", "E-bulletin statistics", ["productivity"]),
    ("timeline", "Programme timeline", ["Commissioning Academy"]),
]


@pytest.mark.parametrize(
    ("path", "heading", "figures"), PAGES, ids=[p[0] or "overview" for p in PAGES]
)
def test_each_page_shows_its_figures_without_an_error(sample_server, page, path, heading, figures):
    from playwright.sync_api import expect

    page.goto(f"{sample_server}/{path}")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=30_000)
    main = page.get_by_test_id("stMain")
    for figure in figures:
        expect(main).to_contain_text(figure, timeout=15_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, path or "overview")
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]


@pytest.mark.parametrize("path", ["", "ebulletin", "shared_services"])
def test_the_dark_theme_is_readable_and_accessible(sample_server, browser, path):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{sample_server}/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        screenshot(page, f"dark-{path or 'overview'}")
        violations = axe_violations(page)
        assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]
    finally:
        context.close()
