"""The Upload page: drop a file, see it checked and what it changes, correct it, store it."""

import hashlib
import json
import re

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel
from streamlit.delta_generator import DeltaGenerator
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1.element_tree import ElementTree

from lgadata import queries
from lgadata.auth import Role, command_line, save_user
from lgadata.bootstrap import SAMPLES_DIR
from lgadata.db import make_engine
from lgadata.ingest import check_bytes
from lgadata.store import rollback, store_upload
from lgadata.workstreams import WORKSTREAMS
from tests.pages.conftest import as_read, texts
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx
from ui.upload import COMMIT, ELSEWHERE, REASON, RECHECK, WORKSTREAM
from ui.upload_tables import CORRECTED_CELL, ERROR_CELL

PAGE = "upload.py"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What each workstream's page shows once its sample is stored through the Upload page.
SHOWN_AFTER = [
    ("shared_services", "shared_services.py", ["337", "325", "£278m"]),
    ("capital_assets", "capital_assets.py", ["£700,000"]),
    ("tenancy_fraud", "tenancy_fraud.py", ["Pilot groups 3"]),
    ("ebulletin", "ebulletin.py", ["https://www.local.gov.uk/productivity/tenancy-fraud"]),
    ("programme_milestones", "timeline.py", ["Milestones 23"]),
]


def sample(key: str) -> bytes:
    return (SAMPLES_DIR / WORKSTREAMS[key].sample_file).read_bytes()


def shown(app) -> str:
    """Return the page's text with markdown escapes removed, as a reader sees it."""
    boxes = [str(e.value) for kind in ("success", "error") for e in getattr(app, kind)]
    return "\n".join([texts(app), *boxes]).replace("\\", "")


def warnings(app) -> str:
    return "\n".join(str(w.value) for w in app.warning).replace("\\", "")


def drop(app, name: str, data: bytes):
    app.file_uploader[0].set_value((name, data, MIME))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def store(app):
    app.button(key=COMMIT).click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def uploads(database_url: str, workstream: str) -> list[dict]:
    """Return the workstream's upload history, newest first."""
    engine = make_engine(database_url)
    try:
        return queries.history(engine=engine, workstream=workstream)
    finally:
        engine.dispose()


def snapshot(database_url: str) -> dict[str, tuple[int, str]]:
    """Return every table's row count and a checksum of its rows."""
    engine = make_engine(database_url)
    found = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in conn.execute(sa.select(table)))
            found[table.name] = (len(rows), hashlib.sha256("".join(rows).encode()).hexdigest())
    engine.dispose()
    return found


def shaded(frame) -> dict[tuple[int, str], str]:
    """Return the background each shaded cell of a styled table has, by (row, column)."""
    styles = frame.proto.arrow_data.styler.styles
    columns = list(frame.value.columns)
    found = re.findall(r"_row(\d+)_col(\d+) \{ ([^}]*?) \}", styles)
    return {(int(row), columns[int(col)]): css for row, col, css in found}


def broken_map() -> bytes:
    rows = [
        ["2013-01-31", "Stroud legal", "Stroud DC", "Gloucester City", "Legal", "", "", 5000],
        ["2013-01-31", "Stroud audit", "Strowd District Council", "", "Audit and fraud"],
    ]
    return make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]})


def run_with_edits(app, editor, edited_rows: dict) -> None:
    """Run the app with cells typed into a data editor, as the browser sends them.

    AppTest does not apply cell edits itself, so the editor's widget state is added to
    the states the next run receives.
    """
    original = ElementTree.get_widget_states
    value = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}

    def with_edits(tree):
        states = original(tree)
        states.widgets.append(WidgetState(id=editor.proto.id, string_value=json.dumps(value)))
        return states

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ElementTree, "get_widget_states", with_edits)
        app.run()


def test_the_page_offers_each_workstreams_template_and_example(open_page):
    app = open_page(PAGE, samples=False)
    assert app.title[0].value == "Upload"
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Blank template", "Filled example"] * len(WORKSTREAMS)
    assert app.selectbox(key=WORKSTREAM).value == ""
    assert app.file_uploader[0].allowed_type == [".xlsx", ".xlsm", ".xls", ".ods", ".csv"]
    assert app.file_uploader[0].help == "Up to 25 MB (25,000,000 bytes)."


