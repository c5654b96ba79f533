"""deploy/nginx.conf as shipped, in front of two dashboard processes: nginx's own check,
sign-in and figures through it, sticky sessions, its upload limit and the health check."""

import difflib
import http.client
import re
import subprocess
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.deploy.conftest import CONFIG, NGINX, NO_NGINX, ROUTE, nginx_command, render, sign_in

needs_nginx = pytest.mark.skipif(NGINX is None, reason=NO_NGINX)
TOO_LARGE = 30 * 1024 * 1024  # bytes: over the 25 MiB upload limit


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
    assert response.status == 413
    assert b"Request Entity Too Large" in response.read()
    connection.close()
    [logged] = cluster.logged(f"PUT {path} ")
    assert (logged["status"], logged["upstream"]) == ("413", "-")


def test_a_browser_signs_in_through_nginx_sees_the_figures_and_stays_on_one_process(
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
    [stream] = [line for line in cluster.logged("GET /_stcore/stream ") if line["route"] == route]
    assert stream["status"] == "101"
    served_by = {line["upstream"] for line in cluster.log() if line["route"] == route}
    assert served_by == {stream["upstream"]}
    assert stream["upstream"] in {cluster.upstream(0), cluster.upstream(1)}
