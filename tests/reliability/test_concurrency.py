"""Loads at the same time queue up, and a database left by a killed process opens as it was."""

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine
from lgadata.models import Upload
from lgadata.settings import REPO_ROOT
from tests.reliability.processes import (
    cli_env,
    ebulletin_state,
    ebulletin_workbook,
    incomplete_uploads,
    run_cli,
    start_cli,
)
from tests.workbooks import check_and_store

LOADERS = 8
ROWS = 3_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    """Nine versions of an e-bulletin workbook with the same bulletins and different views."""
    folder = tmp_path_factory.mktemp("concurrent")
    paths = []
    for number in range(LOADERS + 1):
        path = folder / f"links_{number}.xlsx"
        path.write_bytes(ebulletin_workbook(ROWS, bump=number, tag=f" v{number}"))
        paths.append(path)
    return paths


def _figures_alone(path: Path, folder: Path) -> dict:
    engine = make_engine(f"sqlite:///{folder / (path.stem + '.db')}")
    ensure_database(engine=engine, seed_samples=False)
    check_and_store(engine, path.read_bytes(), workstream="ebulletin", file_name=path.name)
    figures = ebulletin_state(engine)["figures"]
    engine.dispose()
    return figures


def test_eight_loads_at_once_are_each_stored_as_a_version_and_the_last_one_counts(
    database_url, files, tmp_path
):
    assert run_cli(database_url, "init")[0] == 0
    assert run_cli(database_url, "load", "ebulletin", str(files[0]))[0] == 0
    loaders = [start_cli(database_url, "load", "ebulletin", str(f), "--json") for f in files[1:]]
    results = []
    for loader in loaders:
        out, err = loader.communicate(timeout=300)
        assert loader.returncode == 0, err
        results.append(json.loads(out))
    # The command line does not compare versions: each load queues for the workstream's
    # lock and is stored as the next version.
    assert sorted(r["version"] for r in results) == list(range(2, LOADERS + 2))
    engine = make_engine(database_url)
    assert incomplete_uploads(engine) == []
    last = max(results, key=lambda r: r["version"])
    state = ebulletin_state(engine)
    assert state["sources"] == {last["upload_id"]}
    assert state["figures"] == _figures_alone(Path(files[0].parent / last["file"]), tmp_path)
    status, out, _ = run_cli(database_url, "history", "ebulletin", "--json")
    listed = {(u["id"], u["version"], u["file_name"]) for u in json.loads(out)["uploads"]}
    assert {(r["upload_id"], r["version"], r["file"]) for r in results} <= listed
    assert len(listed) == LOADERS + 1
    engine.dispose()


def test_eight_dashboards_starting_at_once_on_a_new_database_make_it_once(database_url):
    starters = [start_cli(database_url, "init", seed=True) for _ in range(LOADERS)]
    for starter in starters:
        _, err = starter.communicate(timeout=300)
        assert starter.returncode == 0, err
    engine = make_engine(database_url)
    with engine.connect() as conn:
        uploads = conn.execute(sa.select(Upload.workstream, Upload.version)).all()
    assert sorted(uploads) == sorted((key, 1) for key in {w for w, _ in uploads})
    assert len(uploads) == 5
    engine.dispose()


def _run_and_kill_itself(database_url: str, code: str) -> None:
    """Run Python code in a child that ends by SIGKILLing itself, as a crash would."""
    program = textwrap.dedent(code) + "\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
    child = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPO_ROOT,
        env=cli_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr


def test_an_upload_left_in_the_write_ahead_log_by_a_killed_process_is_kept(sqlite_url, files):
    database_url = sqlite_url
    path = Path(sa.make_url(database_url).database)
    assert run_cli(database_url, "init")[0] == 0
    _run_and_kill_itself(
        database_url,
        f"""
        from lgadata.db import get_engine
        from tests.workbooks import check_and_store
        data = open({str(files[1])!r}, "rb").read()
        engine = get_engine()
        check_and_store(engine, data, workstream="ebulletin", file_name="links_1.xlsx")
        """,
    )
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the test meant to leave a -wal file"
    assert path.with_name(path.name + "-shm").exists()
    status, out, err = run_cli(database_url, "init")
    assert status == 0, err
    engine = make_engine(database_url)
    assert incomplete_uploads(engine) == []
    assert ebulletin_state(engine)["figures"]["rows"] == ROWS
    assert run_cli(database_url, "load", "ebulletin", str(files[2]))[0] == 0
    engine.dispose()


def test_a_hot_journal_left_by_a_killed_writer_is_rolled_back_on_start(sqlite_url, files):
    database_url = sqlite_url
    path = Path(sa.make_url(database_url).database)
    assert run_cli(database_url, "init")[0] == 0
    assert run_cli(database_url, "load", "ebulletin", str(files[1]))[0] == 0
    engine = make_engine(database_url)
    before = ebulletin_state(engine)
    engine.dispose()
    # A copy restored without its -wal, or a tool that opens the file in rollback-journal
    # mode, can leave a hot journal: a writer that spilled changes into the file and died.
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    _run_and_kill_itself(
        database_url,
        f"""
        import sqlite3
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("PRAGMA cache_size=5")
        conn.execute("BEGIN")
        conn.execute("DELETE FROM bulletin_link")
        conn.execute("UPDATE upload SET note = 'half done'")
        """,
    )
    journal = path.with_name(path.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0, "the test meant to leave a journal"
    status, out, err = run_cli(database_url, "init")
    assert status == 0, err
    engine = make_engine(database_url)
    assert ebulletin_state(engine) == before
    assert incomplete_uploads(engine) == []
    assert not journal.exists()
    assert run_cli(database_url, "load", "ebulletin", str(files[2]))[0] == 0
    engine.dispose()


def test_a_killed_client_idle_in_a_transaction_does_not_block_the_next_load(postgres_url, files):
    database_url = postgres_url
    assert run_cli(database_url, "init")[0] == 0
    assert run_cli(database_url, "load", "ebulletin", str(files[1]))[0] == 0
    engine = make_engine(database_url)
    before = ebulletin_state(engine)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time, psycopg
                conn = psycopg.connect(sys.argv[1])
                conn.execute("UPDATE workstream_state SET version = version + 1 "
                             "WHERE workstream = 'ebulletin'")
                conn.execute("DELETE FROM period_state WHERE workstream = 'ebulletin'")
                print("holding", flush=True)
                time.sleep(600)
                """
            ),
            database_url,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert ebulletin_state(engine) == before
    status, out, err = run_cli(database_url, "load", "ebulletin", str(files[2]), "--json")
    assert status == 0, err
    assert json.loads(out)["version"] == 2
    assert incomplete_uploads(engine) == []
    engine.dispose()
