"""The Housing Tenancy Fraud Pilot page: pilot groups, outcomes and notional savings."""

import pytest

from lgadata.auth import command_line
from lgadata.db import make_engine
from lgadata.ingest import check_bytes
from lgadata.settings import get_settings
from lgadata.store import store_upload
from tests.pages.conftest import texts
from tests.test_queries_tenancy_fraud import OUTCOMES, PILOTS
from tests.workbooks import make_xlsx

PAGE = "tenancy_fraud.py"


def _unescaped(app) -> str:
    return texts(app).replace("\\", "")


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("Pilot groups", "3"),
        ("Councils", "7"),
        ("Initial meeting held", "3 of 3"),
        ("Properties recovered", "0"),
        ("Notional savings", "£0"),
    ],
)
def test_the_page_shows_the_pilots_headline_figures(open_page, label, value):
    app = open_page(PAGE)
    assert app.title[0].value == "Housing Tenancy Fraud Pilot"
    assert next(m for m in app.metric if m.label == label).value == value


def test_each_pilot_group_shows_its_lead_council_first_and_its_rag_in_words(open_page):
    shown = texts(open_page(PAGE))
    for line in (
        "Stroud District Council (lead)",
        "Gloucester City Council",
        "Huntingdonshire District Council (lead)",
        "Status: Initial meeting held",
        "RAG: Amber",
        "RAG: Green",
        "Next milestone: Appoint a pilot lead officer",
    ):
        assert line in shown, line
    assert "Gloucester City Council (lead)" not in shown


def test_with_no_outcomes_the_page_says_the_pilots_have_only_met(open_page):
    shown = _unescaped(open_page(PAGE))
    assert "No outcomes reported yet: the pilots have held initial meetings." in shown


def test_notional_savings_are_shown_with_their_basis(open_page):
    shown = _unescaped(open_page(PAGE))
    assert "0 properties recovered × £18,000 a property = £0" in shown
    assert get_settings().fraud_value_basis in shown


def test_uploaded_outcomes_are_charted_by_quarter_with_notional_savings(open_page, database_url):
    app = open_page(PAGE)
    data = make_xlsx({"Pilots": PILOTS, "Outcomes": OUTCOMES})
    parsed = check_bytes(data, "fraud.xlsx", workstream="tenancy_fraud", isolate=False)
    engine = make_engine(database_url)
    store_upload(engine=engine, parsed=parsed, content=data, actor=command_line("test"))
    engine.dispose()
    app.run()
    assert not app.exception
    assert next(m for m in app.metric if m.label == "Notional savings").value == "£108,000"
    assert "No outcomes reported yet" not in texts(app)
    app.toggle(key="table-fraud-outcomes").set_value(True).run()
    table = app.dataframe[0].value
    assert list(table["Quarter"]) == ["Apr to Jun 2013", "Jul to Sep 2013"]
    assert list(table["Properties recovered"]) == [3, 3]
    assert list(table["Notional savings"]) == ["£54,000", "£54,000"]


def test_an_empty_database_says_what_to_upload(open_page):
    app = open_page(PAGE, samples=False)
    assert "No Housing Tenancy Fraud Pilot data has been uploaded yet" in texts(app)
