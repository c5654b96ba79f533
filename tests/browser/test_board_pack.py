"""The Overview's board pack in Chromium: on a freshly started server, every first click on a
download delivers a whole file, for each format and each new meeting date."""

import datetime as dt
import io

import pytest

from tests.browser.conftest import (
    NO_RELOAD,
    prepare_database,
    screenshot,
    sign_in,
    start_server,
)

WAIT = 60_000
CLICKS = 10
FORMATS = ["Paper (PDF)", "Paper (Word)", "Figures (Excel)"]


@pytest.fixture
def fresh_server(tmp_path, browser):
    """A server started for this test alone, so no file has been built or cached yet."""
    url = f"sqlite:///{tmp_path / 'dashboard.db'}"
    prepare_database(url)
    base, server = start_server(url, env=NO_RELOAD)
    yield base
    server.terminate()
    server.wait(timeout=10)


def settled(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=WAIT
    )


def choose_date(page, meeting: dt.date) -> None:
    """Type a meeting date and apply it, as a board member would."""
    from playwright.sync_api import expect

    page.get_by_role("spinbutton", name="day, Meeting date").click()
    page.keyboard.type(meeting.strftime("%d%m%Y"))
    page.get_by_role("button", name="Use this date").click()
    expect(page.get_by_test_id("stMain")).to_contain_text(
        f"The files are for the meeting of {meeting.day} {meeting:%B %Y}", timeout=WAIT
    )
    settled(page)


def first_click(page, label: str) -> bytes:
    """Get one file through the panel, preparing it first where the panel asks for that."""
    from playwright.sync_api import expect

    prepare = page.get_by_role("button", name="Prepare the board pack")
    if prepare.count():
        prepare.click()
    button = page.get_by_role("button", name=label)
    expect(button).to_be_enabled(timeout=WAIT)
    with page.expect_download(timeout=WAIT) as caught:
        button.click()
    download = caught.value
    assert download.failure() is None, f"{label}: {download.failure()}"
    return download.path().read_bytes()


def assert_whole(label: str, data: bytes) -> None:
    """Check that a downloaded file opens as what its button says it is."""
    if label == "Paper (PDF)":
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        assert b"/Type /Pages" in data and b"/Count " in data
    elif label == "Paper (Word)":
        import docx

        assert docx.Document(io.BytesIO(data)).paragraphs
    else:
        import openpyxl

        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames


@pytest.mark.parametrize("label", FORMATS)
def test_every_first_click_on_a_download_delivers_a_whole_file(browser, fresh_server, label):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, fresh_server, "viewer")
        settled(page)
        for number in range(CLICKS):
            choose_date(page, dt.date(2013, 3, 1) + dt.timedelta(days=number))
            assert_whole(label, first_click(page, label))
        screenshot(page, f"board-pack-{label.split()[0].lower()}-after")
    finally:
        context.close()


def test_three_board_members_clicking_at_once_each_get_their_paper(browser, fresh_server):
    from playwright.sync_api import expect

    contexts = [
        browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
        for _ in range(3)
    ]
    try:
        pages = [context.new_page() for context in contexts]
        got: dict[int, list] = {number: [] for number in range(len(pages))}
        for number, page in enumerate(pages):
            sign_in(page, fresh_server, "viewer")
            settled(page)
            choose_date(page, dt.date(2013, 3, 20) + dt.timedelta(days=number))
            page.on("download", lambda download, n=number: got[n].append(download))
        for page in pages:  # as near at once as one driver can
            prepare = page.get_by_role("button", name="Prepare the board pack")
            if prepare.count():
                prepare.click()
        for page in pages:
            button = page.get_by_role("button", name="Paper (PDF)")
            expect(button).to_be_enabled(timeout=WAIT)
            button.click()
        for number, page in enumerate(pages):
            download = got[number][0] if got[number] else page.wait_for_event("download")
            assert download.failure() is None, download.failure()
            assert_whole("Paper (PDF)", download.path().read_bytes())
    finally:
        for context in contexts:
            context.close()
