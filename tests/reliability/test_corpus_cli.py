"""Every file of the corpus through `python -m lgadata check` and `load`, on both databases.

Most cases run the command line in-process (its main() with captured output); the files
that would take a process down without the reader's isolation run as real processes too.
"""

import json
import os
import subprocess
import sys

import pytest

from lgadata import queries
from lgadata.cli import main
from lgadata.db import get_engine
from lgadata.recognise import STRUCTURE
from lgadata.settings import REPO_ROOT, get_settings
from tests.reliability.corpus import CASES, SECRET, parameters
from tests.reliability.snapshot import dump, picture


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A folder the big files are built into once for the module."""
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture
def cli(sample_engine, database_url, monkeypatch, capsys):
    """Run `python -m lgadata ARGS` in-process on a database holding the samples."""
    monkeypatch.setenv("LGADATA_DATABASE_URL", database_url)
    monkeypatch.setenv("LGADATA_SEED_SAMPLES", "false")
    get_settings.cache_clear()
    get_engine.cache_clear()

    def run(*args: str) -> tuple[int, str, str]:
        status = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    yield run
    get_engine.cache_clear()
    get_settings.cache_clear()


def write(case, cache, tmp_path):
    path = tmp_path / case.file_name
    path.write_bytes(case.build(cache))
    return path


def assert_one_clear_message(case, text: str) -> None:
    assert "Traceback" not in text
    assert case.file_name in text
    assert case.fragment in text
    assert case.cell in text
    assert SECRET not in text


@pytest.mark.parametrize("case", parameters())
def test_checking_each_file_gives_its_outcome_in_one_clear_message(case, cache, tmp_path, cli):
    path = write(case, cache, tmp_path)
    status, out, err = cli("check", case.workstream, path, "--json")
    result = json.loads(out)
    errors = [(p["code"], p["cell"]) for p in result["errors"]]
    warnings = [(p["code"], p["cell"]) for p in result["warnings"]]
    if case.loads:
        assert (status, result["ok"], errors, result["rows"]) == (0, True, [], case.rows)
        assert case.code is None or (case.code, case.cell) in warnings
    else:
        assert (status, result["ok"], errors[0]) == (1, False, (case.code, case.cell))
        # After a refusal, only what checking the file as it is found (as the page lists it).
        assert {code for code, _ in errors[1:]} <= set(STRUCTURE), errors
    status, out, err = cli("check", case.workstream, path)
    assert_one_clear_message(case, out + err)


@pytest.mark.parametrize("case", parameters())
def test_loading_each_file_stores_it_whole_or_leaves_the_database_as_it_was(
    case, cache, tmp_path, cli, database_url
):
    path = write(case, cache, tmp_path)
    before = picture(database_url)
    # Over the samples most files move a headline figure past its threshold: the reason
    # lets them store, and a file refused is refused whatever the reason.
    status, out, err = cli("load", case.workstream, path, "--by", "corpus", "--reason", "corpus")
    assert_one_clear_message(case, out + err)
    if not case.loads:
        assert status == 1
        assert picture(database_url) == before
        return
    assert status == 0 and "Stored as upload" in out
    engine = get_engine()
    latest = queries.history(engine=engine, workstream=case.workstream, limit=1)[0]
    assert (latest["file_name"], latest["rows"]) == (case.file_name, case.rows)
    if case.keeps:
        stored = [row for rows in dump(database_url).values() for row in rows]
        assert any(case.keeps in row for row in stored)


@pytest.mark.parametrize("case", parameters([c for c in CASES if c.kills_reader]))
@pytest.mark.parametrize("command", ["check", "load"])
def test_files_that_would_kill_a_reader_are_refused_by_a_real_process(
    case, command, cache, tmp_path, sample_engine, database_url
):
    path = write(case, cache, tmp_path)
    before = picture(database_url)
    env = os.environ | {"LGADATA_DATABASE_URL": database_url, "LGADATA_SEED_SAMPLES": "false"}
    process = subprocess.run(
        [sys.executable, "-m", "lgadata", command, case.workstream, str(path)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 1, process.stderr
    assert_one_clear_message(case, process.stdout + process.stderr)
    assert picture(database_url) == before
