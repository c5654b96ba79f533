"""Time each page's script run with AppTest on the sample data and on a large database.

    python3 benchmarks/pages.py [--large-url URL] [--repeat 3]

Without --large-url, a large SQLite database is built first (benchmarks/large_db.py, about
a minute). Each run starts with empty caches, as after another officer's upload. Prints
seconds per page and the ratio large/small; targets: under 0.5 s on the samples, ratio < 3.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from lgadata.auth import Role, command_line, save_user  # noqa: E402
from lgadata.bootstrap import ensure_database  # noqa: E402
from lgadata.db import get_engine, make_engine  # noqa: E402
from lgadata.settings import get_settings  # noqa: E402

PAGES = sorted(p.name for p in (REPO / "pages").glob("*.py"))
# Every page is timed as an administrator sees it, signed in through single sign-on.
ADMIN = "benchmark@example.gov.uk"


def use_database(url: str) -> None:
    os.environ["LGADATA_DATABASE_URL"] = url
    os.environ["LGADATA_SEED_SAMPLES"] = "false"
    get_settings.cache_clear()
    get_engine.cache_clear()
    engine = make_engine(url)
    save_user(engine=engine, by=command_line("benchmark"), email=ADMIN, role=Role.ADMIN)
    engine.dispose()


def time_page(page: str, repeat: int) -> float:
    """Return the median seconds of a cold script run of one page."""
    times = []
    for _ in range(repeat):
        st.cache_data.clear()
        app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
        app.user = {"is_logged_in": True, "email": ADMIN}
        app.run()
        app.switch_page(f"pages/{page}")
        st.cache_data.clear()
        started = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - started)
        if app.exception:
            raise SystemExit(f"{page}: {app.exception[0].value}")
        if any("Sign in" in link.proto.label for link in app.get("link_button")):
            raise SystemExit(f"{page}: the way to sign in was timed, not the page")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-url", help="a database already filled by large_db.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small = f"sqlite:///{folder}/small.db"
        ensure_database(engine=make_engine(small), seed_samples=True)
        large = args.large_url
        if not large:
            from benchmarks.large_db import build

            large = f"sqlite:///{folder}/large.db"
            build(large)
        results = {}
        for label, url in (("small", small), ("large", large)):
            use_database(url)
            results[label] = {page: time_page(page, args.repeat) for page in PAGES}
    print(f"{'page':<22} {'samples':>9} {'large':>9} {'ratio':>7}   (targets: < 0.5 s, < 3x)")
    for page in PAGES:
        s, big = results["small"][page], results["large"][page]
        print(f"{page:<22} {s:>8.3f}s {big:>8.3f}s {big / s:>6.2f}x")


if __name__ == "__main__":
    main()
