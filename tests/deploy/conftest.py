"""Two dashboard processes on one PostgreSQL database, behind Debian's nginx.

`cluster` starts two `streamlit run serve.py` processes on free ports (polling every second,
one cookie secret, LGADATA_TRUST_PROXY_HEADERS=true as deploy/nginx.conf asks, single
sign-on against a mock provider when oidc-provider-mock is installed) and nginx with
deploy/nginx.conf in front of them, changed only in its ports. It skips, saying why,
without nginx, Chromium or LGADATA_TEST_POSTGRES_URL.
"""

import http.client
import os
import re
import secrets
import shutil
import ssl
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from lgadata import sessions
from lgadata.settings import REPO_ROOT
from lgadata.web import guard, signin
from tests.browser.conftest import (  # noqa: F401 (fixtures shared with the browser suite)
    NO_RELOAD,
    PASSWORD,
    SSO_SECRETS,
    USERS,
    browser,
    free_port,
    playwright_api,
    postgres_database,
    prepare_database,
    start_server,
    wait_healthy,
)
from tests.conftest import NO_POSTGRES, POSTGRES_URL

NGINX = shutil.which("nginx", path=f"/usr/sbin:/usr/local/sbin:{os.environ.get('PATH', '')}")
NO_NGINX = "nginx is not installed (apt-get install nginx-light; .ci/run installs it)"
CONFIG = REPO_ROOT / "deploy" / "nginx.conf"
ROUTE = "dashboard_route"  # nginx's sticky-session cookie
TOO_LARGE = 30_000_000  # bytes: over nginx's limit, a 25 MB file and its form
UPSTREAMS = re.compile(
    r"^([ \t]*)server 127\.0\.0\.1:\d+;\n(?:[ \t]*server 127\.0\.0\.1:\d+;\n)*", re.M
)
LISTEN = re.compile(r"^([ \t]*)listen \d+;$", re.M)
LOG_LINE = re.compile(
    r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ route=(?P<route>\S+) upstream=(?P<upstream>.*)$'
)


def render(config: str, *, listen: int, upstreams: list[int]) -> str:
    """Return the shipped config with this listen port and these processes, nothing else."""
    text, found = LISTEN.subn(rf"\g<1>listen 127.0.0.1:{listen};", config)
    assert found == 1, "deploy/nginx.conf should have one `listen PORT;` line"
    servers = "".join(rf"\g<1>server 127.0.0.1:{port};" + "\n" for port in upstreams)
    text, found = UPSTREAMS.subn(servers, text)
    assert found == 1, "deploy/nginx.conf should list its processes as `server 127.0.0.1:PORT;`"
    return text


def nginx_command(prefix: Path, config: Path, *extra: str) -> list[str]:
    """Return the command line that runs nginx with every file it writes under prefix."""
    return [
        NGINX,
        "-e",
        "stderr",
        "-p",
        f"{prefix}/",
        "-c",
        str(config),
        "-g",
        f"daemon off; pid {prefix}/nginx.pid; error_log stderr;",
        *extra,
    ]


@contextmanager
def running_nginx(config: str) -> Iterator[tuple[Path, subprocess.Popen]]:
    """Run nginx on this configuration with every file it writes under a new prefix."""
    with ExitStack() as stack:
        # Started as root, nginx's workers run as nobody and must reach their temporary
        # directories, which pytest's own (mode 700) would not let them.
        prefix = Path(tempfile.mkdtemp(prefix="lga-nginx-"))
        stack.callback(shutil.rmtree, prefix, ignore_errors=True)
        prefix.chmod(0o755)
        (prefix / "nginx.conf").write_text(config, encoding="utf-8")
        errors = (prefix / "nginx.stderr").open("wb")
        stack.callback(errors.close)
        nginx = subprocess.Popen(nginx_command(prefix, prefix / "nginx.conf"), stderr=errors)
        stack.callback(stop, nginx)
        yield prefix, nginx


def nginx_said(prefix: Path) -> str:
    """Return what nginx has written to its standard error so far."""
    return (prefix / "nginx.stderr").read_text(encoding="utf-8", errors="replace")


