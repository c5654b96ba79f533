"""Peak memory of one dashboard process serving concurrent browser sessions of the Overview.

    python3 benchmarks/sessions.py [--sessions 10] [--url DATABASE_URL]

Starts `streamlit run serve.py` on the database (the samples in a new SQLite file
unless --url names one already filled, e.g. by benchmarks/large_db.py), signs in N headless
Chromium sessions, opens the Overview in each at the same time and keeps them open while
sampling the server's resident memory (its child processes included: the isolated reader).
Prints the idle and peak figures; the target is under 600 MB for 10 sessions.
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_FLAGS,
    prepare_database,
    sign_in,
    start_server,
    wait_for_charts,
)

TARGET_MB = 600


def resident_mb(process: psutil.Process) -> float:
    """Return the resident memory of a process and its children, in MB."""
    total = 0
    for each in [process, *process.children(recursive=True)]:
        try:
            total += each.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


class PeakSampler(threading.Thread):
    """Sample a process tree's resident memory every 50 ms and keep the peak."""

    def __init__(self, process: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.process, self.peak, self.running = process, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, resident_mb(self.process))
            time.sleep(0.05)


def measure(url: str, sessions: int) -> dict:
    """Return idle, peak and settled memory of the server with that many sessions open."""
    from playwright.sync_api import sync_playwright

    base, server = start_server(url, env={"LGADATA_SEED_SAMPLES": "false"})
    process = psutil.Process(server.pid)
    try:
        idle = resident_mb(process)
        sampler = PeakSampler(process)
        sampler.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            pages = []
            for _ in range(sessions):
                context = browser.new_context(viewport={"width": 1920, "height": 1080})
                page = context.new_page()
                sign_in(page, base, "viewer")
                pages.append(page)
            for page in pages:
                page.reload()
            for page in pages:
                page.get_by_role("heading", name="Productivity Programme").wait_for(timeout=60_000)
                wait_for_charts(page)
            time.sleep(2)
            settled = resident_mb(process)
            browser.close()
        sampler.running = False
        sampler.join()
        return {"sessions": sessions, "idle_mb": idle, "peak_mb": sampler.peak, "open_mb": settled}
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--url", help="a database already prepared (users are added to it)")
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("No Chromium found: apt-get install chromium (.ci/run does).")
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{folder}/sessions.db"
        prepare_database(url, samples=not args.url)
        result = measure(url, args.sessions)
    print(f"{'sessions':<24} {result['sessions']:>8}")
    print(f"{'server at start':<24} {result['idle_mb']:>6.0f} MB")
    print(f"{'peak while opening':<24} {result['peak_mb']:>6.0f} MB  (target < {TARGET_MB} MB)")
    print(f"{'all sessions open':<24} {result['open_mb']:>6.0f} MB")
    print(f"{'peak / target':<24} {result['peak_mb'] / TARGET_MB:>8.2f}")


if __name__ == "__main__":
    main()
