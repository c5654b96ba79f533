"""The E-bulletin statistics page: one bulletin's links, recent top links, the programme's share."""

import datetime as dt

import pytest

from lgadata.auth import command_line
from lgadata.bootstrap import ensure_database
from lgadata.charts.ebulletin import format_share
from lgadata.db import make_engine
from lgadata.meetings import add_meeting
from tests.pages.conftest import texts

# The widget key of pages/ebulletin.py (importing a page would run it).
BULLETIN = "ebulletin-bulletin"

JANUARY = "Improvement and Innovation Board e-bulletin, January 2013"


def test_the_newest_bulletin_is_shown_first_with_its_views_and_top_share(open_page):
    app = open_page("ebulletin.py")
    assert app.selectbox(key=BULLETIN).value.endswith("May 2013")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {
        "Views": "3,812",
        "Links": "8",
        "Top link's share of views": "25%",
        "Views going to programme pages": "25%",
    }
    assert "https://www.local.gov.uk/productivity/tenancy-fraud" in texts(app)


def test_choosing_another_bulletin_shows_its_figures_and_links(open_page):
    app = open_page("ebulletin.py")
    app.selectbox(key=BULLETIN).set_value(JANUARY).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["Views"], metrics["Top link's share of views"]) == ("3,563", "23%")
    every_link = app.dataframe[0].value
    assert len(every_link) == 8
    assert every_link["URL"].iloc[0] == "https://www.local.gov.uk/productivity/shared-services-map"


def test_the_top_link_of_each_of_the_last_five_bulletins_is_a_programme_page(open_page):
    app = open_page("ebulletin.py")
    assert "5 of the last 5 bulletins had a Productivity Programme page" in texts(app)
    top_links = app.dataframe[1].value
    assert list(top_links["Programme page"]) == ["Yes"] * 5
    assert list(top_links["% of views"]) == ["25%", "21%", "23%", "14%", "23%"]


def test_the_programme_share_can_be_read_as_a_table(open_page):
    app = open_page("ebulletin.py")
    app.toggle(key="table-ebulletin-trend").set_value(True).run()
    assert not app.exception
    trend = next(f.value for f in app.dataframe if "% to programme pages" in f.value.columns)
    assert list(trend["% to programme pages"]) == ["23%", "14%", "23%", "21%", "25%"]


def test_the_page_of_an_empty_database_says_what_to_upload(open_page):
    app = open_page("ebulletin.py", samples=False)
    assert "No E-bulletin statistics data has been uploaded yet" in texts(app)


@pytest.mark.parametrize(
    ("share", "shown"),
    [(0.2474, "25%"), (0.01, "1%"), (0.0012, "0.1%"), (0, "0%"), (None, "not reported")],
)
def test_a_share_below_one_percent_keeps_a_decimal_place(share, shown):
    assert format_share(share) == shown


def test_a_board_meeting_is_marked_on_the_trend_and_listed_in_its_table_view(
    open_page, database_url
):
    engine = make_engine(database_url)
    ensure_database(engine=engine, seed_samples=False)  # the schema; open_page adds the samples
    add_meeting(
        engine=engine,
        by=command_line("clerk"),
        meets_on=dt.date(2013, 3, 20),
        title="Improvement and Innovation Board",
    )
    add_meeting(engine=engine, by=command_line("clerk"), meets_on=dt.date(2014, 1, 8), title="Late")
    engine.dispose()
    app = open_page("ebulletin.py")
    charts = [node for node in app._tree if getattr(node, "type", "") == "vega_lite_chart"]
    assert "Marked on the chart" in charts[-1].proto.spec  # the trend's legend of markers
    app.toggle(key="table-ebulletin-trend").set_value(True).run()
    assert not app.exception
    marked = app.dataframe[-1].value
    assert list(marked.columns) == ["Date", "Marker", "What", "Reason"]
    assert ("20 March 2013", "Board meeting") in zip(marked["Date"], marked["Marker"], strict=True)
    assert "Late" not in set(marked["What"])  # after the last bulletin: off the chart
    assert "Upload" in set(marked["Marker"])  # the samples' upload, at the bulletins it brought
