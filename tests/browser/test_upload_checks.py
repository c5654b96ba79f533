"""What an officer is told on the Upload page before anything is stored, in a real browser.

A file that would remove current rows says so on the first view, with the count and the
waves, and its store button names the removal; a file chosen as the wrong workstream says
which it looks like and offers to check it as that; plain text named .xlsx is not a
spreadsheet; the size limit the browser enforces is the one the page states. Screenshots:
upload-removes-rows, upload-wrong-workstream, upload-text-file, upload-limit.
"""

import re

import pytest

from lgadata.bootstrap import SAMPLES_DIR
from tests.browser import test_upload_flow as flow
from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.workbooks import make_xlsx

flow_server = flow.flow_server  # a server of its own with the samples, shared rather than copied


@pytest.fixture
def officer(browser, flow_server):
    """The Upload page, signed in as an officer, on a server of its own that it may change."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    sign_in(page, flow_server, "officer")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Upload").click()
    yield page
    context.close()


def drop(page, path) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))


def test_a_file_that_would_remove_current_rows_says_so_first_and_its_button_names_it(
    officer, tmp_path
):
    from playwright.sync_api import expect

    budget = [
        ["financial_year", "line", "category", "budget_gbp"],
        ["2014/15", "Events", "Other", 9],
    ]
    councils = [["council", "wave", "status"]] + [
        [name, 4, "Under way"] for name in ("Stroud", "Cotswold", "Gloucester")
    ]
    path = tmp_path / "cap 2014-15.xlsx"
    path.write_bytes(make_xlsx({"Budget": budget, "Councils": councils}))
    drop(officer, path)
    warning = officer.get_by_text(
        "Storing this file would remove 12 current rows: 12 rows of Councils (wave 4)."
    )
    expect(warning).to_be_visible(timeout=30_000)
    expect(warning).to_be_in_viewport()  # the first view, not the fourth tab
    screenshot(officer, "upload-removes-rows")
    assert axe_violations(officer) == []
    store = officer.get_by_role(
        "button",
        name="Store as version 2 of the Capital and Assets Programme and remove 12 current rows",
    )
    store.scroll_into_view_if_needed()
    expect(store).to_be_enabled()
    store.click()
    expect(officer.get_by_text(re.compile(r"Stored as version 2"))).to_be_visible(timeout=30_000)
    officer.get_by_role("link", name="See the Capital and Assets Programme").click()
    expect(officer.get_by_text("Wave 4").first).to_be_visible(timeout=30_000)


def test_a_file_chosen_as_the_wrong_workstream_says_which_it_looks_like_and_checks_it_as_that(
    officer,
):
    from playwright.sync_api import expect

    officer.get_by_test_id("stSelectbox").filter(has_text="Workstream").click()
    officer.get_by_role("option", name="Housing Tenancy Fraud Pilot").click()
    drop(officer, SAMPLES_DIR / "capital_assets.xlsx")
    told = officer.get_by_text(
        "capital_assets.xlsx does not look like a Housing Tenancy Fraud Pilot workbook: it "
        "looks like a Capital and Assets Programme workbook (sheet Budget, 5 of 5 columns; "
        "sheet Councils, 6 of 6 columns)."
    )
    expect(told).to_be_visible(timeout=30_000)
    expect(officer.get_by_role("button", name=re.compile("^Store as version"))).to_have_count(0)
    screenshot(officer, "upload-wrong-workstream")
    assert axe_violations(officer) == []
    officer.get_by_role("button", name="Check it as the Capital and Assets Programme").click()
    expect(officer.get_by_role("button", name=re.compile("^Store as version"))).to_be_enabled(
        timeout=30_000
    )
    expect(told).to_have_count(0)
    # The samples are stored already, so the notice says the earlier upload is current.
    expect(officer.get_by_text("This exact file was uploaded before: version 1")).to_contain_text(
        "It is the current data."
    )
    expect(officer.get_by_role("combobox", name="Workstream")).to_have_value(
        "Capital and Assets Programme"
    )


def test_plain_text_named_xlsx_is_called_not_a_spreadsheet(officer, tmp_path):
    from playwright.sync_api import expect

    path = tmp_path / "figures.xlsx"
    path.write_bytes(b"Dear colleague,\nthe figures are attached.\nThanks\n")
    drop(officer, path)
    expect(officer.get_by_text("figures.xlsx is plain text, not a spreadsheet")).to_be_visible(
        timeout=30_000
    )
    expect(officer.get_by_text("Required column")).to_have_count(0)
    screenshot(officer, "upload-text-file")


def test_the_limit_the_browser_enforces_is_the_one_the_page_states(officer):
    from playwright.sync_api import expect

    expect(officer.get_by_test_id("stFileUploaderDropzoneInstructions")).to_contain_text(
        "25MB per file", timeout=30_000
    )
    officer.get_by_test_id("stFileUploader").get_by_test_id("stTooltipHoverTarget").hover()
    expect(officer.get_by_text("Up to 25 MB (25,000,000 bytes).")).to_be_visible()
    officer.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": b"x" * (25_000_000 + 1)}]
    )
    expect(officer.get_by_text("File must be 25.0MB or smaller.")).to_be_visible(timeout=30_000)
    screenshot(officer, "upload-limit")
