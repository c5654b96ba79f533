"""Capital and Assets Programme queries over the shipped samples, on both databases."""

import pytest

from lgadata import queries


def test_the_2013_14_budget_is_700000_with_about_half_for_secondees(sample_engine):
    year = queries.capital_assets_year(engine=sample_engine, financial_year="2013/14")
    assert year["budget_gbp"] == 700_000
    assert year["secondees_gbp"] == 350_000
    assert year["secondee_share"] == 0.5
    assert year["spent_gbp"] == 157_510
    assert year["spent_share"] == pytest.approx(157_510 / 700_000)


def test_the_latest_year_is_compared_with_the_year_before(sample_engine):
    year = queries.capital_assets_year(engine=sample_engine)
    assert year["financial_year"] == "2013/14"
    assert year["previous"]["financial_year"] == "2012/13"
    assert year["budget_change_gbp"] == 250_000


@pytest.mark.parametrize(
    ("financial_year", "expected"),
    [("2012/13", "2012/13"), ("2011/12", None), ("2014/15", None)],
)
def test_a_year_is_found_only_when_it_has_a_budget(sample_engine, financial_year, expected):
    year = queries.capital_assets_year(engine=sample_engine, financial_year=financial_year)
    assert (year and year["financial_year"]) == expected


def test_the_first_year_has_no_year_before_it(sample_engine):
    year = queries.capital_assets_year(engine=sample_engine, financial_year="2012/13")
    assert year["previous"] is None
    assert year["budget_change_gbp"] is None


def test_the_years_budget_and_spend_are_totalled_by_category_largest_first(sample_engine):
    rows = queries.capital_assets_categories(engine=sample_engine, financial_year="2013/14")
    assert [(r["category"], r["budget_gbp"], r["spent_gbp"], r["lines"]) for r in rows] == [
        ("Secondees", 350_000, 84_860, 2),
        ("Programme management", 180_000, 45_000, 1),
        ("Events and support", 130_000, 27_650, 2),
        ("Other", 40_000, 0, 1),
    ]
    assert sum(r["budget_gbp"] for r in rows) == 700_000


def test_wave_4_has_12_councils_after_3_earlier_waves(sample_engine):
    councils = queries.capital_assets_councils(engine=sample_engine)
    assert councils["current_wave"] == 4
    assert councils["current_wave_councils"] == 12
    assert councils["earlier_waves"] == 3
    assert councils["councils"] == 45
    assert councils["capital_receipts_gbp"] == 115_218_000
    assert councils["running_cost_savings_gbp"] == 14_164_000


def test_councils_are_counted_by_wave_and_status(sample_engine):
    rows = queries.capital_assets_wave_status(engine=sample_engine)
    assert [(r["wave"], r["status"], r["councils"]) for r in rows] == [
        (1, "Complete", 11),
        (2, "Complete", 10),
        (3, "Complete", 12),
        (4, "Under way", 12),
    ]


def test_the_council_list_names_each_council_and_its_region(sample_engine):
    rows = queries.capital_assets_council_list(engine=sample_engine)
    assert len(rows) == 45
    assert rows[0] == {
        "council": "Babergh District Council",
        "region": "East of England",
        "wave": 1,
        "status": "Complete",
        "secondee_in_post": False,
        "capital_receipts_gbp": 4_561_000,
        "running_cost_savings_gbp": 227_000,
    }


def test_the_council_list_can_be_limited_to_one_wave(sample_engine):
    rows = queries.capital_assets_council_list(engine=sample_engine, wave=4)
    assert len(rows) == 12
    assert {r["wave"] for r in rows} == {4}
    assert all(r["secondee_in_post"] for r in rows)
    assert {r["capital_receipts_gbp"] for r in rows} == {None}


def test_an_empty_database_has_no_capital_and_assets_figures(empty_engine):
    assert queries.capital_assets_years(engine=empty_engine) == []
    assert queries.capital_assets_year(engine=empty_engine) is None
    assert queries.capital_assets_categories(engine=empty_engine, financial_year="2013/14") == []
    assert queries.capital_assets_wave_status(engine=empty_engine) == []
    assert queries.capital_assets_council_list(engine=empty_engine) == []
    councils = queries.capital_assets_councils(engine=empty_engine)
    assert (councils["waves"], councils["current_wave"], councils["earlier_waves"]) == ([], None, 0)
