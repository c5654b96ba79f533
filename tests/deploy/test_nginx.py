"""deploy/nginx.conf as shipped, in front of two dashboard processes: nginx's own check,
sign-in and figures through it, a Streamlit session kept on one process, its upload limit
and the health check."""

import difflib
import http.client
import re
import subprocess
import urllib.request
from urllib.parse import urlsplit

import pytest

from lgadata.web import guard
from tests.deploy.conftest import (
    CONFIG,
    NGINX,
    NO_NGINX,
    ROUTE,
    TOO_LARGE,
    Answer,
    assert_security_headers,
    nginx_command,
    render,
    sign_in,
)

needs_nginx = pytest.mark.skipif(NGINX is None, reason=NO_NGINX)


@needs_nginx
def test_the_shipped_config_passes_nginxs_own_check(tmp_path):
    tmp_path.chmod(0o755)  # nginx's workers may run as nobody
    result = subprocess.run(
        nginx_command(tmp_path, CONFIG, "-t"), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_tests_change_only_the_listen_port_and_the_processes():
    shipped = CONFIG.read_text(encoding="utf-8")
    rendered = render(shipped, listen=9000, upstreams=[9001, 9002, 9003])
    changed = [
        f"{line[0]} {line[2:].strip()}"
        for line in difflib.ndiff(shipped.splitlines(), rendered.splitlines())
        if line[:1] in "+-"
    ]
    assert sorted(changed) == [
        "+ listen 127.0.0.1:9000;",
        "+ server 127.0.0.1:9001;",
        "+ server 127.0.0.1:9002;",
        "+ server 127.0.0.1:9003;",
        "- listen 80;",
        "- server 127.0.0.1:8501;",
        "- server 127.0.0.1:8502;",
    ]


HEADER_MAP = re.compile(r'map \$upstream_http_(\w+) \$(\w+) \{\s*"" "([^"]*)";\s*default "";\s*\}')
HSTS_MAP = re.compile(
    r'map "\$https:\$upstream_http_strict_transport_security" \$(\w+) '
    r'\{\s*"on:" "([^"]*)";\s*default "";\s*\}'
)
ADD_HEADER = re.compile(r"^[ \t]*add_header ([\w-]+) \$(\w+) always;$", re.M)


def test_nginx_sends_the_apps_own_security_headers_on_every_response_that_has_none():
    config = CONFIG.read_text(encoding="utf-8")
    maps = {name.replace("_", "-"): (var, value) for name, var, value in HEADER_MAP.findall(config)}
    assert {name: value for name, (_, value) in maps.items()} == guard.HEADERS
    [(hsts_variable, hsts)] = HSTS_MAP.findall(config)
    assert hsts == guard.HSTS
    added = {name.lower(): var for name, var in ADD_HEADER.findall(config) if name != "Set-Cookie"}
    assert added == {name: var for name, (var, _) in maps.items()} | {
        "strict-transport-security": hsts_variable
    }


def routes_set(request) -> list[str]:
    """Return the route cookies a response through nginx sets."""
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read() == b"ok"
        return [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith(ROUTE)]


def test_the_health_check_answers_ok_through_nginx_which_sets_a_route_only_once(cluster):
    [route] = routes_set(f"{cluster.base}/_stcore/health")
    assert re.fullmatch(rf"{ROUTE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax", route)
    # A browser that has a route is not sent one again, so a late answer to an old request
    # cannot undo a newer route; a malformed one is replaced.
    cookie = route.split(";")[0]
    again = urllib.request.Request(f"{cluster.base}/_stcore/health", headers={"Cookie": cookie})
    assert routes_set(again) == []
    forged = urllib.request.Request(
        f"{cluster.base}/_stcore/health", headers={"Cookie": f"{ROUTE}=x; Path=/evil"}
    )
    [replaced] = routes_set(forged)
    assert re.match(rf"{ROUTE}=[0-9a-f]{{32}};", replaced)


def test_a_body_over_the_upload_limit_is_refused_by_nginx_before_any_process(cluster):
    address = urlsplit(cluster.base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    path = "/_stcore/upload_file/some-session/some-file"
    connection.putrequest("PUT", path)
    connection.putheader("Content-Length", str(TOO_LARGE))
    connection.putheader("Content-Type", "application/octet-stream")
    connection.endheaders()
    try:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(TOO_LARGE // len(chunk)):
            connection.send(chunk)
    except OSError:
        pass  # nginx may answer and stop reading before the body is all sent
    response = connection.getresponse()
    answer = Answer(response.status, response.getheaders(), response.read())
    connection.close()
    assert answer.status == 413
    assert b"Request Entity Too Large" in answer.body
    assert_security_headers(answer)  # nginx's own answer carries them too
    # The log names the endpoint, never the session and file in its path.
    assert "some-session" not in (cluster.prefix / "access.log").read_text(encoding="utf-8")
    [logged] = cluster.logged("PUT /_stcore/upload_file ", status="413")
    assert logged["upstream"] == "-"


def test_a_browser_signs_in_through_nginx_sees_the_figures_and_its_session_stays_on_one_process(
    cluster, browser
):
    from playwright.sync_api import expect

    context = cluster.context(browser)  # no route yet: nginx gives one
    page = context.new_page()
    try:
        sign_in(page, cluster.base, "viewer")  # the page's WebSocket goes through nginx
        main = page.get_by_test_id("stMain")
        for figure in ("337", "325", "£278m", "£700,000"):
            expect(main).to_contain_text(figure, timeout=30_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        [route] = [c["value"] for c in context.cookies() if c["name"] == ROUTE]
    finally:
        context.close()
    # nginx logs a WebSocket when it closes, which closing the browser's context does.
    [stream] = cluster.logged("GET /_stcore/stream ", route=route)
    assert stream["status"] == "101"
    assert stream["upstream"] in {cluster.upstream(0), cluster.upstream(1)}
    # What lives in the Streamlit session's process follows the route; the rest (the page,
    # the sign-in form and its post) may be served by either process.
    session_bound = [
        line
        for line in cluster.log()
        if line["route"] == route
        and line["request"].startswith(
            ("GET /_stcore/stream ", "PUT /_stcore/upload_file ", "GET /media/")
        )
    ]
    assert {line["upstream"] for line in session_bound} == {stream["upstream"]}
    assert any(
        line["request"].startswith("POST /account/sign-in ")
        for line in cluster.log()
        if line["route"] == route
    )
