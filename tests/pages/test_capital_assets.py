"""The Capital and Assets Programme page: budget, councils by wave, results and milestones."""

import pytest

from tests.pages.conftest import texts

# Widget keys of pages/capital_assets.py (importing a page would run it).
YEAR_KEY, WAVE_KEY = "capital_assets_year", "capital_assets_wave"

PAGE = "capital_assets.py"


def _metric(app, label: str):
    return next(m for m in app.metric if m.label == label)


def test_the_page_opens_on_2013_14_with_the_reports_budget(open_page):
    app = open_page(PAGE)
    assert app.title[0].value == "Capital and Assets Programme"
    assert app.selectbox(key=YEAR_KEY).options == ["2013/14", "2012/13"]
    budget = _metric(app, "Budget 2013/14")
    assert (budget.value, budget.delta) == ("£700,000", "+£250,000 on 2012/13")
    assert _metric(app, "Secondees (share of budget)").value == "£350,000 (50%)"
    assert _metric(app, "Spent to date (share of budget)").value == "£157,510 (23%)"


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("Councils in wave 4 (current wave)", "12"),
        ("Waves before wave 4", "3"),
        ("Capital receipts, all waves", "£115.22m"),
        ("Running-cost savings, all waves", "£14.16m"),
    ],
)
def test_the_page_shows_the_waves_figures(open_page, label, value):
    assert _metric(open_page(PAGE), label).value == value


def test_choosing_2012_13_shows_that_years_budget_with_no_change(open_page):
    app = open_page(PAGE)
    app.selectbox(key=YEAR_KEY).select("2012/13").run()
    assert not app.exception
    budget = _metric(app, "Budget 2012/13")
    assert (budget.value, budget.delta or None) == ("£450,000", None)
    assert _metric(app, "Spent to date (share of budget)").value == "£435,700 (97%)"
    assert "Financial year 2012/13" in texts(app)


def test_the_council_table_lists_every_council_with_its_region(open_page):
    app = open_page(PAGE)
    table = app.dataframe[-2].value
    assert len(table) == 45
    first = table.iloc[0].to_dict()
    assert first == {
        "Council": "Babergh District Council",
        "Region": "East of England",
        "Wave": 1,
        "Status": "Complete",
        "Secondee in post": "No",
        "Capital receipts": "£4.56m",
        "Running-cost savings": "£227,000",
    }


def test_choosing_wave_4_lists_its_12_councils_with_secondees_in_post(open_page):
    app = open_page(PAGE)
    app.segmented_control(key=WAVE_KEY).set_value("Wave 4").run()
    assert not app.exception
    table = app.dataframe[-2].value
    assert len(table) == 12
    assert set(table["Secondee in post"]) == {"Yes"}
    assert set(table["Wave"]) == {4}


def test_the_steering_committee_and_officer_group_meetings_are_listed(open_page):
    app = open_page(PAGE)
    milestones = app.dataframe[-1].value
    assert "Steering committee quarterly meeting" in set(milestones["Milestone"])
    assert "Officer group monthly meeting" in set(milestones["Milestone"])
    assert "22 January 2013" in set(milestones["Due"])
    assert len(milestones) == 7


def test_the_tables_behind_the_charts_can_be_shown(open_page):
    app = open_page(PAGE)
    app.toggle(key="table-cap-budget").set_value(True).run()
    shown = texts(app)
    assert "Programme management" in shown
    assert "£180,000" in shown


def test_an_empty_database_says_what_to_upload(open_page):
    app = open_page(PAGE, samples=False)
    assert "No Capital and Assets Programme data has been uploaded yet" in texts(app)
