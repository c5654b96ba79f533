"""The Shared Services map in Chromium: it draws, a click and the keyboard choose a council."""

import re

import pytest

from tests.browser.conftest import SCREENSHOTS, axe_violations, screenshot, sign_in
from tests.browser.test_pages import open_from_navigation
from ui.council_map import CHOSEN, COUNTIES, LEGEND, MEASURE, NETWORK, REGION, TITLE

CONTROLS = (MEASURE, REGION, NETWORK, COUNTIES)

MAP = '[data-testid="stVegaLiteChart"]:has(svg [aria-label*="Council: Stroud"])'
# The map's words: any drawn in it, its title and its legend, as the page shows them.
WORDS = f"{MAP} svg text, .st-key-{TITLE} h3, .st-key-{LEGEND} li, .st-key-{LEGEND} p"
SMALLEST = 12  # CSS pixels: below it, text is not read at arm's length on a phone


def small_or_cut_words(page) -> list:
    """Return the map's words drawn under SMALLEST CSS pixels high, or cut short."""
    return page.eval_on_selector_all(
        WORDS,
        f"""elements => elements.filter(e => e.textContent.trim()).map(e => {{
            // A word drawn in the SVG is scaled with it: its box says the size it is seen at.
            const seen = e instanceof SVGElement ? e.getBoundingClientRect().height
                : parseFloat(getComputedStyle(e).fontSize);
            const cut = !(e instanceof SVGElement) && e.scrollWidth > e.clientWidth + 1;
            return [e.textContent.trim().slice(0, 60), Math.round(seen * 10) / 10, cut];
        }}).filter(([, seen, cut]) => seen < {SMALLEST} || cut)""",
    )


def open_map(page) -> None:
    from playwright.sync_api import expect

    open_from_navigation(page, "Shared Services")
    expect(page.locator(MAP)).to_be_visible(timeout=60_000)


def test_the_map_draws_a_shape_per_council_with_london_inset(admin_page):
    page = admin_page
    open_map(page)
    counts = page.eval_on_selector_all(
        f"{MAP} g.mark-shape",
        """groups => groups.map(g => g.querySelectorAll("path[aria-label*='Council: ']").length)
            .filter(n => n > 0)""",
    )
    # England's 326 districts and unitaries, and London's 33 again in the inset.
    labels = page.eval_on_selector_all(
        f"{MAP} path[aria-label]",
        "paths => paths.slice(0, 2).map(p => p.getAttribute('aria-label'))",
    )
    assert counts[:2] == [326, 33], labels
    # Each shape is described in words, not by the fields Vega would read out of its shape.
    unread = page.eval_on_selector_all(
        f"{MAP} path[aria-label*='Council: ']",
        "paths => paths.filter(p => /object|geo:/.test(p.getAttribute('aria-label'))).length",
    )
    assert unread == 0, labels
    screenshot(page, "map-1920x1080")


def test_clicking_stroud_shows_its_arrangements(admin_page):
    from playwright.sync_api import expect

    page = admin_page
    open_map(page)
    stroud = page.locator(MAP).locator("path[aria-label*='Council: Stroud;']").first
    stroud.scroll_into_view_if_needed()
    where = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    box = stroud.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # as a person
    expect(page.locator(f".st-key-{CHOSEN}").get_by_text("Stroud, South West")).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )
    # The page stays where the click was: opening the tab of a council's arrangements,
    # Streamlit scrolled it into view, a screen and more away (the walk of issue 18).
    page.wait_for_timeout(1_000)  # Streamlit's scrolling is smooth: give it time to have moved
    moved = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    assert abs(moved - where) < 2, (where, moved)
    screenshot(page, "map-stroud-clicked")


def test_a_council_can_be_chosen_with_the_keyboard_alone(admin_page):
    from playwright.sync_api import expect

    page = admin_page
    open_map(page)
    tab = page.get_by_role("tab", name="A council's arrangements")
    tab.focus()
    page.keyboard.press("Enter")
    box = page.get_by_role("tabpanel").get_by_role("combobox", name="Council")
    box.focus()
    page.keyboard.type("Stroud")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Stroud, South West")).to_be_visible(timeout=30_000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_map_page_passes_axe_in_both_themes(sample_server, browser, scheme):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, color_scheme=scheme)
    page = context.new_page()
    try:
        sign_in(page, sample_server, "viewer")
        open_map(page)
        screenshot(page, f"map-{scheme}")
        violations = axe_violations(page)
        found = [(v["id"], [n["html"][:160] for n in v["nodes"]]) for v in violations]
        assert violations == [], found
    finally:
        context.close()


