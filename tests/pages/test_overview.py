"""The Overview page shows every workstream's headline figures."""

import datetime as dt

import pytest
from sqlalchemy.exc import OperationalError

from lgadata.auth import command_line
from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine
from lgadata.meetings import add_meeting
from lgadata.paper import NOTE_LIMIT, SECTIONS
from tests.pages.conftest import texts
from ui import pack


def test_the_overview_shows_the_board_reports_headline_figures(open_page):
    shown = texts(open_page())
    for figure in ("337", "325", "£278m", "220", "£165m", "£700,000"):
        assert figure in shown, figure


def test_the_overview_of_an_empty_database_says_what_to_upload(open_page):
    shown = texts(open_page(samples=False))
    assert "No Shared Services Map data has been uploaded yet" in shown


PACK_DOWNLOADS = ["Paper (PDF)", "Paper (Word)", "Figures (Excel)"]


def prepare(app):
    return app.button(key=pack.PREPARE).click().run()


def test_the_overview_offers_the_board_pack_as_pdf_word_and_excel_once_prepared(open_page):
    app = open_page(role="viewer")
    assert app.date_input(key="pack-date").value == dt.date.today()
    assert not app.get("download_button")
    prepare(app)
    assert [b.label for b in app.get("download_button")] == PACK_DOWNLOADS
    # Prepared once, the files stay offered on the next run without another click.
    app.run()
    assert [b.label for b in app.get("download_button")] == PACK_DOWNLOADS


def test_a_new_meeting_date_asks_for_the_pack_to_be_prepared_again(open_page):
    app = open_page(role="viewer")
    prepare(app)
    app.date_input(key="pack-date").set_value(dt.date(2013, 3, 20))
    app.button(key="FormSubmitter:pack-form-Use this date").click().run()
    assert not app.get("download_button")
    assert [b.label for b in app.button if b.key == pack.PREPARE] == ["Prepare the board pack"]


def test_a_viewer_downloads_the_board_pack_without_notes_boxes(open_page):
    app = open_page(role="viewer")
    assert not app.text_area
    assert "Officers' notes" not in [e.label for e in app.expander]


def test_an_officer_can_write_a_note_for_each_section_of_the_paper(open_page):
    app = open_page(role="officer")
    assert [t.label for t in app.text_area] == [title for _, title in SECTIONS]
    assert all(t.max_chars == NOTE_LIMIT for t in app.text_area)


def test_the_board_pack_uses_the_date_and_notes_once_applied(open_page):
    app = open_page(role="officer")
    app.date_input(key="pack-date").set_value(dt.date(2013, 3, 20))
    app.text_area(key="pack-note-shared_services").input("Figures checked with councils.")
    app.button(key="FormSubmitter:pack-form-Use this date and these notes").click().run()
    assert (
        "The files are for the meeting of 20 March 2013, with officers' notes on "
        "Shared Services Map." in texts(app)
    )


def _fails(error: Exception):
    def build(**_):
        raise error

    return build


@pytest.mark.parametrize(
    ("builder", "error", "key", "message"),
    [
        (
            "ui.pack.build_paper",
            RuntimeError("vl-convert could not draw a chart"),
            "pack-pdf",
            "The paper (PDF) could not be built: the problem has been logged.",
        ),
        (
            "lgadata.paper.figures_workbook",  # read from the package when a file is made
            OperationalError("SELECT 1", {}, Exception("connection refused")),
            "pack-xlsx",
            "The figures (Excel) could not be built: the database could not be read.",
        ),
    ],
)
def test_a_file_that_cannot_be_built_says_so_on_the_page(
    open_page, monkeypatch, builder, error, key, message
):
    app = open_page(role="viewer")
    monkeypatch.setattr(builder, _fails(error))
    prepare(app)
    assert not app.exception
    assert [e.value for e in app.error if message in e.value] != []
    assert key not in [b.key for b in app.get("download_button")]


def test_a_file_that_builds_shows_no_error(open_page, monkeypatch):
    app = open_page(role="viewer")
    built = []
    monkeypatch.setattr("lgadata.paper.figures_workbook", lambda **kw: built.append(kw) or b"xlsx")
    prepare(app)
    assert not app.exception and not app.error
    assert [kw["meeting_date"] for kw in built] == [dt.date.today()]


@pytest.mark.parametrize(
    ("registered", "opens_on"),
    [
        pytest.param((-30, 20, 60), 20, id="the-next-meeting"),
        pytest.param((-90, -30), -30, id="the-last-meeting-when-none-is-upcoming"),
        pytest.param((-30, 0), 0, id="a-meeting-today-is-the-next"),
    ],
)
def test_the_board_pack_opens_on_a_registered_meeting(
    open_page, database_url, registered, opens_on
):
    # The walk of issue 17 found the pack on today's date with meetings registered.
    today = dt.date.today()
    engine = make_engine(database_url)
    ensure_database(engine=engine, seed_samples=False)
    for days in registered:
        add_meeting(
            engine=engine,
            by=command_line("clerk"),
            meets_on=today + dt.timedelta(days),
            title="Board",
        )
    engine.dispose()
    app = open_page(role="viewer", samples=False)
    assert app.date_input(key="pack-date").value == today + dt.timedelta(opens_on)
