"""deploy/nginx.conf served over HTTPS as its comment says (`listen 443 ssl;` and a
certificate): HSTS on every response, once, and cookies that only travel over HTTPS."""

import subprocess
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from lgadata import sessions
from lgadata.web import signin
from tests.deploy.conftest import (
    CONFIG,
    PASSWORD,
    ROUTE,
    TOO_LARGE,
    USERS,
    assert_security_headers,
    fetch,
    free_port,
    nginx_said,
    post_sign_in,
    render,
    running_nginx,
)


@pytest.fixture(scope="module")
def https_base(cluster, tmp_path_factory) -> Iterator[str]:
    """The cluster's processes behind a second nginx, this one serving HTTPS only."""
    directory = tmp_path_factory.mktemp("tls")
    certificate, key = directory / "certificate.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    listen = free_port()
    ports = [urlsplit(server).port for server in cluster.servers]
    plain = render(CONFIG.read_text(encoding="utf-8"), listen=listen, upstreams=ports)
    listening = f"listen 127.0.0.1:{listen};"
    assert plain.count(listening) == 1
    config = plain.replace(
        listening,
        f"listen 127.0.0.1:{listen} ssl;\n        ssl_certificate {certificate};\n"
        f"        ssl_certificate_key {key};",
    )
    base = f"https://127.0.0.1:{listen}"
    with running_nginx(config) as (prefix, nginx):
        deadline = time.monotonic() + 30
        while True:
            assert nginx.poll() is None, nginx_said(prefix)
            try:
                if fetch(base, "/_stcore/health").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, nginx_said(prefix)
            time.sleep(0.25)
        yield base


def test_over_https_every_response_carries_hsts_once_and_cookies_are_secure(https_base):
    health = fetch(https_base, "/_stcore/health")  # the app's answer: HSTS from the app
    assert_security_headers(health, https=True)
    # nginx's own answer, before any process sees the request: HSTS from nginx.
    too_large = fetch(
        https_base,
        "/_stcore/upload_file/some-session/some-file",
        method="PUT",
        headers={"Content-Length": str(TOO_LARGE)},
    )
    assert too_large.status == 413
    assert_security_headers(too_large, https=True)
    # The processes learn the scheme from nginx's X-Forwarded-Proto.
    form = fetch(https_base, signin.SIGN_IN_PATH)
    assert form.status == 200
    signed_in = post_sign_in(https_base, email=USERS["viewer"], password=PASSWORD)
    assert signed_in.status == 303
    assert_security_headers(signed_in, https=True)
    cookies = {
        cookie.split("=")[0]: cookie.lower()
        for cookie in form.header("Set-Cookie") + signed_in.header("Set-Cookie")
    }
    assert set(cookies) == {ROUTE, signin.CSRF_COOKIE, sessions.COOKIE}
    assert [name for name, cookie in cookies.items() if "; secure" not in cookie] == []
