"""No board figure is cut off, at any screen size or zoom: WCAG 2.2 1.4.10 Reflow and 1.4.4
Resize text. Cards reflow (fewer to a row, then one) rather than clip a value, delta or label."""

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_pages import PAGES, open_from_navigation

WAIT = 30_000
# (name, CSS viewport): 200% zoom on a 1920x1080 screen lays the page out in 960x540 CSS pixels.
SIZES = [
    ("1920x1080", {"width": 1920, "height": 1080}),
    ("1280x720", {"width": 1280, "height": 720}),
    ("1024x768", {"width": 1024, "height": 768}),
    ("390x844", {"width": 390, "height": 844}),
    ("zoom-200", {"width": 960, "height": 540}),
]

# Every element of every st.metric whose content is wider than its box, or that reaches past
# the window's right edge, with the text it should show.
CLIPPED = """() => {
    const right = document.documentElement.clientWidth;
    const found = [];
    for (const metric of document.querySelectorAll('[data-testid="stMetric"]')) {
        for (const element of [metric, ...metric.querySelectorAll('*')]) {
            if (!(element instanceof HTMLElement) || !element.offsetParent) continue;
            const box = element.getBoundingClientRect();
            if (element.scrollWidth > element.clientWidth + 1 || box.right > right + 1) {
                found.push(`${element.dataset.testid || element.tagName}: ${element.innerText}`);
            }
        }
    }
    return found;
}"""


def figures_clipped(page) -> list[str]:
    """Return what is cut off among the page's figures, once its run has finished."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=WAIT
    )
    # Let the layout settle at the new size before measuring it.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 300)))")
    return page.evaluate(CLIPPED)


def test_no_figure_is_cut_off_at_any_size_or_zoom(admin_page):
    from playwright.sync_api import expect

    page, clipped = admin_page, {}
    for path, link, heading, figures in PAGES:
        page.set_viewport_size(SIZES[0][1])
        open_from_navigation(page, link)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=WAIT)
        expect(page.get_by_test_id("stMain")).to_contain_text(figures[0], timeout=WAIT)
        for name, viewport in SIZES:
            page.set_viewport_size(viewport)
            found = figures_clipped(page)
            if found:
                clipped[f"{path or 'overview'} at {name}"] = found
            if name in ("1280x720", "zoom-200"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"figures-{path or 'overview'}-{name}.png"))
    assert clipped == {}
