"""The History and the audit log in Chromium show what the board pages show: councils by name,
money in pounds, blanks as nothing, and local dates and times; the log filters by person."""

import re

from tests.browser.conftest import screenshot
from tests.browser.test_pages import open_from_navigation

WAIT = 30_000
GSS = re.compile(r"^[EWSN]\d{8}$")


def grid_cells(page, nth: int = -1) -> list[str]:
    """Return the text of the cells a table shows (its grid keeps them for screen readers)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=WAIT
    )
    tables = page.get_by_test_id("stDataFrame")
    expect(tables.nth(nth).locator("td, [role='gridcell']").first).to_be_attached(timeout=WAIT)
    return tables.nth(nth).evaluate(
        """(table) => [...table.querySelectorAll('td, [role="gridcell"]')]
            .map(cell => cell.innerText.trim())"""
    )


def test_what_an_upload_changed_shows_council_names_pounds_and_blanks(admin_page):
    from playwright.sync_api import expect

    page = admin_page
    open_from_navigation(page, "History")
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible(timeout=WAIT)
    page.get_by_label("Choose an upload").click()
    page.get_by_role("option", name=re.compile("^Shared Services Map version 1")).click()
    expect(page.get_by_role("heading", name="What it changed")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("tab", name="Added")).to_be_visible(timeout=WAIT)
    cells = grid_cells(page)
    screenshot(page, "history-what-it-changed")
    assert cells, "the Added table shows no cells"
    assert [c for c in cells if GSS.match(c) or c == "None"] == []
    assert any(c.endswith("Council") for c in cells)
    # The grid draws only the columns in view, so money is checked where it is drawn.
    assert not any(re.fullmatch(r"\d{5,}(\.\d+)?", c) for c in cells)


def test_the_audit_log_shows_local_times_and_filters_by_person(admin_page):
    from playwright.sync_api import expect

    page = admin_page
    open_from_navigation(page, "Audit log")
    expect(page.get_by_role("heading", name="Audit log", exact=True)).to_be_visible(timeout=WAIT)
    cells = grid_cells(page)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d:\d\d", cells[0]), cells[:5]
    assert not any(re.search(r"\d{4}-\d\d-\d\dT\d\d", c) for c in cells)
    page.get_by_label("Person").click()
    page.get_by_role("option", name="admin@example.gov.uk", exact=True).click()
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=WAIT)
    page.wait_for_function(
        """() => { const cells = [...document.querySelectorAll(
            '[data-testid="stDataFrame"] table td, [data-testid="stDataFrame"] [role="gridcell"]')];
            return cells.length && cells.filter((c, i) => i % 5 === 1)
                .every(c => c.innerText.trim() === 'admin@example.gov.uk'); }""",
        timeout=WAIT,
    )
    screenshot(page, "audit-log-filtered")
