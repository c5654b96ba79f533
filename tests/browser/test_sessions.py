"""Sessions in a real browser: what an attacker and a revoked officer tried, now refused.

Each test reproduces a finding of the security review (issue 13) against a real server:
a revoked officer's next click, a second browser that presents a victim's Streamlit
session id, sign-out in one tab, a reload, a link to a page, and a CSV download.
"""

import csv
import io
import re

import pytest
from websockets.sync.client import connect

from lgadata.auth import Actor, Role, command_line, save_user
from lgadata.db import make_engine
from tests.browser.conftest import (
    PASSWORD,
    USERS,
    axe_violations,
    prepare_database,
    screenshot,
    sign_in,
    start_server,
)
from tests.browser.test_history_values import grid_cells
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store
from ui.routes import ROUTES

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    """A dashboard over a new SQLite database with the samples and one user of each role."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sessions') / 'dashboard.db'}"
    prepare_database(url)
    base, process = start_server(url, env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    yield base, url
    process.terminate()
    process.wait(timeout=10)


def new_page(browser, width=1280, height=720):
    return browser.new_context(viewport={"width": width, "height": height}).new_page()


def sidebar_links(page) -> list[str]:
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=30_000)
    # Each link's text is its icon's name, then its title.
    return [a.inner_text().strip().split("\n")[-1] for a in nav.get_by_role("link").all()]


def test_a_link_opens_its_page_after_sign_in_and_a_reload_keeps_it(server, browser):
    base, _ = server
    page = new_page(browser)
    page.goto(f"{base}/shared_services?present=1&every=10")
    expect(page).to_have_url(re.compile(r"/account/sign-in\?next="))
    page.get_by_role("textbox", name="E-mail address").fill(USERS["viewer"])
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/shared_services?present=1&every=10", timeout=30_000)
    expect(page.get_by_role("heading", name="Shared Services Map")).to_be_visible(timeout=30_000)
    # The first page this new server runs goes through the router: the menu is the
    # viewer's pages by title, never the pages/ folder's file names.
    viewer = Actor(email=USERS["viewer"], role=Role.VIEWER)
    viewer_pages = [r.title for r in ROUTES if viewer.can(r.permission)]
    assert sidebar_links(page) == viewer_pages
    page.reload()
    expect(page.get_by_role("heading", name="Shared Services Map")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(f"Signed in as {USERS['viewer']}")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    page.context.close()


def test_a_page_the_role_may_not_use_says_so_plainly(server, browser):
    base, _ = server
    page = new_page(browser)
    sign_in(page, base, "viewer")
    page.goto(f"{base}/upload")
    expect(page.get_by_text("needs permission to upload")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.locator('a[href^="mailto:"]')).to_have_count(0)  # the address is never a link
    assert page.locator("[data-testid=stFileUploader]").count() == 0
    page.context.close()


def test_a_revoked_officer_loses_the_upload_page_at_the_next_click(server, browser):
    base, url = server
    email = "revoked.officer@example.gov.uk"
    engine = make_engine(url)
    save_user(
        engine=engine, by=command_line("t"), email=email, role=Role.OFFICER, password=PASSWORD
    )
    page = new_page(browser)
    page.goto(base)
    page.get_by_role("textbox", name="E-mail address").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "Upload" in sidebar_links(page)
    save_user(engine=engine, by=command_line("t"), email=email, role=Role.VIEWER)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Capital and Assets").click()
    expect(page.get_by_text(f"Signed in as {email} (viewer)")).to_be_visible(timeout=30_000)
    assert "Upload" not in sidebar_links(page)
    page.goto(f"{base}/upload")
    expect(page.get_by_text("needs permission to upload")).to_be_visible(timeout=30_000)
    engine.dispose()
    page.context.close()


def test_signing_out_in_one_tab_signs_out_the_other_at_its_next_click(server, browser):
    base, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    first, second = context.new_page(), context.new_page()
    sign_in(first, base, "officer")
    second.goto(f"{base}/capital_assets")
    expect(second.get_by_text(f"Signed in as {USERS['officer']}")).to_be_visible(timeout=30_000)
    first.get_by_role("button", name="Sign out").click()
    expect(first.get_by_text("You have signed out.")).to_be_visible(timeout=30_000)
    second.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
    # The tab is sent to the sign-in form, which says why and comes back to Overview after.
    expect(second.get_by_role("textbox", name="Password")).to_be_visible(timeout=30_000)
    expect(second.get_by_text("You have signed out.")).to_be_visible()
    expect(second).to_have_url(re.compile(r"/account/sign-in\?next=%2F(overview)?&ended="))
    expect(second.get_by_text("£278m")).to_have_count(0)
    context.close()


def _session_id(page, base: str) -> str:
    """Open the app in page and return the Streamlit session id its WebSocket was given."""
    found = []

    def on_socket(socket):
        def on_frame(payload):
            if isinstance(payload, bytes):
                msg = ForwardMsg()
                msg.ParseFromString(payload)
                if msg.HasField("new_session"):
                    found.append(msg.new_session.initialize.session_id)

        socket.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    sign_in(page, base, "admin")
    page.wait_for_timeout(500)
    assert found, "no session id seen"
    return found[-1]


def _resume(base: str, session_id: str, page_name: str) -> str:
    """Resume that session from a client with no cookies; return every text it is sent."""
    msg = BackMsg()
    msg.rerun_script.page_name = page_name
    msg.rerun_script.widget_states.SetInParent()
    msg.rerun_script.context_info.url = f"{base}/{page_name}"
    seen = []
    with connect(
        base.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit", "no-token", session_id],
        additional_headers={"Origin": base},
        max_size=None,
        open_timeout=30,
    ) as socket:
        socket.send(msg.SerializeToString())
        for _ in range(400):
            reply = ForwardMsg()
            reply.ParseFromString(socket.recv(timeout=30))
            seen.append(str(reply))
            if reply.HasField("script_finished"):
                break
    return "\n".join(seen)


def test_a_second_browser_presenting_a_victims_session_id_is_shown_the_sign_in(server, browser):
    base, _ = server
    victim = new_page(browser)
    session_id = _session_id(victim, base)
    seen = _resume(base, session_id, "users")
    assert "Sign in with a dashboard account" in seen
    assert "Signed in as" not in seen
    assert "Add a user or change one" not in seen
    victim.context.close()


def test_a_csv_download_of_an_uploaded_formula_is_text(server, browser, tmp_path):
    base, url = server
    engine = make_engine(url)
    hostile = '=HYPERLINK("http://evil.example","Click")'
    row = {
        "as_at": "2013-06-30",
        "arrangement": hostile,
        "lead_council": "Stroud District Council",
        "partner_councils": "Cotswold District Council",
        "category": "Legal",
        "savings_gbp": 100000,
        "status": "Operational",
    }
    # A CSV, as an export would write it: a workbook would store the text as a formula.
    written = io.StringIO()
    csv.writer(written).writerows([ARRANGEMENT_HEADER, [row.get(c) for c in ARRANGEMENT_HEADER]])
    data = written.getvalue().encode("utf-8")
    check_and_store(engine, data, workstream="shared_services", file_name="hostile.csv")
    engine.dispose()
    page = new_page(browser, 1920, 1080)
    sign_in(page, base, "viewer")
    page.goto(f"{base}/shared_services")
    page.get_by_role("tab", name="Arrangements", exact=True).click()
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download as CSV").first.click()
    with open(download.value.path(), encoding="utf-8-sig") as saved:
        text = saved.read()
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert "'" + hostile in cells
    assert hostile not in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    page.context.close()


def test_the_users_page_shows_a_role_change_as_soon_as_it_is_saved(server, browser):
    base, url = server
    engine = make_engine(url)
    email = "role.change@example.gov.uk"
    save_user(engine=engine, by=command_line("t"), email=email, role=Role.VIEWER)
    engine.dispose()
    page = new_page(browser, 1920, 1080)
    sign_in(page, base, "admin")
    page.goto(f"{base}/users")
    form = page.get_by_test_id("stForm").first
    form.get_by_role("textbox", name="E-mail address").fill(email)
    form.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="officer").click()
    form.get_by_role("button", name="Save").click()
    # An address in an alert carries an invisible word joiner before its @, so that the
    # browser never makes it a mailto link.
    shown = email.replace("@", "\u2060@")
    expect(page.get_by_text(f"Saved {shown} as officer.")).to_be_visible(timeout=30_000)
    # The users table above the form (the first table), read from its accessible cells,
    # says officer at once: a row is email, name, role, ...
    cells = grid_cells(page, 0)
    for _ in range(20):
        if cells[cells.index(email) + 2] == "officer":
            break
        page.wait_for_timeout(500)
        cells = grid_cells(page, 0)
    assert cells[cells.index(email) + 2] == "officer", cells
    page.context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (390, 844)])
def test_the_sign_in_form_passes_axe_and_fits_a_phone(server, browser, size):
    base, _ = server
    page = new_page(browser, *size)
    page.goto(f"{base}/account/sign-in?next=%2Fshared_services&ended=idle")
    expect(page.get_by_text("You were signed out after a time without activity.")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    screenshot(page, f"sign-in-form-{size[0]}x{size[1]}")
    page.context.close()
