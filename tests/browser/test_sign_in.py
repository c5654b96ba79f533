"""Signing in through a real browser, and the fresh-server trap: every page URL requested
first on a new server shows the sign-in screen, never the page."""

import time

import pytest

from lgadata import audit
from lgadata.auth import command_line, unlock
from lgadata.db import make_engine
from lgadata.settings import REPO_ROOT
from tests.browser.conftest import (
    PASSWORD,
    USERS,
    prepare_database,
    screenshot,
    sign_in,
    start_server,
)

PAGE_FILES = sorted(p.stem for p in (REPO_ROOT / "pages").glob("*.py"))


def fill_sign_in(page, email: str, password: str) -> None:
    page.get_by_role("textbox", name="E-mail address").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def own_server(tmp_path):
    """A server over its own database, for tests that lock accounts."""
    url = f"sqlite:///{tmp_path / 'own.db'}"
    prepare_database(url, samples=False)
    base, server = start_server(url)
    yield base, make_engine(url)
    server.terminate()
    server.wait(timeout=10)


def attempt(page, engine, email: str, password: str) -> None:
    """Submit the form and wait until the server has recorded the attempt."""
    before = len(audit.events(engine=engine, action="sign-in"))
    fill_sign_in(page, email, password)
    deadline = time.monotonic() + 15
    while len(audit.events(engine=engine, action="sign-in")) == before:
        assert time.monotonic() < deadline, "the sign-in attempt was not recorded"
        page.wait_for_timeout(100)


def test_a_wrong_password_is_refused_the_right_one_admitted_and_repeats_pause_this_browser(
    own_server, page
):
    from playwright.sync_api import expect

    base, engine = own_server
    page.goto(base)
    attempt(page, engine, USERS["officer"], "not the password")
    expect(page.get_by_text("do not match an account")).to_be_visible(timeout=15_000)
    screenshot(page, "sign-in-refused")
    attempt(page, engine, USERS["officer"], PASSWORD)
    expect(page.get_by_text(f"Signed in as {USERS['officer']}")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Upload")
    expect(page.get_by_test_id("stSidebarNav")).not_to_contain_text("Users")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible(timeout=15_000)
    for _ in range(5):
        attempt(page, engine, USERS["viewer"], "wrong again")
    # From this browser even the right password now gets the one message, as an unknown
    # address would; an administrator's unlock lets the owner in at once.
    attempt(page, engine, USERS["viewer"], PASSWORD)
    expect(page.get_by_text("too many failed attempts from here")).to_be_visible(timeout=15_000)
    unlock(engine=engine, by=command_line("test"), email=USERS["viewer"])
    attempt(page, engine, USERS["viewer"], PASSWORD)
    expect(page.get_by_text(f"Signed in as {USERS['viewer']}")).to_be_visible(timeout=15_000)
    outcomes = [e["outcome"] for e in audit.events(engine=engine, action="sign-in")]
    assert outcomes == ["ok", "locked", *["refused"] * 5, "ok", "refused"]


def test_a_viewer_has_no_upload_page_in_the_navigation(sample_server, page):
    from playwright.sync_api import expect

    sign_in(page, sample_server, "viewer")
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation).to_contain_text("Shared Services")
    for hidden in ("Upload", "History", "Users", "Audit log"):
        expect(navigation).not_to_contain_text(hidden)


@pytest.fixture(scope="module")
def fresh_database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fresh') / 'fresh.db'}"
    prepare_database(url)
    return url


@pytest.mark.parametrize("page_name", PAGE_FILES)
def test_a_page_url_requested_first_on_a_new_server_shows_only_the_sign_in_screen(
    browser, fresh_database, page_name
):
    from playwright.sync_api import expect

    base, server = start_server(fresh_database)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{base}/{page_name}")
        expect(page.get_by_role("textbox", name="Password")).to_be_visible(timeout=30_000)
        body = page.locator("body")
        for secret in ("337", "£278m", "£700,000", "Drag and drop"):
            expect(body).not_to_contain_text(secret)
        if page_name in ("upload", "history", "users", "audit"):
            fill_sign_in(page, USERS["viewer"], PASSWORD)
            expect(page.get_by_text("needs permission")).to_be_visible(timeout=15_000)
            expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
            expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)
