"""Two processes load the same workstream at the same moment, on SQLite and on PostgreSQL:
both land as consecutive versions, one after the other, and the figures are one file's."""

import json
import os
import subprocess
import sys
import time

import psutil
import pytest
import sqlalchemy as sa

from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine
from lgadata.models import WorkstreamState
from lgadata.queries import metrics
from lgadata.settings import REPO_ROOT
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx

EDITION = "2013-01-31"  # the samples' latest map edition, which both files replace
FILES = {
    "two.xlsx": [("Gloucestershire legal", "Stroud"), ("North London audit", "Camden")],
    "three.xlsx": [("Kent ICT", "Dover"), ("Essex audit", "Harlow"), ("Devon waste", "Exeter")],
}


def _held_lock_waiters(engine, loaders: list[subprocess.Popen], database: str) -> int:
    """Return how many loaders are waiting for the workstream's write lock."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
    # SQLite shows no waiters; a loader with the database file open has reached the store.
    return sum(any(f.path == database for f in psutil.Process(p.pid).open_files()) for p in loaders)


@pytest.mark.slow
def test_two_processes_loading_one_workstream_at_once_store_two_whole_versions(
    database_url, tmp_path
):
    engine = make_engine(database_url)
    ensure_database(engine=engine, seed_samples=True)
    state = WorkstreamState.__table__
    for name, arrangements in FILES.items():
        rows = [[EDITION, title, lead, "", "Legal"] for title, lead in arrangements]
        (tmp_path / name).write_bytes(make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]}))
    env = os.environ | {"LGADATA_DATABASE_URL": database_url, "LGADATA_SEED_SAMPLES": "false"}
    database = sa.make_url(database_url).database or ""
    loaders: list[subprocess.Popen] = []
    try:
        # Hold the workstream's lock, as a third upload would, so that both loaders are
        # inside their transactions, waiting, when it is let go.
        with engine.begin() as conn:
            before = conn.execute(
                sa.update(state)
                .where(state.c.workstream == "shared_services")
                .values(version=state.c.version)
                .returning(state.c.version)
            ).scalar_one()
            for name in FILES:
                loaders.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "lgadata", "load", "shared_services", name]
                        + ["--reason", "two at once", "--json"],
                        cwd=tmp_path,
                        env=env | {"PYTHONPATH": str(REPO_ROOT)},
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                    )
                )
            deadline = time.monotonic() + 60
            while _held_lock_waiters(engine, loaders, database) < 2:
                assert all(p.poll() is None for p in loaders), "a loader did not wait"
                assert time.monotonic() < deadline, "the loaders never reached the lock"
                time.sleep(0.2)
        results = {}
        for name, loader in zip(FILES, loaders, strict=True):
            out, err = loader.communicate(timeout=60)
            assert loader.returncode == 0, err.decode()
            results[name] = json.loads(out)
    finally:
        for loader in loaders:
            if loader.poll() is None:
                loader.kill()
                loader.wait()
    versions = sorted(result["version"] for result in results.values())
    assert versions == [before + 1, before + 2]
    last = max(results, key=lambda name: results[name]["version"])
    latest = metrics(engine=engine)["shared_services"]["latest"]
    assert (latest["as_at"], latest["arrangements"]) == (EDITION, len(FILES[last]))
    engine.dispose()
