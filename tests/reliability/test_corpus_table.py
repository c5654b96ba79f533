"""The corpus table in CORPUS.md stays true to the corpus the tests run."""

from pathlib import Path

from tests.reliability.corpus import CASES

TABLE = Path(__file__).with_name("CORPUS.md").read_text(encoding="utf-8")


def _documented_rows() -> dict[str, str]:
    rows = {}
    for line in TABLE.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 4 and cells[0] not in ("case", "---"):
            rows[cells[0].removesuffix(" (slow)")] = cells[2]
    return rows


def test_every_corpus_case_is_in_the_table_with_its_outcome():
    documented = _documented_rows()
    for case in CASES:
        assert case.name in documented, f"{case.name} is missing from CORPUS.md"
        outcome = documented[case.name]
        if case.loads:
            assert outcome.startswith("loads"), (case.name, outcome)
        else:
            assert outcome == f"refused: `{case.code}`", (case.name, outcome)


def test_the_table_lists_no_case_the_corpus_does_not_have():
    assert set(_documented_rows()) == {case.name for case in CASES}
