"""A `python -m lgadata` process killed (SIGKILL) at random moments never corrupts the data.

The delays are drawn from a seeded generator (LGADATA_CRASH_SEED) and printed, so a failing
round can be replayed; run with -s to see them.
"""

import os
import random
import signal
import sqlite3
import time

import pytest
import sqlalchemy as sa

from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine
from lgadata.models import Upload
from lgadata.workstreams import WORKSTREAMS
from tests.reliability.processes import (
    ebulletin_state,
    ebulletin_workbook,
    incomplete_uploads,
    run_cli,
    start_cli,
)
from tests.workbooks import check_and_store

ROWS = 120_000  # a load of this takes a few seconds, most of it in reading and storing
ROUNDS = 8
SEED = int(os.environ.get("LGADATA_CRASH_SEED", "20261125"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    """Two versions of a large e-bulletin workbook: the same bulletins, different views."""
    folder = tmp_path_factory.mktemp("crash")
    paths = {}
    for name, bump in (("a", 0), ("b", 1)):
        paths[name] = folder / f"links_{name}.xlsx"
        paths[name].write_bytes(ebulletin_workbook(ROWS, bump=bump))
    return paths


@pytest.fixture(scope="module")
def expected(files, tmp_path_factory) -> dict:
    """The board's e-bulletin figures with each file loaded alone, worked out in-process."""
    figures = {}
    for name, path in files.items():
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('expected') / 'x.db'}")
        ensure_database(engine=engine, seed_samples=False)
        check_and_store(engine, path.read_bytes(), workstream="ebulletin", file_name=path.name)
        figures[name] = ebulletin_state(engine)["figures"]
        engine.dispose()
    assert figures["a"] != figures["b"]
    return figures


def _writing(engine: sa.Engine) -> bool:
    """Say whether another process holds the write lock of an upload in progress."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return bool(
                conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'workstream_state' AND l.mode = 'RowExclusiveLock' "
                    "AND l.pid <> pg_backend_pid()"
                ).scalar_one()
            )
    probe = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # "database is locked": a writer is mid-transaction
        return True
    finally:
        probe.close()


def _kill_after(process, delay: float, *, engine: sa.Engine | None = None) -> str:
    """SIGKILL the process delay seconds after it starts, or after it starts writing."""
    started = time.monotonic()
    if engine is not None:
        while process.poll() is None and not _writing(engine):
            time.sleep(0.005)
    writing = time.monotonic()
    time.sleep(delay)
    if process.poll() is not None:
        return f"finished before the kill (status {process.returncode})"
    process.send_signal(signal.SIGKILL)
    process.wait()
    if engine is None:
        return f"killed {time.monotonic() - started:.2f} s after it started"
    return (
        f"killed {time.monotonic() - started:.2f} s after it started, "
        f"{time.monotonic() - writing:.2f} s after it took the write lock"
    )


def wait_for_dead_sessions(engine: sa.Engine, timeout: float = 30) -> None:
    """Wait until PostgreSQL has ended the transaction of every killed client."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + timeout
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
    )
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if not conn.exec_driver_sql(query).scalar_one():
                return
        time.sleep(0.05)
    raise AssertionError(f"a killed client's transaction was still open after {timeout} s")


def test_a_load_killed_at_any_moment_leaves_the_old_or_the_new_version_whole(
    database_url, files, expected
):
    rng = random.Random(SEED)
    print(f"\nseed {SEED} on {database_url.split(':')[0]}")
    assert run_cli(database_url, "init")[0] == 0
    started = time.monotonic()
    status, _, err = run_cli(database_url, "load", "ebulletin", str(files["a"]))
    assert status == 0, err
    full = time.monotonic() - started
    engine = make_engine(database_url)
    current, killed_mid_write = "a", 0
    for round_no in range(ROUNDS):
        other = "b" if current == "a" else "a"
        wait_for_dead_sessions(engine)
        process = start_cli(database_url, "load", "ebulletin", str(files[other]))
        # Even rounds: any moment of the whole run. Odd rounds: once it holds the write
        # lock, so that every run kills some loads inside the storing transaction.
        if round_no % 2 == 0:
            what = _kill_after(process, rng.uniform(0, full))
        else:
            what = _kill_after(process, rng.uniform(0, full / 3), engine=engine)
        state = ebulletin_state(engine)
        now = next((n for n, f in expected.items() if f == state["figures"]), None)
        print(f"round {round_no}: loading {other}, {what}; current: {now}")
        assert incomplete_uploads(engine) == []
        assert now in (current, other), "the figures are neither version: a mix or a loss"
        assert len(state["sources"]) == 1, "bulletins come from different uploads"
        # Killed holding the lock with the old figures still current: inside the transaction.
        killed_mid_write += "write lock" in what and now == current
        current = now
    assert killed_mid_write, "no kill landed inside the storing transaction"
    other = "b" if current == "a" else "a"
    status, out, err = run_cli(database_url, "load", "ebulletin", str(files[other]))
    assert status == 0, err
    assert ebulletin_state(engine)["figures"] == expected[other]
    assert incomplete_uploads(engine) == []
    with engine.connect() as conn:
        versions = list(
            conn.execute(
                sa.select(Upload.version)
                .where(Upload.workstream == "ebulletin")
                .order_by(Upload.version)
            ).scalars()
        )
    assert versions == list(range(1, len(versions) + 1)), "a version number was lost"
    engine.dispose()


def test_init_killed_at_any_moment_is_finished_by_the_next_start(database_url, tmp_path):
    rng = random.Random(SEED)
    started = time.monotonic()
    scratch = f"sqlite:///{tmp_path / 'scratch.db'}"
    assert run_cli(scratch, "init", seed=True)[0] == 0
    full = time.monotonic() - started
    engine = make_engine(database_url)
    outcomes = []
    for round_no in range(5):
        process = start_cli(database_url, "init", seed=True)
        outcomes.append(_kill_after(process, rng.uniform(0, full)))
        print(f"init round {round_no}: {outcomes[-1]}")
        if _has_tables(engine):
            assert incomplete_uploads(engine) == []
    assert any("killed" in o for o in outcomes)
    status, out, err = run_cli(database_url, "init", seed=True)
    assert status == 0, err
    assert incomplete_uploads(engine) == []
    with engine.connect() as conn:
        samples = conn.execute(sa.select(Upload.workstream, Upload.version)).all()
    assert sorted(samples) == sorted((key, 1) for key in WORKSTREAMS)
    engine.dispose()


def _has_tables(engine: sa.Engine) -> bool:
    return sa.inspect(engine).has_table("upload_file")
