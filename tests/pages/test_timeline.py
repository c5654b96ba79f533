"""The Programme timeline page: every milestone, filters, and the overdue ones."""

import pytest

from tests.pages.conftest import texts

# Widget keys of pages/timeline.py (importing a page would run it).
WORKSTREAMS, STATUSES, UP_TO_TODAY = "timeline-workstreams", "timeline-statuses", "timeline-today"

# The sample milestones run to September 2015, so every open one is overdue today.


def _figures(app) -> dict:
    return {m.label: m.value for m in app.metric}


def test_every_milestone_is_counted_with_the_overdue_ones(open_page):
    app = open_page("timeline.py")
    assert _figures(app) == {"Milestones": "23", "Done": "9", "At risk": "1", "Overdue": "13"}
    overdue = app.dataframe[0].value
    assert len(overdue) == 13
    assert not set(overdue["Status"]) & {"Done", "Missed"}


@pytest.mark.parametrize(
    ("key", "value", "milestones", "overdue"),
    [
        (WORKSTREAMS, ["EU procurement reform"], "2", "2"),
        (WORKSTREAMS, ["Commissioning Academy", "Shared Services Map"], "6", "4"),
        (STATUSES, ["Done"], "9", "0"),
        (STATUSES, ["Planned"], "12", "12"),
    ],
)
def test_the_filters_narrow_the_milestones(open_page, key, value, milestones, overdue):
    app = open_page("timeline.py")
    app.multiselect(key=key).set_value(value).run()
    assert not app.exception
    figures = _figures(app)
    assert (figures["Milestones"], figures["Overdue"]) == (milestones, overdue)


def test_today_far_after_the_milestones_is_shown_only_when_asked(open_page):
    app = open_page("timeline.py")
    assert "is outside them" in texts(app)
    app.toggle(key=UP_TO_TODAY).set_value(True).run()
    assert not app.exception
    assert "is outside them" not in texts(app)


def test_the_page_of_an_empty_database_says_what_to_upload(open_page):
    app = open_page("timeline.py", samples=False)
    assert "No Programme milestones and procurement data has been uploaded yet" in texts(app)
