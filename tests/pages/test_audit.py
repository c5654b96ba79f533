"""The audit log shows local dates and times, and filters by person, action and dates."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from lgadata.audit import format_moment
from lgadata.db import make_engine
from tests.test_migrations import at_revision_0005_with_the_old_programme_key


def frame(app):
    [table] = app.dataframe
    return table.value


def test_the_audit_log_shows_local_dates_and_times_not_raw_timestamps(open_page):
    app = open_page("audit.py")
    shown = frame(app)
    [when] = [c for c in shown.columns if c.startswith("When (")]
    assert not any(re.search(r"\d{4}-\d\d-\d\dT", str(v)) for v in shown[when])
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d:\d\d", v) for v in shown[when])


def test_the_audit_log_filters_by_person_action_and_dates(open_page):
    app = open_page("audit.py")
    everyone = frame(app)
    assert len(set(everyone["Action"])) > 1
    who, action = everyone["Who"].iloc[0], everyone["Action"].iloc[0]
    app.selectbox(key="audit-person").select(who).run()
    assert set(frame(app)["Who"]) == {who}
    app.selectbox(key="audit-action").select(action).run()
    assert set(frame(app)["Action"]) == {action} and set(frame(app)["Who"]) == {who}
    today = dt.date.today()
    app.date_input(key="audit-from").set_value(today - dt.timedelta(days=1)).run()
    assert len(frame(app))
    app.date_input(key="audit-to").set_value(today - dt.timedelta(days=2)).run()
    assert not app.dataframe
    assert "Nothing matches." in [i.value for i in app.info]


def test_a_moment_is_shown_in_the_readers_time_zone():
    moment = dt.datetime(2013, 7, 1, 13, 5, 9, tzinfo=dt.UTC)
    assert format_moment(moment, ZoneInfo("Europe/London")) == "1 July 2013 14:05:09"
    assert format_moment(moment, ZoneInfo("UTC")) == "1 July 2013 13:05:09"


def test_an_event_logged_under_the_old_programme_key_is_still_shown(open_page, database_url):
    engine = make_engine(database_url)
    at_revision_0005_with_the_old_programme_key(engine)
    engine.dispose()
    app = open_page("audit.py")
    app.selectbox(key="audit-person").select("Jo Officer").run()
    assert list(frame(app)["Detail"]) == ["upload_id: 5, workstream: programme"]
