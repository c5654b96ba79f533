"""How much of the 1.5x ingest budget the pieces of an Arrow path would leave, none validating.

    python3 benchmarks/ingest_floor.py [--rows 100000] [--repeat 3]

Times by processor seconds (least of the repeats, in this process) the steps an Arrow path
through check+load could not do without, on the benchmark's e-bulletin workbook (the one
`benchmarks/ingest.py` builds): fastexcel's read into Arrow, an Arrow IPC round trip (the
child sending its sheet back), streaming the sheet's XML as the pre-scan does, and storing
the rows on SQLite with the data table's `(upload_id, period_key)` index, from Arrow columns
through `executemany`. Each is printed as a ratio of python-calamine's raw read, the
benchmark's 1.00x, with what is left of the 1.5x target for everything else (validating
every cell, the summaries, the child process, the upload's own rows). It also says whether
calamine's parse, its to_python() and fastexcel's read let another thread run (release the
GIL), which decides whether the pre-scan could overlap the read: on a machine busy with other
work the thread also waits for a core, so those shares are only meaningful when it is quiet.
"""

import argparse
import io
import os
import re
import sqlite3
import sys
import threading
import time
import zipfile
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ingest import workbook  # noqa: E402

TARGET = 1.5
SHEET = "Links"


def least(action, repeat: int) -> float:
    """Return the least processor seconds of repeat runs of action."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        action()
        best = min(best, time.process_time() - started)
    return best


def calamine_read(data: bytes) -> None:
    CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(SHEET).to_python()


def arrow_read(data: bytes) -> pa.RecordBatch:
    return fastexcel.read_excel(data).load_sheet(SHEET).to_arrow()


def ipc_round_trip(batch: pa.RecordBatch) -> pa.Table:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return pa.ipc.open_stream(sink.getvalue()).read_all()


def xml_scan(data: bytes) -> int:
    """Stream the sheet's XML and count its cells, the least a pre-scan must do."""
    cells = 0
    with zipfile.ZipFile(io.BytesIO(data)) as package, package.open(_sheet_part(package)) as xml:
        while chunk := xml.read(1 << 20):
            cells += len(re.findall(rb"<c[ >]", chunk))
    return cells


def _sheet_part(package: zipfile.ZipFile) -> str:
    return next(n for n in package.namelist() if n.startswith("xl/worksheets/sheet"))


def store_floor(batch: pa.RecordBatch) -> None:
    """Insert the rows as the store does on SQLite, from Arrow columns, with its index."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE TABLE bulletin_link (id INTEGER PRIMARY KEY, upload_id INTEGER, "
        "period_key TEXT, row_no INTEGER, bulletin TEXT, sent_on TEXT, url TEXT, "
        "link_text TEXT, views INTEGER, unique_views INTEGER)"
    )
    connection.execute("CREATE INDEX ix_link ON bulletin_link (upload_id, period_key)")
    sent_on = pc.strftime(batch.column(1), format="%Y-%m-%d").to_pylist()
    counts = [pc.cast(batch.column(i), pa.int64()).to_pylist() for i in (4, 5)]
    texts = [batch.column(i).to_pylist() for i in (0, 2, 3)]
    rows = zip(
        texts[0], range(2, batch.num_rows + 2), texts[0], sent_on, *texts[1:], *counts, strict=True
    )
    connection.executemany(
        "INSERT INTO bulletin_link (upload_id, period_key, row_no, bulletin, sent_on, url, "
        "link_text, views, unique_views) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    connection.commit()
    connection.close()


def counting_speed(action) -> float:
    """Return how many times a Python thread counts per second while action runs."""

    def count(stop: threading.Event, out: list) -> None:
        started, n = time.perf_counter(), 0
        while not stop.is_set():
            n += 1
        out.append(n / (time.perf_counter() - started))

    out: list = []
    stop = threading.Event()
    counter = threading.Thread(target=count, args=(stop, out))
    counter.start()
    action()
    stop.set()
    counter.join()
    return out[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = workbook(args.rows)
    batch = arrow_read(data)
    raw = least(lambda: calamine_read(data), args.repeat)
    steps = [
        ("fastexcel read into Arrow", least(lambda: arrow_read(data), args.repeat)),
        ("Arrow IPC round trip", least(lambda: ipc_round_trip(batch), args.repeat)),
        ("streaming the sheet XML (pre-scan's least)", least(lambda: xml_scan(data), args.repeat)),
        ("storing on SQLite from Arrow, with index", least(lambda: store_floor(batch), 1)),
    ]
    load = " ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"{args.rows:,} rows, processor seconds, least of {args.repeat}, load average {load}")
    print(f"{'python-calamine to_python() alone':<46} {raw:6.2f} s  1.00x")
    for label, seconds in steps:
        print(f"{label:<46} {seconds:6.2f} s  {seconds / raw:.2f}x")
    total = sum(seconds for _, seconds in steps)
    print(f"{'these together':<46} {total:6.2f} s  {total / raw:.2f}x")
    print(f"left of {TARGET}x for validation, summaries and the child: {TARGET - total / raw:.2f}x")
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = book.get_sheet_by_name(SHEET)
    free = counting_speed(lambda: time.sleep(0.3))  # the main thread holds no lock
    print("another thread's speed, as a share of its speed beside a sleep:")
    for label, action in [
        ("calamine's parse (get_sheet_by_name)", lambda: book.get_sheet_by_name(SHEET)),
        ("calamine's to_python()", sheet.to_python),
        ("fastexcel's read", lambda: arrow_read(data)),
    ]:
        print(f"  during {label:<40} {counting_speed(action) / free:.0%}")


if __name__ == "__main__":
    main()
