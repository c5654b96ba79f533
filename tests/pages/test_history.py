"""The History page lists every upload, shows what one changed, gives its file back and
rolls it back only after a confirmation."""

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from lgadata import queries
from lgadata.auth import command_line
from lgadata.bootstrap import SAMPLES_DIR
from lgadata.db import make_engine
from lgadata.ingest import check_bytes
from lgadata.store import store_upload
from lgadata.workstreams import PROGRAMME
from tests.pages.conftest import texts
from tests.test_migrations import at_revision_0005_with_the_old_programme_key
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx

SAMPLE_TITLES = [
    "Programme milestones and procurement",
    "E-bulletin statistics",
    "Housing Tenancy Fraud Pilot",
    "Capital and Assets Programme",
    "Shared Services Map",
]


@pytest.fixture
def engine(database_url):
    """An engine on the page's database, for changing it under the page."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[bytes, str | None]]:
    """Files the page offers for download, by media file id: (content, file name)."""
    offered = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = keep(self, path_or_data, mimetype, kind, filename)
        offered[file_id] = (path_or_data, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    return offered


def store_map(engine, *rows: tuple[str, str, str, float]) -> int:
    body = [
        [as_at, name, lead, "", "Legal", "", "", money, "", ""] for as_at, name, lead, money in rows
    ]
    data = make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *body]})
    parsed = check_bytes(data, "map v2.xlsx", workstream="shared_services", isolate=False)
    return store_upload(
        engine=engine, parsed=parsed, content=data, actor=command_line("Jo Officer")
    ).id


def listed(app) -> list[tuple[str, int, str]]:
    frame = app.dataframe[0].value
    return list(zip(frame["title"], frame["version"], frame["status"], strict=True))


def choose(app, upload_id: int):
    app.selectbox(key="history-upload").set_value(upload_id).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_history_lists_the_five_sample_uploads_newest_first(open_page):
    app = open_page("history.py")
    assert listed(app) == [(title, 1, "current") for title in SAMPLE_TITLES]
    assert "30 November 2011, 31 January 2013" in texts(app)


def test_an_empty_database_says_nothing_has_been_uploaded_yet(open_page):
    app = open_page("history.py", samples=False)
    assert "Nothing has been uploaded yet" in texts(app)
    assert not app.dataframe


def test_the_history_can_show_one_workstream(open_page):
    app = choose(open_page("history.py"), 1)
    app.selectbox(key="history-workstream").set_value("ebulletin").run()
    assert not app.exception, [e.value for e in app.exception]
    assert listed(app) == [("E-bulletin statistics", 1, "current")]
    assert "Version 1 of the Shared Services Map" not in texts(app)


def test_choosing_an_upload_shows_its_details_and_its_file_as_uploaded(open_page, downloads):
    app = choose(open_page("history.py"), 1)
    shown = texts(app)
    assert "Version 1 of the Shared Services Map" in shown
    assert "495 rows" in shown and "sample data" in shown
    assert "Arrangements: 495 rows added, 0 removed, 0 changed, 0 unchanged" in shown.replace(
        "*", ""
    )
    [button] = app.download_button
    assert button.label == "Download the file as uploaded"
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    content, name = downloads[file_id]
    assert name == "shared_services.xlsx"
    assert content == (SAMPLES_DIR / "shared_services.xlsx").read_bytes()


def test_an_upload_that_crossed_a_threshold_shows_the_crossing_and_its_reason_as_text(
    open_page, engine
):
    app = open_page("history.py")
    row = ["2013-06-30", "A", "Stroud", "", "Legal", "", "", 5, "", ""]
    data = make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, row]})
    parsed = check_bytes(data, "june.xlsx", workstream="shared_services", isolate=False)
    reason = "A <b>test</b> edition"
    actor = command_line("Jo Officer")
    upload = store_upload(engine=engine, parsed=parsed, content=data, actor=actor, reason=reason)
    app.run()
    choose(app, upload.id)
    [details] = [t.value for t in app.text if t.value.startswith("File: june.xlsx")]
    assert "\nThreshold crossed: Efficiency savings would move from £278m to £5" in details
    assert details.endswith(f"\nReason: {reason}")


def test_a_second_version_shows_its_changes_against_the_first(open_page, engine):
    app = open_page("history.py")
    store_map(engine, ("2013-01-31", "A", "Stroud", 10), ("2013-01-31", "B", "Camden", 5))
    third = store_map(engine, ("2013-01-31", "A", "Stroud", 12))
    app.run()
    assert listed(app)[:2] == [
        ("Shared Services Map", 3, "current"),
        ("Shared Services Map", 2, "replaced"),
    ]
    choose(app, third)
    shown = texts(app).replace("*", "")
    assert "Arrangements: 0 rows added, 1 removed, 1 changed, 0 unchanged" in shown
    changed = app.dataframe[-1].value
    assert changed.to_dict("records") == [
        {
            "period": "31 January 2013",
            "arrangement": "A",
            "column": "savings_gbp",
            "before": "£10",
            "after": "£12",
        }
    ]


def test_rolling_back_asks_first_then_restores_the_figures_and_lists_the_rollback(
    open_page, engine
):
    app = open_page("history.py")
    second = store_map(engine, ("2013-01-31", "A", "Stroud", 10))
    assert queries.shared_services_editions(engine=engine)[-1]["arrangements"] == 1
    app.run()
    choose(app, second)
    app.button(key="history-rollback").click().run()
    [warning] = app.warning
    assert "makes it version 3" in warning.value
    assert "Arrangements 31 January 2013 goes back to version 1." in warning.value
    app.run()  # a plain rerun writes nothing
    assert queries.data_version(engine=engine) == second

    app.button(key="history-confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "it is now at version 3" in app.success[0].value
    latest = queries.shared_services_editions(engine=engine)[-1]
    assert (latest["arrangements"], latest["councils"]) == (325, 337)
    assert listed(app)[:2] == [
        ("Shared Services Map", 3, "rollback of version 2"),
        ("Shared Services Map", 2, "rolled back"),
    ]
    assert app.dataframe[0].value["uploaded_by"][0] == "admin@example.gov.uk"
    assert "Version 2 was already rolled back (by version 3)." in texts(app)


def test_cancelling_a_rollback_changes_nothing(open_page, engine):
    app = choose(open_page("history.py"), 1)
    app.button(key="history-rollback").click().run()
    app.button(key="history-cancel").click().run()
    assert not app.warning
    assert queries.data_version(engine=engine) == 5
    assert listed(app)[-1] == ("Shared Services Map", 1, "current")


def test_a_rollback_cannot_itself_be_rolled_back(open_page, engine):
    from lgadata.store import rollback

    app = open_page("history.py")
    event = rollback(engine=engine, upload_id=1, actor=command_line("admin"))
    app.run()
    choose(app, event.id)
    assert "Version 2 is itself a rollback; upload the file again instead." in texts(app)
    assert "history-rollback" not in [button.key for button in app.button]
    assert "30 November 2011 emptied, 31 January 2013 emptied" in texts(app)


def test_more_than_fifty_entries_are_shown_fifty_at_a_time(open_page, engine):
    app = open_page("history.py")
    for n in range(46):
        store_map(engine, ("2013-01-31", f"A{n}", "Stroud", n))
    app.run()
    assert len(app.dataframe[0].value) == 50
    app.button(key="history-more").click().run()
    assert len(app.dataframe[0].value) == 51


def test_uploads_stored_under_the_old_programme_key_are_listed_after_the_upgrade(open_page, engine):
    at_revision_0005_with_the_old_programme_key(engine)
    app = open_page("history.py")
    app.selectbox(key="history-workstream").set_value(PROGRAMME.key).run()
    assert not app.exception, [e.value for e in app.exception]
    assert listed(app) == [("Programme milestones and procurement", 1, "current")]
