"""The database stopped under a running dashboard: plain words for everyone, no traceback.

The test starts a PostgreSQL cluster of its own (initdb in a temporary folder, on a free
port), serves the dashboard on it, stops the cluster while people are using it, and
starts it again.
"""

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import (
    PASSWORD,
    USERS,
    free_port,
    prepare_database,
    screenshot,
    sign_in,
    start_server,
)

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

BIN = Path("/usr/lib/postgresql/15/bin")
OUTAGE = "The database cannot be reached just now"
LEAKS = ("Traceback", "OperationalError", "psycopg", "sqlalchemy", "connection refused", "5432")


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """A PostgreSQL server of the test's own, which it can stop and start."""

    def __init__(self, directory: Path):
        self.directory, self.port = directory, free_port()
        self.data = directory / "data"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), *args]),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        subprocess.run(
            _as_postgres(
                [str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.directory}"
        self._ctl("-w", "-o", options, "-l", str(self.directory / "log"), "start")

    def stop(self) -> None:
        self._ctl("-w", "-m", "fast", "stop")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not (BIN / "initdb").exists():
        pytest.fail(f"{BIN / 'initdb'} is missing: install Debian's postgresql-15")
    directory = Path("/tmp") / f"lgadata-outage-{os.getpid()}"
    shutil.rmtree(directory, ignore_errors=True)
    cluster = Cluster(directory)
    cluster.create()
    cluster.start()
    yield cluster
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        cluster.stop()
    shutil.rmtree(directory, ignore_errors=True)


def shown(page) -> str:
    return page.locator("body").inner_text()


def test_with_the_database_stopped_nobody_sees_a_traceback(cluster, browser):
    prepare_database(cluster.url)
    base, server = start_server(cluster.url, env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    member = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    officer = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    try:
        sign_in(member, base, "viewer")
        sign_in(officer, base, "officer")
        officer.goto(f"{base}/history")
        expect(officer.get_by_role("heading", name="History")).to_be_visible(timeout=30_000)
        cluster.stop()

        # A board member clicks to another page.
        member.get_by_test_id("stSidebarNav").get_by_role("link", name="Shared Services").click()
        expect(member.get_by_text(OUTAGE).first).to_be_visible(timeout=60_000)
        screenshot(member, "outage-board-member")
        # An officer's page checks the database again on its own (the live check).
        officer.reload()
        expect(officer.get_by_text(OUTAGE).first).to_be_visible(timeout=60_000)
        # A new visitor signs in.
        visitor = browser.new_context().new_page()
        visitor.goto(base)
        visitor.get_by_role("textbox", name="E-mail address").fill(USERS["admin"])
        visitor.get_by_role("textbox", name="Password").fill(PASSWORD)
        visitor.get_by_role("button", name="Sign in").click()
        expect(visitor.get_by_text(OUTAGE).first).to_be_visible(timeout=30_000)
        for page in (member, officer, visitor):
            text = shown(page)
            assert not [leak for leak in LEAKS if leak.lower() in text.lower()], text[:2000]
        visitor.context.close()

        cluster.start()
        member.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
        expect(member.get_by_text("£278m").first).to_be_visible(timeout=60_000)
        expect(member.get_by_text(f"Signed in as {USERS['viewer']}")).to_be_visible()
    finally:
        member.context.close()
        officer.context.close()
        server.terminate()
        server.wait(timeout=10)