def stop(process: subprocess.Popen) -> None:
    """Ask a process to end; kill it if it has not within 10 seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Cluster:
    """Two processes on one database and nginx in front; `base` is nginx's address."""

    base: str
    servers: list[str]
    database_url: str
    prefix: Path
    single_sign_on: bool
    # How the processes were started, for a test that starts one more like them.
    env: dict = field(default_factory=dict)
    directory: Path | None = None

    def log(self) -> list[dict]:
        """Return nginx's access log, one dict per request."""
        lines = (self.prefix / "access.log").read_text(encoding="utf-8").splitlines()
        return [m.groupdict() for m in map(LOG_LINE.search, lines) if m]

    def upstream(self, server: int) -> str:
        """Return the address nginx's log gives for a process."""
        return f"127.0.0.1:{urlsplit(self.servers[server]).port}"

    def logged(
        self,
        request: str,
        *,
        route: str = "",
        status: str = "",
        upstream: str = "",
        timeout: float = 10,
    ) -> list[dict]:
        """Wait until nginx has logged a request starting with `request` (with this route
        and status, and answered in the end by this upstream, if given); return those."""
        deadline = time.monotonic() + timeout
        while True:
            found = [
                line
                for line in self.log()
                if line["request"].startswith(request)
                and route in ("", line["route"])
                and status in ("", line["status"])
                and line["upstream"].endswith(upstream)
            ]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def route_to(self, server: int) -> str:
        """Return a route cookie that nginx sends to that process, found by asking nginx.

        It asks for a file under /media/, which nginx sends where the route points (a
        session's files live in its process); the process answers 404."""
        for _ in range(99):
            # A new route each time, so that each browser's lines in the log are its own.
            route, probe = secrets.token_hex(16), f"/media/route-probe-{secrets.token_hex(4)}"
            answer = fetch(self.base, probe, headers={"Cookie": f"{ROUTE}={route}"})
            assert answer.status == 404, answer
            [line] = self.logged(f"GET {probe} ")
            assert line["route"] == route, "nginx did not take the route from the cookie"
            if line["upstream"] == self.upstream(server):
                return route
        raise AssertionError(f"no route among 99 reached {self.servers[server]}")

    def context(self, chromium, *, server: int | None = None):
        """Return a new 1920x1080 browser context, pinned through nginx to a process if given."""
        context = chromium.new_context(viewport={"width": 1920, "height": 1080})
        if server is not None:
            context.add_cookies([{"name": ROUTE, "value": self.route_to(server), "url": self.base}])
        return context


@dataclass
class Answer:
    """An HTTP response: its status, every header as sent (repeats kept) and its body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> list[str]:
        """Return every value of a header, in the order sent."""
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def cookie(self, name: str) -> str | None:
        """Return the value of a cookie the response sets, or None."""
        for value in self.header("Set-Cookie"):
            morsel = SimpleCookie(value).get(name)
            if morsel is not None:
                return morsel.value
        return None


def fetch(
    base: str,
    path: str,
    *,
    method: str = "GET",
    headers: dict | None = None,
    body: bytes | None = None,
    source: str = "127.0.0.1",
) -> Answer:
    """Send one request from a loopback address of our choosing, following no redirect."""
    address = urlsplit(base)
    if address.scheme == "https":  # the TLS tests' certificate is their own, unsigned
        connection = http.client.HTTPSConnection(
            address.hostname,
            address.port,
            timeout=30,
            source_address=(source, 0),
            context=ssl._create_unverified_context(),
        )
    else:
        connection = http.client.HTTPConnection(
            address.hostname, address.port, timeout=30, source_address=(source, 0)
        )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def post_sign_in(
    base: str,
    *,
    email: str,
    password: str,
    source: str = "127.0.0.1",
    csrf: bool = True,
    headers: dict | None = None,
) -> Answer:
    """Post the sign-in form as a browser at that address would (with the form's CSRF
    token and cookie, unless csrf is False), with any other headers given."""
    fields = {"next": "/", "email": email, "password": password}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": base} | (
        headers or {}
    )
    if csrf:
        form = fetch(base, signin.SIGN_IN_PATH, source=source)
        assert form.status == 200, form
        token = form.cookie(signin.CSRF_COOKIE)
        fields["csrf"] = token
        headers["Cookie"] = f"{signin.CSRF_COOKIE}={token}"
    body = urlencode(fields).encode()
    return fetch(
        base, signin.SIGN_IN_PATH, method="POST", headers=headers, body=body, source=source
    )


def session_cookie(base: str, role: str, *, source: str = "127.0.0.1") -> str:
    """Sign in over plain HTTP as the local user with that role; return the Cookie header."""
    answer = post_sign_in(base, email=USERS[role], password=PASSWORD, source=source)
    token = answer.cookie(sessions.COOKIE)
    assert answer.status == 303 and token, answer
    return f"{sessions.COOKIE}={token}"


def assert_security_headers(answer: Answer, *, https: bool = False) -> None:
    """Check that a response carries each of the app's security headers once, with the
    app's value, and HSTS once over HTTPS and never over plain HTTP."""
    sent = {name: answer.header(name) for name in guard.HEADERS}
    assert sent == {name: [value] for name, value in guard.HEADERS.items()}, answer.status
    hsts = [guard.HSTS] if https else []
    assert answer.header("Strict-Transport-Security") == hsts, answer.status