@pytest.mark.parametrize(
    ("name", "viewport", "scale"),
    [
        ("1280x720", {"width": 1280, "height": 720}, 1),
        ("390x844", {"width": 390, "height": 844}, 1),
        ("200-percent", {"width": 960, "height": 540}, 2),  # 1920x1080 at 200% zoom
    ],
)
def test_the_map_at_other_sizes(sample_server, browser, name, viewport, scale):
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    try:
        sign_in(page, sample_server, "viewer")
        if viewport["width"] < 600:  # a phone's sidebar starts closed: open the page directly
            page.goto(f"{sample_server}/shared_services")
            page.locator(MAP).wait_for(timeout=60_000)
        else:
            open_map(page)
        screenshot(page, f"map-{name}")
        # Its words are read at every size: not drawn in the map, which is scaled down to
        # the window with them (6 px on a phone), nor cut (the walk of issue 18).
        assert small_or_cut_words(page) == []
        # The whole map, London's inset too, is inside the window: scaled down, never cut off.
        edges = page.eval_on_selector(
            f"{MAP} svg.marks",
            """svg => { const box = svg.getBoundingClientRect();
                return [box.left, box.right, document.documentElement.clientWidth]; }""",
        )
        assert edges[0] >= 0 and edges[1] <= edges[2] + 1, edges
        # The first thing after the page's title, on the first screen: the selects above it
        # pushed it under the first screen at 1280x720, two screens down on a phone (the
        # walk of issue 18). Whole at 1280x720; begun, a good part of it seen, on a phone.
        top, bottom, seen = page.eval_on_selector(
            f"{MAP} svg.marks",
            """svg => { const box = svg.getBoundingClientRect();
                return [box.top, box.bottom, innerHeight]; }""",
        )
        if name == "1280x720":
            assert top >= 0 and bottom <= seen, (top, bottom, seen)
        elif name == "390x844":
            assert top >= 0 and top + (bottom - top) / 2 <= seen, (top, bottom, seen)
        # The attribution is a caption under the map: whole, and in text the size of a caption.
        credit = page.get_by_text("Contains Ordnance Survey data © Crown copyright", exact=False)
        size, fits = credit.evaluate(
            """p => [parseFloat(getComputedStyle(p).fontSize),
                p.scrollWidth <= p.clientWidth && p.getBoundingClientRect().right
                    <= document.documentElement.clientWidth + 1]"""
        )
        assert "Martin Chorley" in credit.inner_text() and size >= 12 and fits, (size, fits)
        # Each control's label above the map is whole, not cut to "County …".
        controls = ", ".join(f".st-key-{key}" for key in CONTROLS)
        page.locator(controls).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"map-controls-{name}.png"))
        cut = page.eval_on_selector_all(
            controls,
            """controls => controls.flatMap(c => [...c.querySelectorAll(
                    '[data-testid="stWidgetLabel"], [data-testid="stWidgetLabel"] *')])
                .filter(e => e.textContent.trim() && e.scrollWidth > e.clientWidth + 1)
                .map(e => e.textContent)""",
        )
        assert cut == [], cut
    finally:
        context.close()


def test_greater_manchester_can_be_zoomed_to_with_its_own_figures(admin_page):
    from playwright.sync_api import expect

    page = admin_page
    open_map(page)
    page.get_by_role("combobox", name="Zoom to a region or metropolitan county").click()
    page.get_by_role("option", name="Greater Manchester").click()
    zoomed = page.locator(MAP.replace("Council: Stroud", "Council: Wigan"))
    expect(zoomed.locator("path[aria-label^='Council: ']")).to_have_count(10, timeout=30_000)
    expect(page.get_by_role("heading", name="Greater Manchester", exact=True)).to_be_visible()
    # The map's title is whole and readable ("...: Greater Man..." drawn in it, 16 px scaled).
    title = page.locator(f".st-key-{TITLE} h3")
    expect(title).to_have_text(re.compile(r": Greater Manchester$"))
    assert small_or_cut_words(page) == []
    screenshot(page, "map-greater-manchester")
