"""Time the Shared Services page's script run with its map, and the map's first draw in Chromium.

    python3 benchmarks/map.py [--large-url URL] [--repeat 3] [--no-browser]

Without --large-url, a large SQLite database is built first (benchmarks/large_db.py: 10,000
arrangements, about a minute). Prints, on the large data:

- the page's script run, cold (caches emptied, as after an upload) and warm (a rerun, such
  as a click on the map): processor seconds of this process, target under 0.5 s warm;
- the map alone: building the chart and its Vega-Lite spec, cold and from the cache;
- the map's first draw in Chromium: from following the link to the page until every
  council's shape is in the SVG, target under 2 s; beside it, the processor seconds the
  server spent in that time, which a loaded machine (other work on its two cores) does
  not inflate as it does the wall time.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks.pages import ADMIN, use_database  # noqa: E402
from lgadata import queries  # noqa: E402
from lgadata.charts import council_map  # noqa: E402
from lgadata.councils import load_boundaries  # noqa: E402
from lgadata.db import get_engine  # noqa: E402

PAGE = "pages/shared_services.py"


def page_runs(repeat: int) -> tuple[float, float]:
    """Return the median processor seconds of a cold and of a warm run of the page."""
    cold, warm = [], []
    for _ in range(repeat):
        st.cache_data.clear()
        st.cache_resource.clear()
        app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
        app.user = {"is_logged_in": True, "email": ADMIN, "iat": time.time_ns()}  # signed in afresh
        app.run()
        app.switch_page(PAGE)
        st.cache_data.clear()
        st.cache_resource.clear()
        for times in (cold, warm):
            started = time.process_time()
            app.run()
            times.append(time.process_time() - started)
            if app.exception:
                raise SystemExit(f"{PAGE}: {app.exception[0].value}")
    return statistics.median(cold), statistics.median(warm)


def chart_build() -> tuple[float, float]:
    """Return processor seconds to build the map's spec, and to draw it again from the chart."""
    engine = get_engine()
    as_at = queries.shared_services_editions(engine=engine)[-1]["as_at"]
    figures = queries.shared_services_council_figures(engine=engine, as_at=as_at)
    started = time.process_time()
    frame = council_map.council_frame(figures, measure="arrangements")
    chart = council_map.council_map(
        load_boundaries(), frame, title="Arrangements", measure="arrangements"
    )
    chart.to_dict()
    built = time.process_time() - started
    started = time.process_time()
    chart.to_dict()
    return built, time.process_time() - started


def processor_seconds(pid: int) -> float:
    """Return the processor seconds a process has used so far (user and system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_draw(url: str) -> tuple[float, float]:
    """Return wall seconds from opening the page to the map's last council shape, in Chromium,
    and the server's processor seconds in that time."""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.conftest import (
        CHROMIUM,
        CHROMIUM_FLAGS,
        NO_RELOAD,
        prepare_database,
        sign_in,
        start_server,
    )

    prepare_database(url, samples=False)
    base, server = start_server(url, env=NO_RELOAD)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            sign_in(page, base, "admin")
            expect(page.get_by_test_id("stApp")).to_have_attribute(
                "data-test-script-state", "notRunning", timeout=60_000
            )  # the Overview's run over, so that its time is not counted as the map's
            started, used = time.perf_counter(), processor_seconds(server.pid)
            nav = page.get_by_test_id("stSidebarNav")
            nav.get_by_role("link", name="Shared Services").click()
            shapes = page.locator("svg path[aria-label*='Council: ']")
            expect(shapes.nth(325)).to_be_attached(timeout=60_000)
            drawn = time.perf_counter() - started
            used = processor_seconds(server.pid) - used
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return drawn, used


def load_average() -> str:
    """Return the machine's load, to read the figures against."""
    return subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True).stdout.strip()


def section(large: str, repeat: int, *, browser: bool = True) -> list[str]:
    """Measure the map on a large database; return RESULTS.md's section for it."""
    use_database(large)
    load = load_average()
    cold, warm = page_runs(repeat)
    built, again = chart_build()
    rows = [
        ("Shared Services page's script run, cold (caches emptied)", cold, "processor", ""),
        ("the same page's script run, warm (a click on the map)", warm, "processor",
         f"{warm / 0.5:.2f}x of 0.5 s: " + ("met" if warm < 0.5 else "**missed**")),
        ("the map's chart and Vega-Lite spec, built", built, "processor", ""),
        ("the map's spec from the cached chart", again, "processor", ""),
    ]  # fmt: skip
    if browser:
        drawn, used = first_draw(large)
        verdict = "met" if drawn < 2 else "**missed**"
        rows.append(
            (
                "the map's first draw in Chromium",
                drawn,
                "wall",
                f"{drawn / 2:.2f}x of 2 s: {verdict}",
            )
        )
        rows.append(("the server's part of that draw", used, "processor", ""))
    return [
        f"### The Shared Services map at the large size (median of {repeat}, load {load})",
        "",
        "| step | seconds | clock | target |",
        "| --- | ---: | --- | --- |",
        *(
            f"| {name} | {seconds:.3f} | {clock} | {target} |"
            for name, seconds, clock, target in rows
        ),
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-url", help="a database already filled by large_db.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium draw")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        large = args.large_url
        if not large:
            from benchmarks.large_db import build

            large = f"sqlite:///{folder}/large.db"
            build(large)
        use_database(large)
        print(f"load average before: {load_average()}")
        cold, warm = page_runs(args.repeat)
        built, again = chart_build()
        print(f"page script run, cold        {cold:7.3f} s processor")
        target = f"(target < 0.5 s: {warm / 0.5:.2f}x)"
        print(f"page script run, warm        {warm:7.3f} s processor   {target}")
        print(f"map chart and spec, built    {built:7.3f} s processor")
        print(f"map spec from the cached map {again:7.3f} s processor")
        if not args.no_browser:
            drawn, used = first_draw(large)
            target = f"(target < 2 s: {drawn / 2:.2f}x)"
            print(f"map first draw in Chromium   {drawn:7.3f} s wall        {target}")
            print(f"  the server's part of it    {used:7.3f} s processor")
        print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
