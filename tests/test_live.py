"""Live updates: when a page redraws itself, and the note that says how fresh it is.

AppTest never fires a fragment's run_every timer, so the polling itself is tested in a real
browser (tests/browser/test_live.py); here are the decisions and the wiring of a full run.
"""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from ui.live import SEEN, Seen, note, remember, should_refresh

NOON = dt.datetime(2013, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("seen", "current", "refresh"),
    [
        (7, 7, False),
        (7, 8, True),  # an upload
        (8, 9, True),  # a rollback is a new version too
        (9, 3, True),  # a database restored from a backup
        (0, 1, True),  # the first upload into an empty database
        (None, 7, False),  # a page not yet drawn has nothing to redraw
    ],
)
def test_a_page_is_redrawn_only_when_the_data_version_moved(seen, current, refresh):
    assert should_refresh(seen, current) is refresh


@pytest.mark.parametrize(
    ("seen", "current", "remembered"),
    [
        (None, 7, Seen(7)),
        (Seen(7), 7, Seen(7)),
        (Seen(7), 8, Seen(8, changed_at=NOON)),
        (
            Seen(7, changed_at=NOON - dt.timedelta(hours=1)),
            7,
            Seen(7, NOON - dt.timedelta(hours=1)),
        ),
    ],
)
def test_a_session_remembers_when_the_version_it_was_drawn_from_moved(seen, current, remembered):
    assert remember(seen, current, now=NOON) == remembered


@pytest.mark.parametrize(
    ("seen", "every", "failed", "text"),
    [
        (Seen(7), 5.0, False, "Figures read at 12:00, checked every 5 seconds"),
        (Seen(7), 1.0, False, "Figures read at 12:00, checked every 1 second"),
        (Seen(7), 2.5, False, "Figures read at 12:00, checked every 2.5 seconds"),
        (Seen(8, changed_at=NOON - dt.timedelta(seconds=5)), 5.0, False, "Updated just now"),
        (
            Seen(8, changed_at=NOON - dt.timedelta(minutes=2)),
            5.0,
            False,
            "Figures read at 12:00, checked every 5 seconds",
        ),
        (
            Seen(7),
            5.0,
            True,
            "Could not check for new figures just now; trying again every 5 seconds",
        ),
    ],
)
def test_the_note_says_how_fresh_the_figures_are(seen, every, failed, text):
    assert note(seen, now=NOON, every=every, failed=failed) == text


def _page_with_a_version():
    """A page whose data version is LIVE_TEST_VERSION; LIVE_TEST_FAIL breaks every poll."""
    import os

    import sqlalchemy as sa
    import streamlit as st

    from ui import live

    def version() -> int:
        polls = st.session_state.setdefault("polls", [])
        polls.append(1)
        if os.environ.get("LIVE_TEST_FAIL") and len(polls) % 2 == 0:  # the fragment's read
            raise sa.exc.OperationalError("SELECT max(id)", {}, Exception("database gone"))
        return int(os.environ["LIVE_TEST_VERSION"])

    st.title("A page")
    live.watch(version=version)


@pytest.fixture
def live_page(monkeypatch):
    monkeypatch.setenv("LIVE_TEST_VERSION", "7")
    monkeypatch.delenv("LIVE_TEST_FAIL", raising=False)
    app = AppTest.from_function(_page_with_a_version)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_page_notes_the_version_it_was_drawn_from_and_says_it_is_checked(live_page):
    assert live_page.session_state[SEEN] == Seen(7)
    [caption] = [c.value for c in live_page.caption]
    assert caption.startswith("Figures read at ") and caption.endswith(", checked every 5 seconds")


def test_a_page_drawn_after_an_upload_says_it_was_updated_just_now(live_page, monkeypatch):
    monkeypatch.setenv("LIVE_TEST_VERSION", "8")
    live_page.run()
    assert not live_page.exception
    assert live_page.session_state[SEEN].version == 8
    assert [c.value for c in live_page.caption] == ["Updated just now"]


def test_a_failed_poll_says_so_in_small_print_rather_than_raising(live_page, monkeypatch):
    monkeypatch.setenv("LIVE_TEST_FAIL", "1")
    live_page.run()
    assert not live_page.exception
    assert [c.value for c in live_page.caption] == [
        "Could not check for new figures just now; trying again every 5 seconds"
    ]


def test_the_poll_interval_comes_from_the_settings(monkeypatch):
    from lgadata.settings import Settings

    monkeypatch.setenv("LGADATA_POLL_SECONDS", "2.5")
    assert Settings().poll_seconds == 2.5
    monkeypatch.setenv("LGADATA_POLL_SECONDS", "0")
    with pytest.raises(ValueError, match="greater than 0"):
        Settings()
