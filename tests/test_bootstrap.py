"""A fresh database made ready: samples checked like an upload, loaded once, in the background."""

import multiprocessing
import shutil
import threading
from concurrent.futures import ProcessPoolExecutor

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lgadata import bootstrap
from lgadata.bootstrap import ensure_database, load_samples, prepare_database
from lgadata.db import make_engine
from lgadata.models import Upload
from lgadata.workstreams import WORKSTREAMS


def uploads(engine: sa.Engine) -> list[tuple[str, int, str]]:
    with engine.connect() as conn:
        query = sa.select(Upload.workstream, Upload.version, Upload.uploaded_by)
        return sorted(conn.execute(query).all())


ONE_SAMPLE_EACH = sorted((key, 1, bootstrap.SAMPLE_ACTOR) for key in WORKSTREAMS)


def test_a_fresh_database_gets_one_sample_upload_per_workstream(database_url):
    engine = make_engine(database_url)
    loaded = ensure_database(engine=engine)
    assert sorted(loaded) == sorted(WORKSTREAMS)
    assert uploads(engine) == ONE_SAMPLE_EACH
    engine.dispose()


def test_a_sample_with_a_bad_cell_is_refused_naming_it_and_no_sample_is_stored(
    empty_engine, tmp_path, monkeypatch
):
    # Read in this process rather than the isolated child, the samples still meet every
    # check an officer's upload meets.
    samples = tmp_path / "samples"
    shutil.copytree(bootstrap.SAMPLES_DIR, samples)
    book = load_workbook(samples / "capital_assets.xlsx")
    book["Budget"]["D2"] = "a lot"
    book.save(samples / "capital_assets.xlsx")
    monkeypatch.setattr(bootstrap, "SAMPLES_DIR", samples)

    with pytest.raises(RuntimeError, match=r"capital_assets\.xlsx does not load: .*D2"):
        load_samples(engine=empty_engine)
    # Not even shared_services, which comes first and is sound.
    assert uploads(empty_engine) == []


def test_prepare_makes_the_tables_at_once_and_the_page_waits_for_the_samples(database_url):
    engine = make_engine(database_url)
    thread = prepare_database(engine=engine)
    assert {"user", "upload", "council"} <= set(sa.inspect(engine).get_table_names())
    # What every page calls first: it returns once the background load has finished.
    assert ensure_database(engine=engine) == {}
    assert uploads(engine) == ONE_SAMPLE_EACH
    thread.join(timeout=60)
    assert not thread.is_alive()
    engine.dispose()


def test_prepare_without_samples_starts_nothing(empty_engine):
    assert prepare_database(engine=empty_engine, seed_samples=False) is None
    assert uploads(empty_engine) == []


def test_threads_loading_the_samples_together_load_them_once(database_url):
    engines = [make_engine(database_url) for _ in range(4)]
    ensure_database(engine=engines[0], seed_samples=False)
    barrier, results = threading.Barrier(len(engines)), []

    def load(engine):
        barrier.wait(timeout=30)
        results.append(load_samples(engine=engine))

    threads = [threading.Thread(target=load, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(len(r) for r in results) == [0, 0, 0, len(WORKSTREAMS)]
    assert uploads(engines[0]) == ONE_SAMPLE_EACH
    for engine in engines:
        engine.dispose()


def _start_up(url: str) -> list[str]:
    """Make url ready in a process of its own, as another server starting would."""
    engine = make_engine(url)
    try:
        return sorted(ensure_database(engine=engine))
    finally:
        engine.dispose()


def test_processes_starting_together_on_a_fresh_database_load_each_sample_once(database_url):
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(3, mp_context=fork) as pool:
        outcomes = list(pool.map(_start_up, [database_url] * 3))

    assert sorted(key for outcome in outcomes for key in outcome) == sorted(WORKSTREAMS)
    engine = make_engine(database_url)
    assert uploads(engine) == ONE_SAMPLE_EACH
    engine.dispose()


def test_a_background_load_that_fails_is_logged_and_the_page_says_why(
    empty_engine, monkeypatch, caplog
):
    monkeypatch.setattr(bootstrap, "SAMPLES_DIR", bootstrap.SAMPLES_DIR / "missing")
    thread = prepare_database(engine=empty_engine)
    thread.join(timeout=60)
    assert "The sample data did not load in the background" in caplog.text
    with pytest.raises(FileNotFoundError):
        ensure_database(engine=empty_engine)