# A one-row map edition, after the samples' latest, for choosing on the Upload page.
MAP_EDITION_ROW = [
    "2013-02-28",
    "Kent ICT",
    "Dover",
    "Thanet",
    "ICT",
    "",
    "",
    1000,
    "",
    "Operational",
]


def choose_a_file(page, base: str, directory: Path) -> bytes:
    """Sign in as the officer, choose a one-row map edition on the Upload page and wait
    until it is recognised (nothing is stored); return the file's bytes."""
    from playwright.sync_api import expect

    from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx

    workbook = directory / "map.xlsx"
    workbook.write_bytes(make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, MAP_EDITION_ROW]}))
    sign_in(page, base, "officer")  # by way of /account/sign-in?next=%2F
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Upload").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    expect(page.get_by_text("Recognised as Shared Services Map")).to_be_visible(timeout=30_000)
    return workbook.read_bytes()


def sign_in(page, base: str, role: str) -> None:
    """Sign in with a local account beside the single sign-on button (the browser suite's
    sign_in clicks "Sign in" inexactly, which matches both)."""
    from playwright.sync_api import expect

    page.goto(base)
    page.get_by_role("textbox", name="E-mail address").fill(USERS[role])
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text(f"Signed in as {USERS[role]}")).to_be_visible(timeout=30_000)


@contextmanager
def _identity_provider() -> Iterator[str | None]:
    """Run a mock OpenID provider that knows the viewer, if oidc-provider-mock is installed."""
    try:
        # As in tests/browser/test_single_sign_on.py: Authlib turns its deprecation warnings
        # on as it loads, and the mock imports APIs it deprecates; so load it, then quieten.
        import authlib.deprecate  # noqa: F401

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import oidc_provider_mock
    except ImportError:
        yield None
        return
    # The viewer is in the user table, which gives the role.
    user = oidc_provider_mock.User(sub=USERS["viewer"], claims={"email": USERS["viewer"]})
    with oidc_provider_mock.run_server_in_thread(user_claims=[user]) as server:
        yield f"http://localhost:{server.server_port}"


def _distinct_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        if (port := free_port()) not in ports:
            ports.append(port)
    return ports


@pytest.fixture(scope="session")
def cluster(request, tmp_path_factory) -> Iterator[Cluster]:
    """Two dashboard processes on one new PostgreSQL database, nginx in front of them."""
    request.getfixturevalue("browser")  # skips, saying why, when there is no Chromium
    if NGINX is None:
        pytest.skip(NO_NGINX)
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    with ExitStack() as stack:
        url = stack.enter_context(postgres_database("deploy"))
        prepare_database(url)
        issuer = stack.enter_context(_identity_provider())
        listen, *ports = _distinct_ports(3)
        base = f"http://127.0.0.1:{listen}"
        # One working directory, so both processes read the same secrets.toml.
        directory = tmp_path_factory.mktemp("deploy")
        (directory / ".streamlit").mkdir()
        shutil.copy(REPO_ROOT / ".streamlit" / "config.toml", directory / ".streamlit")
        cookie_secret = secrets.token_urlsafe(32)
        if issuer:
            (directory / ".streamlit" / "secrets.toml").write_text(
                SSO_SECRETS.format(
                    base=base,
                    cookie_secret=cookie_secret,
                    client_secret=secrets.token_urlsafe(16),
                    issuer=issuer,
                ),
                encoding="utf-8",
            )
        env = NO_RELOAD | {
            "LGADATA_POLL_SECONDS": "1",
            "LGADATA_TRUST_PROXY_HEADERS": "true",  # as deploy/nginx.conf says it must be
            "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
        }
        servers = []
        for port in ports:
            server_url, server = start_server(url, env=env, cwd=directory, port=port)
            stack.callback(stop, server)
            servers.append(server_url)

        config = render(CONFIG.read_text(encoding="utf-8"), listen=listen, upstreams=ports)
        prefix, nginx = stack.enter_context(running_nginx(config))
        try:
            wait_healthy(base, nginx, timeout=30)
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}; nginx said:\n{nginx_said(prefix)}") from error
        yield Cluster(
            base, servers, url, prefix, single_sign_on=bool(issuer), env=env, directory=directory
        )
