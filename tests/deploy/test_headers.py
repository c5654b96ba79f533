"""Every response through nginx carries the app's security headers once, and a page on
another origin that frames the dashboard is shown nothing of it."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lgadata import tokens
from lgadata.auth import command_line
from lgadata.db import make_engine
from tests.deploy.conftest import (
    USERS,
    assert_security_headers,
    fetch,
    free_port,
    session_cookie,
    sign_in,
)

HTML = {"Accept": "text/html"}
CONTROL = "A page of another origin, framed"


def test_every_response_through_nginx_carries_the_security_headers_once(cluster):
    engine = make_engine(cluster.database_url)
    try:
        token = tokens.issue(
            engine=engine, by=command_line("deploy test"), email=USERS["viewer"], label="deploy"
        )
    finally:
        engine.dispose()
    signed_in = session_cookie(cluster.base, "viewer")
    answers = {
        "a page, signed out": fetch(cluster.base, "/", headers=HTML),
        "a page, signed in": fetch(cluster.base, "/", headers=HTML | {"Cookie": signed_in}),
        "the sign-in form": fetch(cluster.base, "/account/sign-in", headers=HTML),
        "the health check": fetch(cluster.base, "/_stcore/health"),
        "the API": fetch(
            cluster.base, "/api/v1/metrics", headers={"Authorization": f"Bearer {token}"}
        ),
        "the API, refused": fetch(cluster.base, "/api/v1/metrics"),
    }
    statuses = {name: answer.status for name, answer in answers.items()}
    assert statuses == {
        "a page, signed out": 303,
        "a page, signed in": 200,
        "the sign-in form": 200,
        "the health check": 200,
        "the API": 200,
        "the API, refused": 401,
    }
    for answer in answers.values():
        assert_security_headers(answer)


class _Pages(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        body = self.pages.get(self.path, "").encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def _another_origin(pages: dict[str, str]) -> Iterator[str]:
    """Serve these pages from a port of their own, another origin than the dashboard's."""
    handler = type("Pages", (_Pages,), {"pages": pages})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_on_another_origin_that_frames_the_dashboard_gets_nothing(cluster, browser):
    from playwright.sync_api import expect

    context = cluster.context(browser)
    page = context.new_page()
    try:
        # Signed in, so that a frame of the dashboard would show an administrator's pages:
        # the session cookie is SameSite=Lax, and a port of 127.0.0.1 is the same site.
        sign_in(page, cluster.base, "admin")
        with _another_origin({"/control": f"<p>{CONTROL}</p>"}) as control:
            outer = (
                f'<iframe id="control" src="{control}/control"></iframe>'
                f'<iframe id="dashboard" src="{cluster.base}/" width="1200" height="800"></iframe>'
            )
            with _another_origin({"/": outer}) as attacker:
                with (
                    page.expect_response(f"{cluster.base}/") as framed,
                    page.expect_console_message(lambda m: "frame-ancestors" in m.text) as refusal,
                ):
                    page.goto(f"{attacker}/")
                # The control shows that this browser displays a framed page of another
                # origin; the dashboard answered the frame, and the browser refused it.
                expect(page.frame_locator("#control").get_by_text(CONTROL)).to_be_visible()
                assert framed.value.status == 200
                assert "violates the following Content Security Policy" in refusal.value.text
                dashboard = page.frame_locator("#dashboard")
                expect(dashboard.get_by_test_id("stApp")).to_have_count(0)
                expect(dashboard.get_by_text("Signed in as")).to_have_count(0)
                frame = page.locator("#dashboard").element_handle().content_frame()
                assert not frame.url.startswith(cluster.base), frame.url
    finally:
        context.close()
