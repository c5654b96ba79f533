"""The Overview page shows every workstream's headline figures."""

from tests.pages.conftest import texts


def test_the_overview_shows_the_board_reports_headline_figures(open_page):
    shown = texts(open_page())
    for figure in ("337", "325", "£278m", "220", "£165m", "£700,000"):
        assert figure in shown, figure


def test_the_overview_of_an_empty_database_says_what_to_upload(open_page):
    shown = texts(open_page(samples=False))
    assert "No Shared Services Map data has been uploaded yet" in shown
