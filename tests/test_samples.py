"""The shipped sample workbooks: up to date, clean, and giving the board report's figures."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from lgadata import queries
from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine
from lgadata.ingest import check_bytes
from lgadata.samples import SAMPLES_DIR, build_samples
from lgadata.workstreams import WORKSTREAMS

SAMPLE_FILES = [w.sample_file for w in WORKSTREAMS.values()]
STALE = "the shipped sample is out of date: run python -m lgadata.samples"


@pytest.fixture(scope="module")
def fresh_dir(tmp_path_factory):
    """A directory holding a fresh build of the samples."""
    out = tmp_path_factory.mktemp("samples")
    build_samples(out)
    return out


@pytest.fixture(scope="module")
def engine():
    """An in-memory database seeded from the shipped samples."""
    engine = make_engine("sqlite://")
    ensure_database(engine=engine)
    yield engine
    engine.dispose()


def _cells(path):
    book = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_build_samples_writes_one_workbook_per_workstream(tmp_path):
    assert [p.name for p in build_samples(tmp_path)] == SAMPLE_FILES


@pytest.mark.parametrize("file_name", SAMPLE_FILES)
def test_the_shipped_sample_matches_a_fresh_build(file_name, fresh_dir):
    assert _cells(SAMPLES_DIR / file_name) == _cells(fresh_dir / file_name), STALE


def test_a_build_repeats_byte_for_byte(fresh_dir, tmp_path):
    for path in build_samples(tmp_path):
        assert path.read_bytes() == (fresh_dir / path.name).read_bytes(), path.name


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_the_shipped_sample_loads_without_any_problem(key):
    path = SAMPLES_DIR / WORKSTREAMS[key].sample_file
    parsed = check_bytes(path.read_bytes(), path.name, workstream=key, isolate=False)
    assert parsed.ok
    assert [(p.sheet, p.row, p.column, p.code) for p in parsed.problems] == []


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_every_sample_says_it_is_sample_data(key):
    book = load_workbook(SAMPLES_DIR / WORKSTREAMS[key].sample_file)
    assert book["About"]["A1"].value.startswith("SAMPLE DATA for demonstration.")
    assert [s.name for s in WORKSTREAMS[key].sheets] == book.sheetnames[1:]


@pytest.mark.parametrize(
    ("as_at", "arrangements", "councils", "savings_gbp"),
    [
        ("2011-11-30", 170, 220, 165_000_000),
        ("2013-01-31", 325, 337, 278_000_000),
    ],
)
def test_each_map_edition_gives_the_reports_totals(
    engine, as_at, arrangements, councils, savings_gbp
):
    edition = {e["as_at"]: e for e in queries.shared_services_editions(engine=engine)}[as_at]
    assert (edition["arrangements"], edition["councils"]) == (arrangements, councils)
    assert edition["savings_gbp"] == savings_gbp
    assert 0 < edition["savings_not_reported"] < arrangements * 0.15


def test_at_least_95_per_cent_of_english_councils_share_services(engine):
    latest = queries.shared_services_editions(engine=engine)[-1]
    assert latest["share_of_councils"] >= 0.95


def test_the_capital_assets_budget_for_2013_14_is_700000_half_for_secondees(engine):
    year = {y["financial_year"]: y for y in queries.capital_assets_years(engine=engine)}["2013/14"]
    assert (year["budget_gbp"], year["secondees_gbp"]) == (700_000, 350_000)
    assert 0 < year["spent_gbp"] < year["budget_gbp"]


def test_wave_4_of_the_capital_assets_programme_has_12_councils(engine):
    councils = queries.capital_assets_councils(engine=engine)
    assert (councils["current_wave"], councils["current_wave_councils"]) == (4, 12)
    assert councils["earlier_waves"] == 3
    assert councils["waves"][-1]["secondees_in_post"] == 12


def test_the_three_fraud_pilots_have_exactly_the_named_councils(engine):
    pilots = {p["pilot"]: p["councils"] for p in queries.fraud_pilots(engine=engine)}
    assert pilots == {
        "Stroud and Gloucester": ["Stroud District Council", "Gloucester City Council"],
        "Three Rivers and Watford": ["Three Rivers District Council", "Watford Borough Council"],
        "Huntingdonshire, Fenland and Peterborough": [
            "Huntingdonshire District Council",
            "Fenland District Council",
            "Peterborough City Council",
        ],
    }
    assert queries.fraud_outcomes(engine=engine)["quarters"] == []


def test_each_of_the_last_five_bulletins_is_led_by_a_programme_page(engine):
    bulletins = queries.bulletins(engine=engine, limit=5)
    assert len(bulletins) == 5
    assert all(b["top_is_programme"] for b in bulletins)
    assert [b["sent_on"][:7] for b in bulletins] == [f"2013-0{m}" for m in (5, 4, 3, 2, 1)]


def test_the_three_procurement_deep_dives_are_the_reports(engine):
    dives = [(d["organisation"], d["category"]) for d in queries.deep_dives(engine=engine)]
    assert dives == [
        ("Gloucestershire County Council", "Energy"),
        ("Lincolnshire Procurement Partnership", "Construction"),
        ("London Borough of Camden", "ICT"),
    ]


def test_milestones_run_from_2013_to_2015_and_none_was_overdue_on_the_report_date(engine):
    milestones = queries.milestones(engine=engine, today=dt.date(2013, 3, 20))
    assert {m["due"][:4] for m in milestones} == {"2013", "2014", "2015"}
    assert not any(m["overdue"] for m in milestones)
