"""Meeting mode as a presenter uses it: a clicker's keys move between screens, it fills the
screen, everything fits a 1280x720 projector, and each screen says what its figures are as at."""

import datetime as dt

import pytest

from lgadata.values import format_date
from tests.browser.conftest import SCREENSHOTS, axe_violations
from tests.browser.test_figures_fit import CLIPPED
from tests.browser.test_present import SCREENS, WAIT, heading, open_meeting_mode, settled

# What a presenter's clicker or keyboard sends, and where it should take the meeting from
# the screen before (1-based).
KEYS = [
    ("ArrowRight", 2),
    ("PageDown", 3),
    (" ", 4),
    ("ArrowDown", 5),
    ("PageUp", 4),
    ("ArrowLeft", 3),
    ("ArrowUp", 2),
]
PROJECTOR = {"width": 1280, "height": 720}

# Whatever of the app reaches below the window or needs scrolling to be seen.
BELOW = """() => {
    const bottom = document.documentElement.clientHeight;
    const out = [];
    const main = document.querySelector('[data-testid="stMain"]');
    if (main.scrollHeight > main.clientHeight + 1) out.push(`main scrolls ${main.scrollHeight}`);
    for (const e of document.querySelectorAll(
        'button, [data-testid="stNumberInput"], [data-testid="stProgress"], '
        + '.st-key-present-source, [data-testid="stMetric"], [data-testid="stVegaLiteChart"]')) {
        const box = e.getBoundingClientRect();
        if (box.height && box.bottom > bottom + 1) out.push(`${e.innerText || e.className}`);
    }
    for (const label of document.querySelectorAll('button [data-testid="stMarkdownContainer"]')) {
        if (label.scrollWidth > label.clientWidth + 1) out.push(`cut short: ${label.innerText}`);
    }
    return out;
}"""


def screen_number(page) -> str:
    return page.get_by_test_id("stProgress").inner_text()


def test_a_clickers_keys_move_between_screens(page, sample_server):
    from playwright.sync_api import expect

    open_meeting_mode(page, sample_server, "every=0")
    # Streamlit loads a button's code on first use and shows a placeholder meanwhile: a key
    # pressed before the controls are there has nothing to press.
    expect(page.get_by_role("button", name="Next")).to_be_visible(timeout=WAIT)
    for key, number in KEYS:
        settled(page)
        page.keyboard.press(key)
        expect(heading(page, SCREENS[number - 1][1])).to_be_visible(timeout=WAIT)
        expect(page.get_by_test_id("stProgress")).to_contain_text(
            f"Screen {number} of {len(SCREENS)}"
        )


def test_meeting_mode_offers_full_screen(page, sample_server):
    from playwright.sync_api import expect

    open_meeting_mode(page, sample_server, "every=0")
    settled(page)
    page.get_by_role("button", name="Full screen").click()
    page.wait_for_function("() => document.fullscreenElement !== null", timeout=WAIT)
    expect(page.get_by_role("button", name="Full screen")).to_be_visible()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_screen_fits_a_1280x720_projector(browser, sample_server, theme):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    try:
        open_meeting_mode(page, sample_server, f"every=0&theme={theme}")
        problems = {}
        for number, (slug, title, _) in enumerate(SCREENS, 1):
            expect(heading(page, title)).to_be_visible(timeout=WAIT)
            settled(page)
            # Streamlit shows a placeholder while it loads an element's code the first time.
            expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=WAIT)
            page.wait_for_function(
                """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                    .every(chart => chart.querySelector('canvas, svg'))""",
                timeout=WAIT,
            )
            found = page.evaluate(BELOW) + page.evaluate(CLIPPED)
            if found:
                problems[slug] = found
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"present-1280x720-{theme}-{number}-{slug}.png"))
            if number == 1:
                violations = axe_violations(page)
                assert violations == [], [(v["id"], v["help"]) for v in violations]
            page.get_by_role("button", name="Next").click()
        assert problems == {}
    finally:
        context.close()


def test_each_screen_is_as_at_its_datas_own_period_and_names_its_upload(page, sample_server):
    from playwright.sync_api import expect

    open_meeting_mode(page, sample_server, "every=0")
    source = page.locator(".st-key-present-source")
    expect(source).to_contain_text("Financial year 2013/14")
    today = format_date(dt.date.today())
    text = source.inner_text()
    assert f"As at {today}" not in text, text
    assert "upload #" not in text, text
    assert f"from the upload of {today}" in text and "by sample data" in text, text
    # The moment the figures were read is said apart from the data's own date.
    expect(page.get_by_test_id("stMain")).to_contain_text("Figures read at ")
