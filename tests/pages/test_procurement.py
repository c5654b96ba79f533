"""The Procurement page: deep dives, the National Procurement Strategy and EU reform."""

from tests.pages.conftest import texts


def test_the_deep_dives_and_their_planned_spend_are_shown(open_page):
    app = open_page("procurement.py")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Deep dives": "3", "Planned spend in scope": "£81.5m"}
    dives = app.dataframe[0].value
    assert list(dives["Organisation"]) == [
        "Gloucestershire County Council",
        "Lincolnshire Procurement Partnership",
        "London Borough of Camden",
    ]
    assert list(dives["Planned spend"]) == ["£12.5m", "£48m", "£21m"]


def test_the_national_procurement_strategy_milestones_are_listed(open_page):
    app = open_page("procurement.py")
    strategy = app.dataframe[1].value
    assert set(strategy["Workstream"]) == {"National Procurement Strategy"}
    assert "Refreshed strategy drafted for the board" in list(strategy["Milestone"])
    assert "1 of 4 milestones done" in texts(app)


def test_the_eu_reform_timeline_gives_the_months_from_agreement_to_transposition(open_page):
    shown = texts(open_page("procurement.py"))
    assert (
        "Transposition into UK law (30 September 2015) is due 24 months after "
        "EU procurement directives agreed (30 September 2013)."
    ) in shown


def test_the_page_of_an_empty_database_says_what_to_upload(open_page):
    app = open_page("procurement.py", samples=False)
    assert "No Programme milestones and procurement data has been uploaded yet" in texts(app)
