"""A real browser against a real server: `streamlit run serve.py` driven by Chromium.

The suite runs whenever a Chromium and Playwright are found (CI installs both) and says
why when it skips. Screenshots go to screenshots/ (or LGADATA_SCREENSHOTS).

Every test on `sample_server` (each page with its figures, a screenshot and axe; sign-in by
role) runs on SQLite and, when LGADATA_TEST_POSTGRES_URL is set, again on PostgreSQL, in a
database of its own beside that one (`postgres_database`), because the data-layer tests wipe
the given database between tests (its screenshots replace the SQLite run's, which show
the same figures). Tests that start their own server (live updates, the
upload flow, lock-outs, single sign-on) run on SQLite; an upload in the browser, live updates
and single sign-on on PostgreSQL, across two processes behind nginx, are in tests/deploy/.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from lgadata.auth import Role, command_line, save_user
from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine, normalise_url
from lgadata.settings import REPO_ROOT
from tests.conftest import NO_POSTGRES, POSTGRES_URL, server_connection

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("LGADATA_SCREENSHOTS", REPO_ROOT / "screenshots"))
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until url/_stcore/health answers ok, through whichever server process serves it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{server.args[0]} exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url}/_stcore/health did not answer ok within {timeout:.0f} s")


# Single sign-on settings for .streamlit/secrets.toml, against oidc-provider-mock.
SSO_SECRETS = """\
[auth]
redirect_uri = "{base}/oauth2callback"
cookie_secret = "{cookie_secret}"
client_id = "productivity-dashboard"
client_secret = "{client_secret}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
"""


def start_server(
    database_url: str,
    *,
    env: dict | None = None,
    cwd: Path = REPO_ROOT,
    port: int | None = None,
) -> tuple[str, subprocess.Popen]:
    """Start `streamlit run serve.py` on a port (free unless given); return URL and process."""
    port = port or free_port()
    environment = os.environ | {"LGADATA_DATABASE_URL": database_url} | (env or {})
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO_ROOT / "serve.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        # Streamlit reads .streamlit/config.toml and secrets.toml from its working directory.
        cwd=cwd,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server)
    except Exception:
        server.kill()
        raise
    return url, server


_RUNNING: list = []  # the session's one Playwright


@pytest.fixture(scope="session")
def playwright_api():
    """The Playwright API, or a skip that says what is missing."""
    if CHROMIUM is None:
        pytest.skip("no Chromium found (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # tests/deploy/conftest.py defines this fixture again, by importing it; a second sync
    # Playwright in one process refuses to start, so the second definition shares the first.
    if _RUNNING:
        yield _RUNNING[0]
        return
    with sync_api.sync_playwright() as playwright:
        _RUNNING.append(playwright)
        try:
            yield playwright
        finally:
            _RUNNING.clear()


@pytest.fixture(scope="session")
def browser(playwright_api):
    """Headless Debian Chromium."""
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


# A session-long server must not reload lgadata when a file in the tree is saved meanwhile:
# reimporting its models fails ("Table 'upload' is already defined") and breaks every page.
NO_RELOAD = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
DATABASES = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)),
]


@contextmanager
def postgres_database(suffix: str) -> Iterator[str]:
    """Create a database named after LGADATA_TEST_POSTGRES_URL's plus suffix; drop it after."""
    given = sa.make_url(normalise_url(POSTGRES_URL))
    name = f"{given.database}_{suffix}"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    with server_connection(given) as conn:
        conn.exec_driver_sql(drop)  # left behind by a run that was killed
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield given.set(database=name).render_as_string(hide_password=False)
    finally:
        with server_connection(given) as conn:
            conn.exec_driver_sql(drop)


@pytest.fixture(scope="session")
def browser_postgres_url() -> Iterator[str]:
    """A PostgreSQL database for the browser suite alone, dropped at the end of the session."""
    with postgres_database("browser") as url:
        yield url


@pytest.fixture(scope="session", params=DATABASES)
def sample_server(request, tmp_path_factory, browser):
    """A dashboard server over a new database seeded with the samples, with users: on
    SQLite, and on PostgreSQL when LGADATA_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'dashboard.db'}"
    else:
        url = request.getfixturevalue("browser_postgres_url")
    prepare_database(url)
    base, server = start_server(url, env=NO_RELOAD)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def page(browser):
    """A new 1920x1080 browser page, signed out."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    yield page
    context.close()


USERS = {role: f"{role}@example.gov.uk" for role in ("viewer", "officer", "admin")}
PASSWORD = "browser test password"


def prepare_database(url: str, *, samples: bool = True) -> None:
    """Make the database ready, with the samples and one local user of each role."""
    engine = make_engine(url)
    ensure_database(engine=engine, seed_samples=samples)
    for role, email in USERS.items():
        save_user(
            engine=engine, by=command_line("test"), email=email, role=Role(role), password=PASSWORD
        )
    engine.dispose()


def sign_in(page, base: str, role: str = "admin") -> None:
    """Sign in through the form as the local user with that role."""
    from playwright.sync_api import expect

    page.goto(base)
    page.get_by_role("textbox", name="E-mail address").fill(USERS[role])
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {USERS[role]}")).to_be_visible(timeout=30_000)


@pytest.fixture
def admin_page(page, sample_server):
    """A page signed in as an administrator on the sample server."""
    sign_in(page, sample_server, "admin")
    return page


def wait_for_charts(page) -> None:
    """Wait until every chart on the page has drawn."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
            .every(chart => chart.querySelector('canvas, svg'))""",
        timeout=30_000,
    )


def screenshot(page, name: str) -> Path:
    """Save the 1920x1080 view, and the whole page as <name>-full.png."""
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # A page caught mid-run shows new elements beside stale ones from the previous run.
    # (The sign-in form is the dashboard's own page, not Streamlit's: nothing runs there.)
    if page.get_by_test_id("stApp").count():
        expect(page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning", timeout=30_000
        )
    wait_for_charts(page)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    # Streamlit scrolls inside its main block, so grow the window to the content instead.
    height = page.evaluate(
        "(document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
        " || document.body).scrollHeight"
    )
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": max(height + 160, 1080)})
    wait_for_charts(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-full.png"))
    page.set_viewport_size(viewport)
    return path


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page; return serious and critical WCAG 2.2 AA violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (.ci/run does)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
        })""",
        tags,
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
