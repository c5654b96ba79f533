"""Time each page's script run with AppTest on the sample data and on a large database.

    python3 benchmarks/pages.py [--large-url URL] [--repeat 3] [--page shared_services.py]

Without --large-url, a large SQLite database is built first (benchmarks/large_db.py, about
a minute). Each run starts with empty caches, as after another officer's upload. Prints
seconds per page and the ratio large/small; targets: under 0.5 s on the samples, ratio < 3.
`--cpu` prints the processor seconds of the script's thread instead of the time on the
clock: on a machine others are using, a far steadier figure (it leaves out the database
server's own time on PostgreSQL, and the waits).
A board meeting is registered in each database (20 March 2013 for the samples, 30 June 2009,
amid the large database's map editions and bulletins), so the Overview and each section's
page are timed as a board member sees them, with what changed since the last meeting.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from lgadata.auth import Role, command_line, save_user  # noqa: E402
from lgadata.bootstrap import ensure_database  # noqa: E402
from lgadata.db import get_engine, make_engine  # noqa: E402
from lgadata.meetings import add_meeting, meetings  # noqa: E402
from lgadata.paper.model import BOARD  # noqa: E402
from lgadata.settings import get_settings  # noqa: E402

PAGES = sorted(p.name for p in (REPO / "pages").glob("*.py"))
# Every page is timed as an administrator sees it, signed in through single sign-on.
ADMIN = "benchmark@example.gov.uk"


MEETINGS = {"small": dt.date(2013, 3, 20), "large": dt.date(2009, 6, 30)}


def register_meeting(url: str, day: dt.date) -> None:
    """Register a board meeting on day, unless one is registered then already."""
    engine = make_engine(url)
    if day not in {m.meets_on for m in meetings(engine=engine)}:
        add_meeting(engine=engine, by=command_line("benchmark"), meets_on=day, title=BOARD)
    engine.dispose()


def use_database(url: str) -> None:
    os.environ["LGADATA_DATABASE_URL"] = url
    os.environ["LGADATA_SEED_SAMPLES"] = "false"
    get_settings.cache_clear()
    get_engine.cache_clear()
    # The dashboard keeps its engine in Streamlit's resource cache: left there, the large
    # database's pages were timed on the samples' engine (every "large" figure before
    # 7 December 2026).
    st.cache_resource.clear()
    engine = make_engine(url)
    save_user(engine=engine, by=command_line("benchmark"), email=ADMIN, role=Role.ADMIN)
    engine.dispose()


_SCRIPT_CPU: list[float] = []  # processor seconds of each script run, in its own thread


def _measured(run):
    def measured(self, *args, **kwargs):
        started = time.thread_time()
        try:
            return run(self, *args, **kwargs)
        finally:
            _SCRIPT_CPU.append(time.thread_time() - started)

    return measured


script_runner.ScriptRunner._run_script = _measured(script_runner.ScriptRunner._run_script)


def time_page(page: str, repeat: int, *, cpu: bool = False) -> float:
    """Return the median seconds of a cold script run of one page (processor seconds of
    the script's thread with cpu=True)."""
    times = []
    for _ in range(repeat):
        st.cache_data.clear()
        app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
        # A fresh sign-in each run: under one token (no issue time) a database timed again
        # the next day had ended its session, and the way to sign in stopped every run.
        app.user = {"is_logged_in": True, "email": ADMIN, "iat": time.time_ns()}
        app.run()
        app.switch_page(f"pages/{page}")
        st.cache_data.clear()
        started = time.perf_counter()
        app.run()
        times.append(_SCRIPT_CPU[-1] if cpu else time.perf_counter() - started)
        if app.exception:
            raise SystemExit(f"{page}: {app.exception[0].value}")
        if any("Sign in" in link.proto.label for link in app.get("link_button")):
            raise SystemExit(f"{page}: the way to sign in was timed, not the page")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-url", help="a database already filled by large_db.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page", action="append", choices=PAGES, help="time only this page")
    parser.add_argument("--cpu", action="store_true", help="processor seconds, not the clock's")
    args = parser.parse_args()
    pages = args.page or PAGES
    with tempfile.TemporaryDirectory() as folder:
        small = f"sqlite:///{folder}/small.db"
        ensure_database(engine=make_engine(small), seed_samples=True)
        large = args.large_url
        if not large:
            from benchmarks.large_db import build

            large = f"sqlite:///{folder}/large.db"
            build(large)
        results = {}
        # A large database built before the latest migration is brought up to date first.
        ensure_database(engine=make_engine(large), seed_samples=False)
        for label, url in (("small", small), ("large", large)):
            register_meeting(url, MEETINGS[label])
            use_database(url)
            results[label] = {page: time_page(page, args.repeat, cpu=args.cpu) for page in pages}
    seconds = "processor seconds of the script's thread" if args.cpu else "seconds"
    print(f"{'page':<22} {'samples':>9} {'large':>9} {'ratio':>7}   (targets: < 0.5 s, < 3x)")
    print(f"({seconds}, median of {args.repeat} cold runs)")
    for page in pages:
        s, big = results["small"][page], results["large"][page]
        print(f"{page:<22} {s:>8.3f}s {big:>8.3f}s {big / s:>6.2f}x")


if __name__ == "__main__":
    main()
