"""Housing Tenancy Fraud Pilot queries over the samples and an uploaded Outcomes sheet."""

import pytest

from lgadata import queries
from lgadata.periods import quarter_label
from lgadata.queries.tenancy_fraud import pilot_stage
from lgadata.settings import get_settings
from tests.workbooks import check_and_store, make_xlsx

PILOTS = [
    ["pilot", "council", "lead", "status", "next_milestone", "rag"],
    ["Stroud and Gloucester", "Gloucester City Council", "No", "Live", "Report", "Green"],
    ["Stroud and Gloucester", "Stroud DC", "Yes", "Live", "Report", "Green"],
    ["Three Rivers and Watford", "Three Rivers District Council", "Yes", "Live", "", "Amber"],
    ["Three Rivers and Watford", "Watford BC", "No", "Live", "", "Amber"],
]
OUTCOMES = [
    [
        "pilot",
        "period",
        "referrals",
        "investigations_opened",
        "properties_recovered",
        "prosecutions",
    ],
    ["Stroud and Gloucester", "2013-Q2", 10, 4, 2, 0],
    ["Three Rivers and Watford", "2013 Q2", 6, 3, 1, 1],
    ["Stroud and Gloucester", "Q2 2013/14", 12, 5, 3, 1],
]


@pytest.fixture
def outcomes_engine(sample_engine):
    """The samples with a later upload that reports outcomes for two quarters."""
    data = make_xlsx({"Pilots": PILOTS, "Outcomes": OUTCOMES})
    check_and_store(sample_engine, data, workstream="tenancy_fraud", file_name="fraud.xlsx")
    return sample_engine


@pytest.fixture
def value_of_20000(monkeypatch):
    """Settings that value a recovered property at £20,000."""
    monkeypatch.setenv("LGADATA_FRAUD_VALUE_PER_PROPERTY_GBP", "20000")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_samples_have_three_pilot_groups_of_seven_councils(sample_engine):
    summary = queries.fraud_summary(engine=sample_engine)
    assert (summary["pilots"], summary["councils"]) == (3, 7)
    assert summary["statuses"] == [{"status": "Initial meeting held", "pilots": 3}]
    assert summary["stage"] == "the pilots have held initial meetings"


def test_each_pilot_group_lists_its_lead_council_first(sample_engine):
    pilots = {p["pilot"]: p for p in queries.fraud_pilots(engine=sample_engine)}
    assert set(pilots) == {
        "Stroud and Gloucester",
        "Three Rivers and Watford",
        "Huntingdonshire, Fenland and Peterborough",
    }
    group = pilots["Huntingdonshire, Fenland and Peterborough"]
    assert group["lead"] == "Huntingdonshire District Council"
    assert group["councils"] == [
        "Huntingdonshire District Council",
        "Fenland District Council",
        "Peterborough City Council",
    ]
    assert group["rag"] == "Amber"


def test_the_samples_have_no_outcomes_and_so_no_notional_savings(sample_engine):
    outcomes = queries.fraud_outcomes(engine=sample_engine)
    assert outcomes["quarters"] == []
    assert (outcomes["properties_recovered"], outcomes["notional_savings_gbp"]) == (0, 0)
    assert outcomes["value_per_property_gbp"] == 18_000
    assert outcomes["basis"] == get_settings().fraud_value_basis


def test_outcomes_are_totalled_by_quarter_across_pilot_groups(outcomes_engine):
    quarters = queries.fraud_outcomes(engine=outcomes_engine)["quarters"]
    assert quarters == [
        {
            "quarter": "2013-Q2",
            "label": "Apr to Jun 2013",
            "pilots_reporting": 2,
            "referrals": 16,
            "investigations_opened": 7,
            "properties_recovered": 3,
            "prosecutions": 1,
            "notional_savings_gbp": 54_000,
        },
        {
            "quarter": "2013-Q3",
            "label": "Jul to Sep 2013",
            "pilots_reporting": 1,
            "referrals": 12,
            "investigations_opened": 5,
            "properties_recovered": 3,
            "prosecutions": 1,
            "notional_savings_gbp": 54_000,
        },
    ]


def test_notional_savings_are_properties_recovered_times_18000(outcomes_engine):
    outcomes = queries.fraud_outcomes(engine=outcomes_engine)
    assert outcomes["properties_recovered"] == 6
    assert outcomes["referrals"] == 28
    assert outcomes["notional_savings_gbp"] == 6 * 18_000


def test_notional_savings_use_the_configured_value_per_property(outcomes_engine, value_of_20000):
    outcomes = queries.fraud_outcomes(engine=outcomes_engine)
    assert outcomes["value_per_property_gbp"] == 20_000
    assert outcomes["notional_savings_gbp"] == 120_000


def test_a_new_pilots_sheet_replaces_the_groups_and_their_leads(outcomes_engine):
    pilots = queries.fraud_pilots(engine=outcomes_engine)
    assert [(p["pilot"], p["councils"][0], p["status"]) for p in pilots] == [
        ("Stroud and Gloucester", "Stroud District Council", "Live"),
        ("Three Rivers and Watford", "Three Rivers District Council", "Live"),
    ]
    assert queries.fraud_summary(engine=outcomes_engine)["stage"] == "the pilots are live"


@pytest.mark.parametrize(
    ("statuses", "stage"),
    [
        ([], None),
        ([("Selected", 3)], "the pilots have been selected"),
        ([("Initial meeting held", 3)], "the pilots have held initial meetings"),
        ([("Complete", 1)], "the pilots are complete"),
        (
            [("Initial meeting held", 2), ("Live", 1)],
            "the pilots are at different stages (2 initial meeting held, 1 live)",
        ),
    ],
)
def test_the_pilots_stage_is_said_in_words(statuses, stage):
    assert pilot_stage([{"status": s, "pilots": n} for s, n in statuses]) == stage


@pytest.mark.parametrize(
    ("quarter", "label"),
    [
        ("2013-Q1", "Jan to Mar 2013"),
        ("2013-Q4", "Oct to Dec 2013"),
        ("2014-Q2", "Apr to Jun 2014"),
        ("odd", "odd"),
    ],
)
def test_a_quarter_is_labelled_by_its_months(quarter, label):
    assert quarter_label(quarter) == label


def test_an_empty_database_has_no_pilots_or_outcomes(empty_engine):
    assert queries.fraud_pilots(engine=empty_engine) == []
    summary = queries.fraud_summary(engine=empty_engine)
    assert (summary["pilots"], summary["councils"], summary["stage"]) == (0, 0, None)
    assert queries.fraud_outcomes(engine=empty_engine)["quarters"] == []