def test_the_downloads_keep_their_file_names_when_a_workstream_key_is_renamed(
    open_page, monkeypatch
):
    named = []
    offer = DeltaGenerator.download_button

    def download_button(self, label, data, file_name=None, **kw):
        named.append(file_name)
        return offer(self, label, data, file_name=file_name, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", download_button)
    open_page(PAGE, samples=False)
    assert "programme_template.xlsx" in named and "programme_example.xlsx" in named
    assert not [n for n in named if n and n.startswith("programme_milestones")]


@pytest.mark.parametrize(("key", "page", "figures"), SHOWN_AFTER)
def test_each_sample_stored_through_the_page_shows_on_its_workstreams_page(
    open_page, database_url, key, page, figures
):
    app = drop(open_page(PAGE, samples=False), WORKSTREAMS[key].sample_file, sample(key))
    assert f"Recognised as {WORKSTREAMS[key].title}: sheet " in shown(app)
    assert app.button(key=COMMIT).label == f"Store as version 1 of the {WORKSTREAMS[key].title}"
    store(app)
    [entry] = uploads(database_url, key)
    assert f"Stored as version 1 (upload id {entry['id']})." in shown(app)
    assert app.file_uploader[0].value is None
    app.switch_page(f"pages/{page}")
    app.run()
    for figure in figures:
        assert figure in texts(app), figure


def test_the_preview_shows_rows_councils_and_what_storing_would_change(open_page):
    app = drop(open_page(PAGE), "shared_services.xlsx", sample("shared_services"))
    page = shown(app)
    assert "This exact file was uploaded before: version 1" in page
    assert "by sample data" in page
    assert "Sheet Arrangements: 495 rows, for 30 November 2011, 31 January 2013." in page
    councils = next(f.value for f in app.dataframe if "GSS code" in f.value.columns)
    stroud = councils[councils["In the file"] == "Stroud DC"].iloc[0]
    assert (stroud["Council in the register"], stroud["GSS code"]) == (
        "Stroud District Council",
        "E07000082",
    )
    assert "0 rows added, 0 removed, 0 changed and 495 unchanged" in page
    assert "No headline figure changes." in page


def test_a_new_edition_shows_the_headline_figures_it_changes(open_page, database_url):
    rows = [["2013-06-30", "Stroud legal", "Stroud DC", "Gloucester City", "Legal", "", "", 5e6]]
    app = drop(
        open_page(PAGE), "june.xlsx", make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]})
    )
    headlines = next(f.value for f in app.dataframe if "Figure" in f.value.columns)
    councils = headlines[headlines["Figure"] == "Shared Services Map: Councils sharing services"]
    assert list(councils.iloc[0][["Now", "After storing this file"]]) == ["337", "2"]
    assert "1 row added, 0 removed, 0 changed and 0 unchanged for 30 June 2013." in shown(app)


def test_a_misspelt_council_is_shown_at_its_cell_with_a_suggestion_and_nothing_is_stored(
    open_page, database_url
):
    app = open_page(PAGE)
    before = snapshot(database_url)
    drop(app, "map.xlsx", broken_map())
    errors = next(f.value for f in app.dataframe if list(f.value.columns) == ["Cell", "Problem"])
    assert list(errors["Cell"]) == ["Arrangements!C3"]
    assert "Did you mean Stroud District Council?" in errors["Problem"].iloc[0]
    assert "The file cannot be stored while it has errors (1)." in shown(app)
    assert app.button(key=COMMIT).disabled
    preview = next(f for f in app.dataframe if "Lead council" in f.value.columns)
    assert list(preview.value["Lead council"]) == [
        "Stroud District Council",
        "Strowd District Council",
    ]
    assert shaded(preview) == {(1, "Lead council"): ERROR_CELL}
    assert snapshot(database_url) == before


def test_previewing_a_valid_file_stores_nothing(open_page, database_url):
    app = open_page(PAGE)
    before = snapshot(database_url)
    drop(app, "capital_assets.xlsx", sample("capital_assets"))
    assert not app.button(key=COMMIT).disabled
    assert snapshot(database_url) == before


def test_the_same_file_uploaded_twice_is_flagged_with_when_and_who(open_page, database_url):
    app = open_page(PAGE, samples=False)
    store(drop(app, "pilots.xlsx", sample("tenancy_fraud")))
    drop(app, "pilots again.xlsx", sample("tenancy_fraud"))
    [entry] = uploads(database_url, "tenancy_fraud")
    flagged = (
        f"This exact file was uploaded before: version 1 (upload {entry['id']}), "
        "by admin@example.gov.uk, "
    )
    assert flagged in as_read(shown(app))
    assert "It is the current data." in warnings(app)


def test_the_same_file_flagged_again_after_a_rollback_says_it_was_rolled_back(
    open_page, database_url
):
    app = open_page(PAGE, samples=False)
    store(drop(app, "pilots.xlsx", sample("tenancy_fraud")))
    [entry] = uploads(database_url, "tenancy_fraud")
    engine = make_engine(database_url)
    rollback(engine=engine, upload_id=entry["id"], actor=command_line("admin"))
    engine.dispose()
    drop(app, "pilots again.xlsx", sample("tenancy_fraud"))
    assert "It was rolled back (version 2), so it is not current." in warnings(app)


