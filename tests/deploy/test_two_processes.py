"""Two dashboard processes on one PostgreSQL database: an upload through one shows on the
other's open page within 10 seconds; a single sign-on made through one holds on the other,
because both share the cookie secret; a password sign-in holds on either process, because
its session is a row in the database, and signing out through one ends it on the other."""

import re

import pytest
import sqlalchemy as sa

from lgadata import sessions
from lgadata.auth import command_line
from lgadata.db import make_engine
from lgadata.models import Upload
from lgadata.store import rollback
from tests.deploy.conftest import ROUTE, USERS, sign_in
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx

WITHIN = 10_000  # milliseconds: the board sees an upload on another process this soon
# A February 2013 map edition, after the samples' latest (January, 337 councils sharing),
# of two arrangements among five councils. A new edition replaces no stored rows, so
# storing it asks for no confirmation.
NEW_EDITION = [
    ["2013-02-28", "Gloucestershire legal", "Stroud", "Gloucester; Cotswold", "Legal"],
    ["2013-02-28", "North London audit", "Camden", "Islington", "Audit and fraud"],
]


def councils_sharing(page):
    card = page.get_by_test_id("stMetric").filter(has_text="Councils sharing services")
    return card.get_by_test_id("stMetricValue")


def test_an_upload_through_one_process_shows_on_the_others_open_page_within_10_seconds(
    cluster, browser, tmp_path
):
    from playwright.sync_api import expect

    workbook = tmp_path / "map.xlsx"
    rows = [row + ["", "", 1000, "", "Operational"] for row in NEW_EDITION]
    workbook.write_bytes(make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]}))
    # The board's page on the first process's own port; the officer through nginx, pinned
    # to the second process, so that the upload also crosses the proxy.
    board_context = cluster.context(browser)
    officer_context = cluster.context(browser, server=1)
    board, officer = board_context.new_page(), officer_context.new_page()
    stored = False
    try:
        sign_in(board, cluster.servers[0], "viewer")
        expect(councils_sharing(board)).to_have_text("337", timeout=30_000)

        sign_in(officer, cluster.base, "officer")
        officer.get_by_test_id("stSidebarNav").get_by_role("link", name="Upload").click()
        officer.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
        expect(officer.get_by_text("Recognised as Shared Services Map")).to_be_visible(
            timeout=30_000
        )
        # The new edition moves the savings past their threshold: the officer says why.
        reason = officer.get_by_label(re.compile("^Reason the figures moved"))
        reason.fill("Five new arrangements only")
        reason.press("Enter")
        store = officer.get_by_role("button", name=re.compile("^Store as version"))
        expect(store).to_be_enabled(timeout=30_000)
        store.click()
        done = officer.get_by_text(re.compile(r"Stored as version \d+"))
        expect(done).to_be_visible(timeout=30_000)
        stored = True

        expect(councils_sharing(board)).to_have_text("5", timeout=WITHIN)
        expect(board.get_by_test_id("stException")).to_have_count(0)
        [route] = [c["value"] for c in officer_context.cookies() if c["name"] == ROUTE]
    finally:
        board_context.close()
        officer_context.close()
        engine = make_engine(cluster.database_url)
        if stored:  # leave the samples' figures for the other tests on this database
            upload_id = _latest_upload_id(engine)
            rollback(engine=engine, upload_id=upload_id, actor=command_line("deploy test"))
        engine.dispose()
    # The file went to the process that held the officer's session, through nginx.
    uploads = cluster.logged("PUT /_stcore/upload_file ", route=route)
    assert [(u["status"], u["upstream"]) for u in uploads] == [("204", cluster.upstream(1))]


def _latest_upload_id(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(Upload.id))).scalar_one()


# The mock provider runs in this process and uses Authlib APIs that Authlib 1.9 deprecates.
@pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")
def test_a_single_sign_on_through_one_process_holds_on_the_other(cluster, browser):
    from playwright.sync_api import expect

    if not cluster.single_sign_on:
        pytest.skip("oidc-provider-mock is not installed: pip install -r requirements-dev.txt")
    context = cluster.context(browser, server=0)
    page = context.new_page()
    signed_in = page.get_by_text(f"Signed in as {USERS['viewer']} (viewer)")
    try:
        page.goto(cluster.base)
        page.get_by_role("link", name="Sign in with your organisation").click()
        page.get_by_placeholder("sub").fill(USERS["viewer"])
        page.get_by_role("button", name="Authorize").click()
        expect(signed_in).to_be_visible(timeout=30_000)
        first = _route(context)

        # Now send this browser to the other process, as nginx would if the first had gone.
        context.add_cookies([{"name": ROUTE, "value": cluster.route_to(1), "url": cluster.base}])
        page.goto(cluster.base)
        expect(signed_in).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Sign in with your organisation")).to_have_count(0)
        second = _route(context)
    finally:
        context.close()
    # nginx logs a WebSocket when it closes: each page's went to the process it was sent to.
    for route, server in ((first, 0), (second, 1)):
        streams = cluster.logged("GET /_stcore/stream ", route=route)
        assert {(s["status"], s["upstream"]) for s in streams} == {
            ("101", cluster.upstream(server))
        }


def _route(context) -> str:
    [route] = [c["value"] for c in context.cookies() if c["name"] == ROUTE]
    return route


def test_a_password_sign_in_holds_on_the_other_process_and_signing_out_on_one_ends_both(
    cluster, browser
):
    from playwright.sync_api import expect

    # Two browsers holding one sign-in, as two tabs would: each Streamlit session pinned
    # through nginx to its own process.
    first_context = cluster.context(browser, server=0)
    second_context = cluster.context(browser, server=1)
    first, second = first_context.new_page(), second_context.new_page()
    signed_in = f"Signed in as {USERS['officer']} (officer)"
    try:
        sign_in(first, cluster.base, "officer")
        [cookie] = [c for c in first_context.cookies() if c["name"] == sessions.COOKIE]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        second_context.add_cookies([cookie])
        second.goto(cluster.base)
        expect(second.get_by_text(signed_in)).to_be_visible(timeout=30_000)
        expect(second.get_by_role("textbox", name="Password")).to_have_count(0)
        routes = _route(first_context), _route(second_context)

        first.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
        expect(first.get_by_text("You have signed out. Please sign in again.")).to_be_visible(
            timeout=30_000
        )
        # The second browser's next click, on the other process, finds the session ended.
        second.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
        expect(second.get_by_text("You have signed out. Please sign in again.")).to_be_visible(
            timeout=30_000
        )
        expect(second.get_by_text(signed_in)).to_have_count(0)
    finally:
        first_context.close()
        second_context.close()
    # nginx logs a WebSocket when it closes: each browser's was on its own process, and
    # the sign-in was posted through nginx with no stickiness to hold it.
    for route, server in zip(routes, (0, 1), strict=True):
        streams = cluster.logged("GET /_stcore/stream ", route=route)
        assert {(s["status"], s["upstream"]) for s in streams} == {
            ("101", cluster.upstream(server))
        }
    [posted] = cluster.logged("POST /account/sign-in ", route=routes[0])
    assert posted["status"] == "303"
