"""An officer uploads a real .xlsx in the browser, giving the reason its savings moved past
their threshold, and the board's open page changes by itself; the Shared Services page lists
the reason under its chart; a rollback from the History page brings the old figure back."""

import re

import pytest

from tests.browser.conftest import prepare_database, screenshot, sign_in, start_server
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx


@pytest.fixture
def flow_server(tmp_path):
    """A server with the samples and one user of each role, over its own database."""
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    prepare_database(url)
    base, server = start_server(url)
    yield base
    server.terminate()
    server.wait(timeout=10)


REASON = "Only three arrangements reported <b>so far</b>"


def councils_figure(page):
    card = page.get_by_test_id("stMetric").filter(has_text="Councils sharing services")
    return card.get_by_test_id("stMetricValue")


def new_edition(path) -> str:
    """Write a workbook officers might send: the January 2013 map with three arrangements."""
    rows = [
        [
            "2013-01-31",
            "Gloucestershire revenues",
            "Stroud DC",
            "Gloucester City; Cotswold",
            "Revenues and benefits",
            "",
            "",
            "£1.2m",
            "",
            "",
        ],
        [
            "2013-01-31",
            "Hertfordshire legal",
            "Three Rivers DC",
            "Watford BC",
            "Legal",
            "",
            "",
            250000,
            "",
            "",
        ],
        [
            "2013-01-31",
            "Camden ICT",
            "LB Camden",
            "",
            "Back office and ICT",
            "",
            "",
            None,
            "Not yet reported",
            "",
        ],
    ]
    path.write_bytes(make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]}))
    return str(path)


def test_an_upload_in_the_browser_shows_on_an_open_board_page_and_a_rollback_undoes_it(
    browser, flow_server, tmp_path
):
    from playwright.sync_api import expect

    board_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    officer_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    board, officer = board_context.new_page(), officer_context.new_page()
    try:
        sign_in(board, flow_server, "viewer")
        expect(councils_figure(board)).to_have_text("337", timeout=30_000)

        sign_in(officer, flow_server, "officer")
        officer.get_by_test_id("stSidebarNav").get_by_role("link", name="Upload").click()
        officer.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            new_edition(tmp_path / "map.xlsx")
        )
        expect(officer.get_by_text("Recognised as Shared Services Map")).to_be_visible(
            timeout=30_000
        )
        # £278m to £1.45m: more than the 10% the map's savings may move without a reason.
        expect(
            officer.get_by_text(re.compile("Efficiency savings would move from £278m"))
        ).to_be_visible(timeout=30_000)
        screenshot(officer, "upload-preview")
        store = officer.get_by_role("button", name=re.compile("^Store as version"))
        expect(store).to_be_enabled(timeout=30_000)
        store.click()
        expect(officer.get_by_text("Give the reason the figures moved")).to_be_visible(
            timeout=30_000
        )
        officer.get_by_role("textbox", name="Reason the figures moved").fill(REASON)
        screenshot(officer, "upload-reason")
        store.click()
        expect(officer.get_by_text(re.compile(r"Stored as version \d+"))).to_be_visible(
            timeout=30_000
        )

        expect(councils_figure(board)).to_have_text("6", timeout=10_000)
        screenshot(board, "upload-seen-by-the-board")

        officer.get_by_test_id("stSidebarNav").get_by_role("link", name="Shared Services").click()
        officer.locator(".st-key-table-editions-savings").get_by_text("Show as table").click()
        expect(officer.get_by_text("Uploads and board meetings marked on the chart")).to_be_visible(
            timeout=30_000
        )
        # The reason is a cell of the markers' table, as typed: its markup is text.
        officer.wait_for_function(
            """(reason) => [...document.querySelectorAll(
                '[data-testid="stDataFrame"] td, [data-testid="stDataFrame"] [role="gridcell"]')]
                .some(cell => cell.innerText.trim() === reason)""",
            arg=REASON,
            timeout=30_000,
        )
        screenshot(officer, "upload-reason-on-the-chart")

        officer.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
        officer.get_by_test_id("stSelectbox").filter(has_text="Choose an upload").click()
        officer.get_by_role("option", name=re.compile("Shared Services Map version 2")).click()
        officer.get_by_role("button", name=re.compile("Roll back version 2")).click()
        officer.get_by_role("button", name="Confirm rollback").click()
        expect(officer.get_by_text(re.compile("Rolled back version"))).to_be_visible(timeout=30_000)
        expect(councils_figure(board)).to_have_text("337", timeout=10_000)
    finally:
        board_context.close()
        officer_context.close()