def test_a_correction_in_the_editor_turns_a_failing_file_into_a_stored_one(open_page, database_url):
    app = drop(open_page(PAGE, samples=False), "map.xlsx", broken_map())
    [editor] = app.data_editor
    assert list(editor.value["C"]) == ["Stroud DC", "Strowd District Council"]
    app.button(key=RECHECK).click()
    run_with_edits(app, editor, {"1": {"C": "Stroud DC"}})
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.data_editor
    assert "1 cell corrected here will be stored with it" in shown(app)
    preview = next(f for f in app.dataframe if "Lead council" in f.value.columns)
    assert preview.value["Lead council"].iloc[1] == "Stroud District Council"
    assert shaded(preview) == {(1, "Lead council"): CORRECTED_CELL}
    store(app)
    [entry] = uploads(database_url, "shared_services")
    assert entry["summary"]["corrections"] == [
        {"cell": "Arrangements!C3", "was": "Strowd District Council", "now": "Stroud DC"}
    ]


def test_a_file_like_no_template_asks_the_officer_to_choose(open_page):
    data = make_xlsx({"Sheet1": [["name", "amount"], ["Anything", 12]]})
    app = drop(open_page(PAGE), "other.xlsx", data)
    assert "does not look like any workstream's spreadsheet" in shown(app)
    assert not app.get("button") or COMMIT not in [b.key for b in app.button]
    app.selectbox(key=WORKSTREAM).set_value("capital_assets").run()
    assert not app.exception
    assert 'other.xlsx has no sheet "Budget"' in shown(app)


def test_an_unreadable_file_is_refused_in_one_message(open_page):
    app = drop(open_page(PAGE), "map.xlsx", b"PK\x03\x04" + bytes(40))
    assert "map.xlsx is damaged or not a complete file." in shown(app)


def test_a_store_after_someone_else_stored_first_is_refused_and_stores_nothing(
    open_page, database_url
):
    app = drop(open_page(PAGE), "capital_assets.xlsx", sample("capital_assets"))
    engine = make_engine(database_url)
    data = sample("capital_assets")
    parsed = check_bytes(data, "other.xlsx", workstream="capital_assets", isolate=False)
    store_upload(engine=engine, parsed=parsed, content=data, actor=command_line("someone else"))
    engine.dispose()
    before = snapshot(database_url)
    store(app)
    assert "The Capital and Assets Programme changed while you were looking" in shown(app)
    assert snapshot(database_url) == before
    assert app.button(key=COMMIT).label == "Store as version 3 of the Capital and Assets Programme"


def test_every_error_is_counted_but_only_the_first_two_hundred_are_listed(open_page):
    rows = [["2013-01-31", f"A{i}", "Stroud DC", "", "Not a category"] for i in range(250)]
    data = make_xlsx({"Arrangements": [[*ARRANGEMENT_HEADER, "Extra"], *rows]})
    app = drop(open_page(PAGE), "map.xlsx", data)
    figures = {m.label: m.value for m in app.metric}
    assert (figures["Errors"], figures["Warnings"]) == ("250", "1")
    assert "The first 200 of 250 errors." in shown(app)
    errors, warnings = [f.value for f in app.dataframe if "Problem" in f.value.columns]
    assert len(errors) == 200 and errors["Cell"].iloc[0] == "Arrangements!E2"
    assert list(warnings["Cell"]) == ["Arrangements!K1"]


def test_an_officer_may_not_store_a_workstream_they_do_not_keep(open_page, database_url):
    app = open_page(PAGE, role="officer")
    engine = make_engine(database_url)
    save_user(
        engine=engine,
        by=command_line("test"),
        email="officer@example.gov.uk",
        role=Role.OFFICER,
        workstreams=("capital_assets",),
    )
    engine.dispose()
    drop(app, "map.xlsx", sample("shared_services"))
    assert "Your account may not upload to the Shared Services Map" in shown(app)
    assert app.button(key=COMMIT).disabled


def wave_4_file(*councils: str) -> bytes:
    budget = [
        ["financial_year", "line", "category", "budget_gbp"],
        ["2014/15", "Events", "Other", 9],
    ]
    rows = [[name, 4, "Under way"] for name in councils]
    return make_xlsx({"Budget": budget, "Councils": [["council", "wave", "status"], *rows]})


def test_a_file_that_would_remove_current_rows_says_so_and_asks_before_storing(
    open_page, database_url
):
    three = wave_4_file("Stroud", "Cotswold", "Gloucester")
    app = drop(open_page(PAGE), "cap 2014-15.xlsx", three)
    first = str(app.warning[0].value).replace("\\", "")
    assert first.startswith(
        "Storing this file would remove 12 current rows: 12 rows of Councils (wave 4)."
    )
    assert "Sheet Councils: 3 rows, for wave 4." in shown(app)
    assert app.button(key=COMMIT).label == (
        "Store as version 2 of the Capital and Assets Programme and remove 12 current rows"
    )
    store(app)
    councils = queries.capital_assets_councils(engine=make_engine(database_url))
    assert [(w["wave"], w["councils"]) for w in councils["waves"]] == [
        (1, 11),
        (2, 10),
        (3, 12),
        (4, 3),
    ]


