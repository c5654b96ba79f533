"""A fresh install's first page: servers started on an empty database show the samples'
figures to their first visitors, with no error and the samples loaded once. How soon is
measured by benchmarks/first_page.py, not here."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from lgadata.auth import Role, command_line, save_user
from lgadata.db import make_engine
from lgadata.models import Upload
from lgadata.workstreams import WORKSTREAMS
from tests.browser.conftest import (
    NO_RELOAD,
    PASSWORD,
    REPO_ROOT,
    free_port,
    screenshot,
    wait_healthy,
)

# The Overview's cards, from the samples: councils sharing, arrangements, savings, budget.
FIGURES = ["337", "325", "£278m", "£700,000"]
WAIT = 120_000  # milliseconds: generous, the machine running the suite may be loaded


def start_servers(url: str, count: int, env: dict) -> list[tuple[str, subprocess.Popen]]:
    """Start count servers on url at the same moment, then wait until each answers."""
    servers = []
    for _ in range(count):
        port = free_port()
        command = [
            *(sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "serve.py")),
            *("--server.port", str(port), "--server.address", "127.0.0.1"),
            *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
        ]
        environment = {"LGADATA_DATABASE_URL": url, "LGADATA_SEED_SAMPLES": "true"}
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=os.environ | NO_RELOAD | environment | env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers.append((f"http://127.0.0.1:{port}", process))
    try:
        for base, process in servers:
            wait_healthy(base, process, timeout=120)
    except Exception:
        stop(servers)
        raise
    return servers


def stop(servers) -> None:
    for _, process in servers:
        process.terminate()
    for _, process in servers:
        process.wait(timeout=30)


def sample_uploads(url: str) -> list[tuple[str, int]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(Upload.workstream, Upload.version)).all()
    engine.dispose()
    return sorted(found)


def shows_the_figures(page) -> None:
    from playwright.sync_api import expect

    main = page.get_by_test_id("stMain")
    expect(page.get_by_role("heading", name="Productivity Programme")).to_be_visible(timeout=WAIT)
    for figure in FIGURES:
        expect(main).to_contain_text(figure, timeout=WAIT)
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.fixture
def fresh_url(tmp_path) -> str:
    """A SQLite file that does not exist yet: a fresh install."""
    return f"sqlite:///{tmp_path / 'fresh.db'}"


def test_the_first_visitor_of_a_fresh_server_sees_the_samples_figures(page, fresh_url):
    servers = start_servers(fresh_url, 1, {"LGADATA_PUBLIC_VIEW": "true"})
    try:
        page.goto(servers[0][0])
        shows_the_figures(page)
        screenshot(page, "first-page")
    finally:
        stop(servers)
    assert sample_uploads(fresh_url) == sorted((key, 1) for key in WORKSTREAMS)


def test_the_first_administrator_signs_in_to_the_samples_figures(page, fresh_url):
    from playwright.sync_api import expect

    servers = start_servers(fresh_url, 1, {})
    try:
        base = servers[0][0]
        page.goto(base)
        # As the README says: create the first administrator on the server, then sign in.
        engine = make_engine(fresh_url)
        email = "first@example.gov.uk"
        save_user(
            engine=engine, by=command_line("test"), email=email, role=Role.ADMIN, password=PASSWORD
        )
        engine.dispose()
        page.goto(base)
        page.get_by_role("textbox", name="E-mail address").fill(email)
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text(f"Signed in as {email}")).to_be_visible(timeout=WAIT)
        shows_the_figures(page)
    finally:
        stop(servers)


def test_two_servers_started_together_show_their_first_visitors_the_samples_once(
    browser, fresh_url
):
    servers = start_servers(fresh_url, 2, {"LGADATA_PUBLIC_VIEW": "true"})
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in servers]
    try:
        pages = [context.new_page() for context in contexts]
        for page, (base, _) in zip(pages, servers, strict=True):
            page.goto(base, wait_until="commit")
        for page in pages:
            shows_the_figures(page)
    finally:
        for context in contexts:
            context.close()
        stop(servers)
    assert sample_uploads(fresh_url) == sorted((key, 1) for key in WORKSTREAMS)
