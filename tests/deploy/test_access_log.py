"""nginx's access log records no Streamlit session id, no query string and no cookie, after
a browser has signed in, uploaded a file and visited a page through it."""

import re

from tests.deploy.conftest import ROUTE, choose_a_file

UPLOAD_URL = re.compile(r"/_stcore/upload_file/(?P<session>[^/?]+)/(?P<file>[^/?]+)")


def test_the_access_log_holds_no_session_id_query_or_cookie_after_an_upload_and_a_visit(
    cluster, browser, tmp_path
):
    from playwright.sync_api import expect

    context = cluster.context(browser)
    page = context.new_page()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        choose_a_file(page, cluster.base, tmp_path)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
        expect(page.get_by_text("Every upload and rollback, newest first.")).to_be_visible(
            timeout=30_000
        )
        cookies = {c["name"]: c["value"] for c in context.cookies()}
    finally:
        context.close()  # nginx logs the WebSocket when it closes
    uploads = [m.groupdict() for m in map(UPLOAD_URL.search, requested) if m]
    assert uploads, "the browser sent no file"
    assert any("?next=" in url for url in requested)
    route = cookies.pop(ROUTE)
    assert cluster.logged("GET /_stcore/stream ", route=route)
    lines = [line for line in cluster.log() if line["route"] == route]
    requests = {line["request"].split(" HTTP/")[0] for line in lines}
    assert {"GET /_stcore/stream", "PUT /_stcore/upload_file", "GET /account/sign-in"} <= requests
    assert not [request for request in requests if "?" in request]

    log = (cluster.prefix / "access.log").read_text(encoding="utf-8")
    secrets = {upload["session"] for upload in uploads} | {upload["file"] for upload in uploads}
    secrets |= set(cookies.values())  # the session cookie, Streamlit's XSRF cookie
    assert [secret for secret in secrets if secret and secret in log] == []
