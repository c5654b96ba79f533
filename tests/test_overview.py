"""The Overview's cards, drafted from the sample figures."""

import datetime as dt

from lgadata import queries
from lgadata.overview import cards
from lgadata.sections import registry


def by_title(engine) -> dict:
    figures = queries.metrics(engine=engine, today=dt.date(2013, 3, 20))
    milestones = queries.milestones(engine=engine, today=dt.date(2013, 3, 20))
    return {card.title: card for card in cards(figures, milestones)}


def test_there_is_one_card_per_recommendation_in_the_report_order(sample_engine):
    assert list(by_title(sample_engine)) == [s.title for s in registry.board_sections()]


def test_the_shared_services_card_shows_the_change_since_the_previous_edition(sample_engine):
    card = by_title(sample_engine)["Shared Services Map"]
    shown = [(f.label, f.value, f.change) for f in card.figures]
    assert shown == [
        ("Councils sharing services", "337", "+117 from 220"),
        ("Arrangements", "325", "+155 from 170"),
        ("Efficiency savings", "£278m", "+£113m from £165m"),
    ]
    assert card.as_at == "Map of 31 January 2013"
    assert card.upload_id is not None


def test_the_capital_and_assets_card_shows_the_budget_and_the_secondee_share(sample_engine):
    card = by_title(sample_engine)["Capital and Assets Programme"]
    assert [(f.value, f.change) for f in card.figures] == [
        ("£700,000", "+£250,000"),
        ("50%", None),
        ("12", None),
    ]


def test_the_tenancy_fraud_card_counts_the_three_pilots_and_seven_councils(sample_engine):
    card = by_title(sample_engine)["Housing Tenancy Fraud Pilot"]
    assert [f.value for f in card.figures][:2] == ["3", "7"]
    assert card.status == "Status: Initial meeting held."


def test_an_empty_database_gives_every_card_an_empty_state(empty_engine):
    assert all(card.empty_workstream for card in by_title(empty_engine).values())


def test_a_figure_that_did_not_move_says_no_change_not_plus_nought(sample_engine):
    # The walk of issue 17 saw "+0 from 337" with a green arrow up on the map's screen.
    from lgadata.sections.parts import NO_CHANGE, still
    from tests.test_since import sample_map_with_two_arrangements_in_the_east_of_england
    from tests.workbooks import check_and_store

    may = sample_map_with_two_arrangements_in_the_east_of_england(edition="2013-05-31")
    check_and_store(sample_engine, may, workstream="shared_services", file_name="May.xlsx")
    figures = queries.metrics(engine=sample_engine, today=dt.date(2013, 7, 10))
    milestones = queries.milestones(engine=sample_engine, today=dt.date(2013, 7, 10))
    card = {c.title: c for c in cards(figures, milestones)}["Shared Services Map"]
    councils, arrangements, _ = card.figures
    assert councils.change == "no change from 337"
    assert arrangements.change == "+2 from 325"
    assert still(councils.change) == {"delta_color": "off", "delta_arrow": "off"}
    assert still(arrangements.change) == {} and NO_CHANGE == "no change"
