"""Live updates in a real browser: an open page shows an upload and its rollback within
10 seconds, without a reload, and a page whose data has not changed is left alone."""

import pytest

from lgadata.auth import command_line
from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine
from lgadata.ingest import check_bytes
from lgadata.store import rollback, store_upload
from tests.browser.conftest import start_server
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx

WITHIN = 10_000  # milliseconds: the board sees an upload this soon
SHARING = "Councils sharing services"
# A new map edition in which five councils share services (the samples' latest has 337).
NEW_EDITION = [
    ["2014-03-31", "Gloucestershire legal", "Stroud", "Gloucester; Cotswold", "Legal"],
    ["2014-03-31", "North London audit", "Camden", "Islington", "Audit and fraud"],
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, browser):
    """A server of its own over a new SQLite database with the samples, and its engine."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    engine = make_engine(url)
    ensure_database(engine=engine, seed_samples=True)
    # The public view, as on a shared screen in a board meeting: no one has to sign in.
    base, server = start_server(url, env={"LGADATA_PUBLIC_VIEW": "true"})
    yield base, engine
    server.terminate()
    server.wait(timeout=10)
    engine.dispose()


def store_new_edition(engine):
    """Store a Shared Services upload from outside the server, as another officer would."""
    rows = [row + ["", "", 1000, "", "Operational"] for row in NEW_EDITION]
    data = make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]})
    parsed = check_bytes(data, "map.xlsx", workstream="shared_services", isolate=False)
    assert parsed.ok, [str(p) for p in parsed.errors]
    return store_upload(
        engine=engine, parsed=parsed, content=data, actor=command_line("browser test")
    )


def figure(page, label: str):
    """Return the value of the metric with this label."""
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def script_runs(page) -> list[str]:
    """Record how each script run the server reports ends: a full run or a fragment's."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    endings = []

    def on_frame(payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "script_finished":
            endings.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))

    page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
    return endings


def wait_until(page, condition, *, timeout: float = 10_000) -> None:
    """Wait for a condition on what the test has recorded, letting the page's events in."""
    waited = 0
    while not condition():
        assert waited < timeout, "timed out"
        page.wait_for_timeout(100)
        waited += 100


def test_an_open_page_shows_an_upload_and_its_rollback_without_a_reload(live_server, page):
    from playwright.sync_api import expect

    base, engine = live_server
    page.goto(base)
    sharing = figure(page, SHARING)
    expect(sharing).to_have_text("337", timeout=30_000)
    page.evaluate("window.notReloaded = true")

    upload = store_new_edition(engine)
    expect(sharing).to_have_text("5", timeout=WITHIN)
    expect(
        page.get_by_test_id("stCaptionContainer").get_by_text("Updated just now")
    ).to_be_visible()

    rollback(engine=engine, upload_id=upload.id, actor=command_line("browser test"))
    expect(sharing).to_have_text("337", timeout=WITHIN)
    assert page.evaluate("window.notReloaded === true")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_page_whose_data_has_not_changed_is_polled_but_never_redrawn(live_server, page):
    from playwright.sync_api import expect

    base, _ = live_server
    runs = script_runs(page)
    page.goto(f"{base}/shared_services")
    edition = page.get_by_role("combobox", name="Map edition")
    expect(edition).to_have_value("31 January 2013", timeout=30_000)
    wait_until(page, lambda: "FINISHED_SUCCESSFULLY" in runs)  # the page has been drawn
    runs.clear()
    edition.click()
    page.get_by_role("option", name="30 November 2011").click()
    expect(figure(page, SHARING)).to_have_text("220", timeout=WITHIN)
    wait_until(page, lambda: "FINISHED_SUCCESSFULLY" in runs)  # and drawn for the choice

    runs.clear()
    page.wait_for_timeout(12_000)  # the point is to let time pass: two or three polls
    assert "FINISHED_SUCCESSFULLY" not in runs, runs
    assert runs.count("FINISHED_FRAGMENT_RUN_SUCCESSFULLY") >= 2, runs
    expect(edition).to_have_value("30 November 2011")
    expect(figure(page, SHARING)).to_have_text("220")
    expect(page.get_by_text("checked every 5 seconds")).to_be_visible()
