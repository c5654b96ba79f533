"""Fill a database with years of uploads, for measuring pages and queries at scale.

    python3 benchmarks/large_db.py DATABASE_URL

10,000 current arrangements over 10 map editions, 1,000,000 e-bulletin link rows over 500
bulletins, and 50 uploads per workstream, all through the same check and store code an
officer's upload takes.
"""

import argparse
import csv
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lgadata.auth import command_line  # noqa: E402
from lgadata.bootstrap import ensure_database  # noqa: E402
from lgadata.councils import load_register  # noqa: E402
from lgadata.db import make_engine  # noqa: E402
from lgadata.ingest import check_bytes  # noqa: E402
from lgadata.store import store_upload  # noqa: E402
from lgadata.workstreams import SHARED_SERVICE_CATEGORIES  # noqa: E402

UPLOADS = 50


def csv_bytes(rows: list[list]) -> bytes:
    """Return rows as CSV, as a spreadsheet program saves them."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def load(engine, workstream: str, rows: list[list], name: str) -> None:
    data = csv_bytes(rows)
    parsed = check_bytes(data, name, workstream=workstream, isolate=False)
    if not parsed.ok:
        raise SystemExit(f"{name}: {[str(p) for p in parsed.errors[:3]]}")
    store_upload(engine=engine, parsed=parsed, content=data, actor=command_line("benchmark"))


def shared_services(engine, rng: random.Random) -> None:
    names = [c.official_name for c in load_register()]
    editions = [f"{2004 + year}-01-31" for year in range(10)]
    for upload in range(UPLOADS):
        edition = editions[upload % len(editions)]
        rows = [
            ["as_at", "arrangement", "lead_council", "partner_councils", "category", "savings_gbp"]
        ]
        for i in range(1000):
            partners = "; ".join(rng.sample(names, rng.randint(1, 4)))
            savings = "" if i % 12 == 0 else rng.randint(10_000, 2_000_000)
            category = SHARED_SERVICE_CATEGORIES[i % len(SHARED_SERVICE_CATEGORIES)]
            rows.append(
                [
                    edition,
                    f"Arrangement {upload}-{i}",
                    rng.choice(names),
                    partners,
                    category,
                    savings,
                ]
            )
        load(engine, "shared_services", rows, f"map-{upload}.csv")


def ebulletin(engine, rng: random.Random) -> None:
    for upload in range(UPLOADS):
        rows = [["bulletin", "sent_on", "url", "link_text", "views", "unique_views"]]
        for b in range(10):
            number = upload * 10 + b
            sent = f"{2010 + number // 52}-{number % 12 + 1:02d}-{number % 28 + 1:02d}"
            for link in range(2000):
                views = rng.randint(1, 500)
                page = "productivity" if link % 7 == 0 else "improvement"
                url = f"https://www.local.gov.uk/{page}/{number}/{link}"
                rows.append(
                    [f"Bulletin {number:03d}", sent, url, f"Link {link}", views, views // 2]
                )
        load(engine, "ebulletin", rows, f"bulletins-{upload}.csv")


def small_workstreams(engine, rng: random.Random) -> None:
    names = [c.official_name for c in load_register()]
    for upload in range(UPLOADS):
        year = 2000 + upload // 2
        budget = [["financial_year", "line", "category", "budget_gbp", "spent_gbp"]]
        budget += [
            [f"{year}/{(year + 1) % 100:02d}", f"Line {i}", "Secondees", 50_000, 1_000]
            for i in range(8)
        ]
        load(engine, "capital_assets", budget, f"cap-{upload}.csv")
        pilots = [["pilot", "council", "lead", "status", "rag"]]
        pilots += [
            [f"Pilot {i // 3}", names[(upload + i) % len(names)], "no", "Live", "Green"]
            for i in range(9)
        ]
        load(engine, "tenancy_fraud", pilots, f"pilots-{upload}.csv")
        milestones = [["workstream", "milestone", "due", "status"]]
        milestones += [
            [
                "Commissioning Academy",
                f"Milestone {upload}-{i}",
                f"2014-{i % 12 + 1:02d}-01",
                "Planned",
            ]
            for i in range(40)
        ]
        load(engine, "programme_milestones", milestones, f"milestones-{upload}.csv")


def build(url: str) -> None:
    """Empty the database at url and fill it with the large data set."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    ensure_database(engine=engine, seed_samples=False)
    rng = random.Random(2013)
    for step in (shared_services, ebulletin, small_workstreams):
        started = time.perf_counter()
        step(engine, rng)
        print(f"{step.__name__}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a database URL; its contents are replaced")
    build(parser.parse_args().url)