def test_a_file_that_removes_nothing_is_stored_without_a_warning(open_page):
    app = drop(open_page(PAGE, samples=False), "cap.xlsx", wave_4_file("Stroud"))
    assert "remove" not in warnings(app)
    assert app.button(key=COMMIT).label == "Store as version 1 of the Capital and Assets Programme"


def test_the_preview_heads_columns_with_plain_labels(open_page):
    app = drop(open_page(PAGE, samples=False), "cap.xlsx", wave_4_file("Stroud"))
    budget = next(f.value for f in app.dataframe if "Budget (£)" in f.value.columns)
    assert list(budget.columns) == [
        "Row",
        "Financial year",
        "Line",
        "Category",
        "Budget (£)",
        "Spent (£)",
    ]


def test_a_file_for_another_workstream_says_which_and_why_and_offers_to_check_it_as_that(
    open_page,
):
    app = open_page(PAGE, samples=False)
    app.selectbox(key=WORKSTREAM).set_value("tenancy_fraud").run()
    drop(app, "cap.xlsx", sample("capital_assets"))
    assert (
        "cap.xlsx does not look like a Housing Tenancy Fraud Pilot workbook: it looks like a "
        "Capital and Assets Programme workbook (sheet Budget, 5 of 5 columns; sheet Councils, "
        "6 of 6 columns)."
    ) in shown(app)
    assert not [b for b in app.button if b.key == COMMIT]
    app.button(key=ELSEWHERE).click().run()
    assert app.selectbox(key=WORKSTREAM).value == "capital_assets"
    assert "does not look like" not in shown(app)
    assert app.button(key=COMMIT).label == (
        "Store as version 1 of the Capital and Assets Programme"
    )


@pytest.mark.parametrize("choice", ["", "tenancy_fraud"])
def test_a_text_file_named_xlsx_is_called_not_a_spreadsheet(open_page, choice):
    app = open_page(PAGE, samples=False)
    app.selectbox(key=WORKSTREAM).set_value(choice).run()
    drop(app, "figures.xlsx", b"Dear colleague,\nthe figures are attached.\nThanks\n")
    page = shown(app) + "\n".join(
        f"{cell} {problem}"
        for frame in app.dataframe
        if list(frame.value.columns) == ["Cell", "Problem"]
        for cell, problem in frame.value.values
    )
    assert "figures.xlsx is plain text, not a spreadsheet" in page
    assert app.error
    assert not [b for b in app.button if b.key == COMMIT and not b.disabled]


def test_a_sheet_stored_whole_before_scopes_shows_the_rows_of_its_waves_as_removed(
    open_page, database_url
):
    from tests.test_scopes import make_whole_sheet

    app = open_page(PAGE)
    engine = make_engine(database_url)
    make_whole_sheet(engine)
    engine.dispose()
    drop(app, "cap.xlsx", wave_4_file("Stroud", "Cotswold", "Gloucester"))
    assert "12 rows of Councils (wave 4)" in warnings(app)
    assert "3 rows added, 12 removed, 0 changed and 0 unchanged for wave 4." in shown(app)


def june_map(savings: float) -> bytes:
    row = ["2013-06-30", "Stroud legal", "Stroud DC", "Gloucester City", "Legal", "", "", savings]
    return make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, row]})


def test_a_file_crossing_a_threshold_is_stored_only_with_the_reason_asked_for(
    open_page, database_url
):
    app = drop(open_page(PAGE), "june.xlsx", june_map(5e6))
    assert "Efficiency savings would move from £278m to £5m (-98%)" in warnings(app)
    assert app.text_input(key=REASON).label.startswith("Reason the figures moved")
    store(app)
    assert "Give the reason the figures moved" in shown(app)
    assert len(uploads(database_url, "shared_services")) == 1  # the sample only
    app.text_input(key=REASON).input("Most arrangements <b>not yet</b>\nreported").run()
    store(app)
    assert "Stored as version 2" in shown(app)
    newest = uploads(database_url, "shared_services")[0]
    assert newest["reason"] == "Most arrangements <b>not yet</b> reported"
    assert newest["crossings"][0].startswith("Efficiency savings would move from £278m")


def test_a_file_crossing_no_threshold_asks_for_no_reason(open_page, database_url):
    app = drop(open_page(PAGE), "june.xlsx", june_map(290e6))
    assert not [t for t in app.text_input if t.key == REASON]
    store(app)
    assert uploads(database_url, "shared_services")[0]["reason"] == ""
