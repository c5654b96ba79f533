"""Time check+load of an e-bulletin workbook against python-calamine reading it alone.

    python3 benchmarks/ingest.py [--rows 10000 100000 500000] [--repeat 3] [--postgres URL]
                                 [--cpu]

Prints seconds and ratios; the target is check+load (isolation included) at most 1.5x the
raw read, at each size. Beside it, measured against the same raw read, what a user would
otherwise write, neither validating anything: pandas `read_excel(engine="calamine")` and
`to_sql`, and polars through fastexcel and `executemany`. PostgreSQL is measured when
--postgres or LGADATA_TEST_POSTGRES_URL names a database that may be emptied. --cpu prints
instead the processor time of each step run in this process (the child's read, sending its
rows back, validating, storing on SQLite), which a machine busy with other work disturbs far
less than wall-clock seconds; it leaves PostgreSQL out, whose work is in the server's process.
"""

import argparse
import datetime as dt
import gc
import io
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

import fastexcel
import pandas as pd
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lgadata.auth import command_line  # noqa: E402
from lgadata.bootstrap import ensure_database  # noqa: E402
from lgadata.db import make_engine  # noqa: E402
from lgadata.ingest import check_book, check_bytes  # noqa: E402
from lgadata.reader.binary import read_binary  # noqa: E402
from lgadata.reader.limits import ReadLimits  # noqa: E402
from lgadata.reader.workbook import SentSheet  # noqa: E402
from lgadata.store import store_upload  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def workbook(rows: int) -> bytes:
    """Return (and cache) an e-bulletin workbook with rows links over 500 bulletins."""
    path = OUT / f"ebulletin_{rows}.xlsx"
    if path.exists():
        return path.read_bytes()
    OUT.mkdir(exist_ok=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Links")
    sheet.append(["bulletin", "sent_on", "url", "link_text", "views", "unique_views"])
    start = dt.datetime(2013, 1, 7)
    for i in range(rows):
        bulletin = i % 500
        views = (i * 7919) % 1000 + 1
        sheet.append(
            [
                f"Improvement and Innovation Board e-bulletin {bulletin + 1}",
                start + dt.timedelta(days=7 * bulletin),
                f"https://www.local.gov.uk/page/{i}",
                f"Link {i}",
                views,
                views // 2,
            ]
        )
    book.save(path)
    return path.read_bytes()


def timed(action, repeat: int) -> float:
    """Return the median seconds of repeat runs of action."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def calamine_read(data: bytes) -> None:
    CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Links").to_python()


def pandas_load(data: bytes, engine) -> None:
    """Load the sheet as a pandas user would: read_excel with calamine, then to_sql."""
    frame = pd.read_excel(io.BytesIO(data), sheet_name="Links", engine="calamine")
    frame.to_sql("pandas_links", engine, if_exists="replace", index=False, chunksize=10_000)


def polars_load(data: bytes, engine) -> None:
    """Load the sheet as a polars user would: fastexcel into polars, then executemany."""
    frame = fastexcel.read_excel(data).load_sheet("Links").to_polars()
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("DROP TABLE IF EXISTS polars_links")
        cursor.execute(
            "CREATE TABLE polars_links (bulletin TEXT, sent_on TIMESTAMP, url TEXT, "
            "link_text TEXT, views BIGINT, unique_views BIGINT)"
        )
        mark = "?" if engine.dialect.name == "sqlite" else "%s"
        rows = frame.rows()
        if engine.dialect.name == "sqlite":  # the sqlite3 module's datetime adapter is deprecated
            rows = [(a, b.isoformat(), c, d, e, f) for a, b, c, d, e, f in rows]
        cursor.executemany(f"INSERT INTO polars_links VALUES ({', '.join([mark] * 6)})", rows)
        connection.commit()
    finally:
        connection.close()


def others(data: bytes, url: str, repeat: int, clock) -> tuple[float, float]:
    """Return the time (by clock) of the pandas and the polars load into url's database."""
    engine = fresh_engine(url)
    try:
        return tuple(
            min(clock(lambda load=load: load(data, engine)) for _ in range(repeat))
            for load in (pandas_load, polars_load)
        )
    finally:
        engine.dispose()


def wall(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def processor(action) -> float:
    started = time.process_time()
    action()
    return time.process_time() - started


def fresh_engine(url: str):
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    ensure_database(engine=engine, seed_samples=False)
    return engine


def check_and_load(data: bytes, url: str, repeat: int) -> tuple[float, float]:
    """Return median seconds of check alone and of check+load on fresh databases."""
    check = timed(lambda: check_bytes(data, "links.xlsx", workstream="ebulletin"), repeat)
    times = []
    for _ in range(repeat):
        engine = fresh_engine(url)
        started = time.perf_counter()
        parsed = check_bytes(data, "links.xlsx", workstream="ebulletin")
        assert parsed.ok, [str(p) for p in parsed.errors[:5]]
        store_upload(engine=engine, parsed=parsed, content=data, actor=command_line("benchmark"))
        times.append(time.perf_counter() - started)
        engine.dispose()
    return check, statistics.median(times)


def cpu_time(action, repeat: int) -> tuple[float, object]:
    """Return the least processor seconds of repeat runs of action, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.process_time()
        result = action()
        best = min(best, time.process_time() - started)
    return best, result


def sent_back(book) -> object:
    """Pickle and unpickle a read workbook as the reader's child and the parent do."""
    payload = pickle.dumps(("ok", book), protocol=pickle.HIGHEST_PROTOCOL)
    gc.disable()
    try:
        return pickle.loads(payload)
    finally:
        gc.enable()


def cpu_breakdown(data: bytes, repeat: int) -> None:
    """Print the processor time of each step of an isolated check and a load on SQLite."""
    raw, _ = cpu_time(lambda: calamine_read(data), repeat)
    read, book = cpu_time(
        lambda: read_binary(data, "links.xlsx", "xlsx", ReadLimits(), build=SentSheet), repeat
    )
    back, (_, book) = cpu_time(lambda: sent_back(book), repeat)
    size = len(data)
    check, parsed = cpu_time(
        lambda: check_book(book, workstream="ebulletin", sha256="", size_bytes=size), repeat
    )
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(f"sqlite:///{folder}/bench.db")
        store, _ = cpu_time(
            lambda: store_upload(
                engine=engine, parsed=parsed, content=data, actor=command_line("benchmark")
            ),
            1,
        )
        engine.dispose()
    steps = [
        ("python-calamine to_python() alone", raw),
        ("the child's read (scans and calamine)", read),
        ("sending its rows back (pickle both ways)", back),
        ("validating every cell", check),
        ("storing on SQLite", store),
        ("check, isolated", read + back + check),
        ("check+load on SQLite", read + back + check + store),
    ]
    with tempfile.TemporaryDirectory() as folder:
        pandas_s, polars_s = others(data, f"sqlite:///{folder}/others.db", repeat, processor)
    steps += [
        ("pandas read_excel + to_sql on SQLite", pandas_s),
        ("polars (fastexcel) + executemany, SQLite", polars_s),
    ]
    for label, seconds in steps:
        print(f"{label:<42} {seconds:6.2f} s  {seconds / raw:.2f}x  (processor time)")
    total = read + back + check + store
    print(f"check+load / pandas {total / pandas_s:.2f}, / polars {total / polars_s:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 500_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("LGADATA_TEST_POSTGRES_URL"))
    parser.add_argument("--cpu", action="store_true", help="processor time of each step")
    args = parser.parse_args()
    # Start the reader's fork server outside the timings, as a running dashboard has.
    check_bytes(workbook(10), "warm.xlsx", workstream="ebulletin")
    for asked in args.rows:
        # A sheet holds its header row too: at the reader's limit (LGADATA_MAX_ROWS_PER_SHEET,
        # 500,000 rows of the sheet) the most data rows an upload can have is one fewer.
        rows = min(asked, ReadLimits().max_rows - 1)
        data = workbook(rows)
        print(f"{rows:,} rows x 6 columns, {len(data) / 1e6:.1f} MB, load average {load()}")
        if args.cpu:
            print(f"least of {args.repeat}")
            cpu_breakdown(data, args.repeat)
        else:
            print(f"median of {args.repeat}")
            wall_clock(data, args.postgres, args.repeat)


def load() -> str:
    return " ".join(f"{figure:.1f}" for figure in os.getloadavg())


def wall_clock(data: bytes, postgres: str | None, repeat: int) -> None:
    """Print the wall-clock seconds of check+load and of pandas and polars, on each database."""
    raw = timed(lambda: calamine_read(data), repeat)
    print(f"{'python-calamine to_python() alone':<42} {raw:6.2f} s  1.00x")
    in_process = timed(
        lambda: check_bytes(data, "links.xlsx", workstream="ebulletin", isolate=False), repeat
    )
    print(f"{'check, read in-process':<42} {in_process:6.2f} s  {in_process / raw:.2f}x")
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{folder}/bench.db")]
        if postgres:
            targets.append(("PostgreSQL", postgres))
        for name, url in targets:
            check, total = check_and_load(data, url, repeat)
            print(f"{'check, read in a child process':<42} {check:6.2f} s  {check / raw:.2f}x")
            label = f"check+load on {name}"
            print(f"{label:<42} {total:6.2f} s  {total / raw:.2f}x  (target <= 1.50x)")
            for label, seconds in zip(
                (f"pandas read_excel + to_sql, {name}", f"polars + executemany, {name}"),
                others(data, url, repeat, wall),
                strict=True,
            ):
                print(f"{label:<42} {seconds:6.2f} s  {seconds / raw:.2f}x")


if __name__ == "__main__":
    main()
