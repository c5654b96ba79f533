"""The newcomer's first page: server start to the Overview's figures on a fresh install.

    python3 benchmarks/first_page.py [--repeat 3] [--postgres SERVER_URL] [--repo PATH]

Starts `streamlit run serve.py` on a new, empty database (a new SQLite file; a new PostgreSQL
database with --postgres) with the samples seeded, opens the Overview in headless Chromium
(LGADATA_PUBLIC_VIEW, since a fresh install has nobody to sign in as) and times from the
server's start to the board's figures on the page. Prints the median wall time against the
5 s target, the time until the server answered, and the processor time the server's
processes spent meanwhile (a figure the other work on the machine does not inflate).
--repo starts another checkout's serve.py, to compare before and after a change.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lgadata.db import normalise_url  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, free_port  # noqa: E402

TARGET_S = 5.0
FIGURE = "£278m"  # the Shared Services card's savings, drawn from the sample map
NOT_PREPARED_S = 120
POSTGRES_NAME = "lgadata_bench_first_page"


def process_seconds(process: psutil.Process) -> float:
    """Return the processor seconds a process and every descendant has used so far."""
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def answered(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def first_page(browser, url: str, repo: Path) -> dict:
    """Start a server on an empty database; return the seconds until it answered, until the
    Overview's figures showed, and the processor seconds its processes used until then."""
    from playwright.sync_api import expect

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "LGADATA_DATABASE_URL": url,
        "LGADATA_SEED_SAMPLES": "true",
        "LGADATA_PUBLIC_VIEW": "true",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    started = time.perf_counter()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", str(repo / "serve.py")),
            *("--server.port", str(port), "--server.address", "127.0.0.1"),
            *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
        ],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process = psutil.Process(server.pid)
    try:
        while not answered(base):
            if server.poll() is not None or time.perf_counter() - started > NOT_PREPARED_S:
                raise RuntimeError(f"the server on {url} did not start")
            time.sleep(0.02)
        up = time.perf_counter() - started
        page.goto(base)
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(FIGURE, timeout=NOT_PREPARED_S * 1000)
        expect(page.get_by_test_id("stMetric").first).to_be_visible()
        shown = time.perf_counter() - started
        cpu = process_seconds(process)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=30)
    return {"answered_s": up, "figures_s": shown, "cpu_s": cpu}


def postgres_database(server_url: str, name: str, *, create: bool = True) -> str:
    """Drop the database on the server, create it afresh unless told not to; return its URL."""
    given = sa.make_url(normalise_url(server_url))
    admin = sa.create_engine(given.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


def measure(*, repeat: int, postgres: str | None = None, repo: Path = REPO) -> dict:
    """Return the median figures over repeat fresh installs, on SQLite and on PostgreSQL."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            targets = [("SQLite", None), *([("PostgreSQL", postgres)] if postgres else [])]
            for name, server_url in targets:
                runs = []
                for _ in range(repeat):
                    with tempfile.TemporaryDirectory() as folder:
                        url = (
                            postgres_database(server_url, POSTGRES_NAME)
                            if server_url
                            else f"sqlite:///{folder}/fresh.db"
                        )
                        runs.append(first_page(browser, url, repo))
                if server_url:
                    postgres_database(server_url, POSTGRES_NAME, create=False)
                results[name] = {
                    key: statistics.median(run[key] for run in runs) for key in runs[0]
                }
        finally:
            browser.close()
    return results


def section(results: dict, *, repeat: int, load: float) -> list[str]:
    """Return the RESULTS.md section for these figures."""
    lines = [
        "### First page on a fresh install",
        "",
        f"`benchmarks/first_page.py`: `streamlit run serve.py` on a new empty database, samples "
        f"seeded, the Overview opened in headless Chromium at once (public view: a fresh "
        f"install has nobody to sign in as); median of {repeat}. Load average "
        f"{load:.1f} on {os.cpu_count()} cores at the start.",
        "",
        "| database | server answers | Overview's figures shown | server processor time "
        "| target < 5 s |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, figures in results.items():
        ok = figures["figures_s"] < TARGET_S
        lines.append(
            f"| {name} | {figures['answered_s']:.2f} s | {figures['figures_s']:.2f} s | "
            f"{figures['cpu_s']:.2f} s | {'met' if ok else '**missed**'} |"
        )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("LGADATA_TEST_POSTGRES_URL"))
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to serve")
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("No Chromium found: apt-get install chromium (.ci/run does).")
    load = os.getloadavg()[0]
    results = measure(repeat=args.repeat, postgres=args.postgres, repo=args.repo)
    print("\n".join(section(results, repeat=args.repeat, load=load)))


if __name__ == "__main__":
    main()
