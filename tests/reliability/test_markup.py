"""Script and markup typed into a spreadsheet come out as text everywhere, never as markup.

One hostile programme workbook (sheet names, headers, cells and file name), plus hostile
e-bulletin and Shared Services rows, are stored; then every page, the History and the
board pack are searched for anything that would run, fetch or format.
"""

import ast
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from lgadata import queries
from lgadata.auth import command_line
from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine
from lgadata.paper import build_paper, figures_workbook, render_docx, render_pdf
from lgadata.settings import REPO_ROOT
from tests.browser.conftest import prepare_database, sign_in, start_server
from tests.pages.conftest import point_at, sign_in_as
from tests.reliability.browsing import chromium_page
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[click](javascript:alert(1))"
BOLD = "**bold**"
HOSTILE = (SCRIPT, IMG, LINK, BOLD)
FILE_NAME = f"{IMG}.xlsx"
MEETING = dt.date(2013, 7, 15)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Markup that markdown would act on: the same characters not escaped by a backslash.
LEAKS = [
    re.compile(r"(?<!\\)<(?:script|img)"),
    re.compile(r"(?<!\\)\*(?<!\\)\*bold"),
    re.compile(r"(?<!\\)\]\(javascript"),
]
PAGES = [
    "overview.py",
    "capital_assets.py",
    "shared_services.py",
    "tenancy_fraud.py",
    "procurement.py",
    "ebulletin.py",
    "timeline.py",
    "history.py",
    "upload.py",
    "audit.py",
]


def programme_workbook() -> bytes:
    """Return a programme workbook with markup in its sheet names, headers and cells."""
    milestones = [
        ["workstream", "milestone", "due", "status", "owner", "notes", IMG],
        ["National Procurement Strategy", SCRIPT, "2013-06-30", "Planned", IMG, LINK, "x"],
        ["EU procurement reform", BOLD, "2013-09-30", "Planned", SCRIPT, BOLD, "y"],
    ]
    dives = [
        ["organisation", "category", "status", "planned_spend_gbp", "next_step"],
        [SCRIPT, IMG, BOLD, 1000, LINK],
    ]
    return make_xlsx(
        {
            "Milestones": milestones,
            "Deep dives": dives,
            "<script>alert(1)": [[IMG], [LINK]],  # Excel allows no "/" in a sheet name
            IMG: [[BOLD]],
        }
    )


def store_hostile(engine) -> None:
    """Store the hostile files, by someone whose name is markup too."""
    actor = command_line(IMG)
    check_and_store(
        engine,
        programme_workbook(),
        workstream="programme_milestones",
        file_name=FILE_NAME,
        actor=actor,
        note=f"{SCRIPT} {LINK}",
    )
    links = [
        ["bulletin", "sent_on", "url", "link_text", "views", "unique_views"],
        [f"{SCRIPT} {BOLD}", "2013-06-20", "https://www.local.gov.uk/x", f"{IMG} {LINK}", 9, 5],
    ]
    check_and_store(
        engine,
        make_xlsx({"Links": links}),
        workstream="ebulletin",
        file_name=f"{BOLD}.xlsx",
        actor=actor,
    )
    arrangement = ["2013-06-30", SCRIPT, "Stroud DC", "", "Legal", IMG, "", 1000, LINK, ""]
    check_and_store(
        engine,
        make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, arrangement]}),
        workstream="shared_services",
        file_name=f"{LINK}.xlsx",
        actor=actor,
        reason=f"{SCRIPT} {BOLD} {LINK}",  # its savings fall past the threshold
    )


@pytest.fixture
def hostile_url(database_url) -> str:
    """A database with the samples and the hostile uploads."""
    engine = make_engine(database_url)
    ensure_database(engine=engine, seed_samples=True)
    store_hostile(engine)
    engine.dispose()
    return database_url


def _markdown_bodies(app: AppTest) -> list[str]:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
    bodies = [str(e.value) for kind in kinds for e in getattr(app, kind)]
    bodies += [str(m.label) for m in app.metric]
    bodies += [
        str(e.label) for kind in ("selectbox", "button", "toggle") for e in getattr(app, kind)
    ]
    return bodies


def _plain_texts(app: AppTest) -> str:
    parts = [str(e.value) for e in app.text]
    for frame in app.dataframe:
        parts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    for box in app.selectbox:
        parts += [str(o) for o in box.options]
    return "\n".join(parts)


@pytest.mark.slow
def test_every_page_shows_uploaded_markup_as_text(hostile_url, monkeypatch):
    monkeypatch.setenv("LGADATA_SEED_SAMPLES", "false")
    point_at(hostile_url, monkeypatch)
    shown_somewhere = set()
    try:
        for page in PAGES:
            app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=30)
            sign_in_as(app, hostile_url, "admin")
            app.run()
            app.switch_page(f"pages/{page}")
            app.run()
            for view in _views(app, page):
                assert not view.exception, (page, [e.value for e in view.exception])
                bodies = _markdown_bodies(view)
                leaks = [(page, b) for b in bodies for leak in LEAKS if leak.search(b)]
                assert leaks == []
                texts = _plain_texts(view) + "\n".join(bodies)
                shown_somewhere |= {h for h in HOSTILE if h in texts or _escaped(h) in texts}
    finally:
        point_at("sqlite://", monkeypatch)
    assert shown_somewhere == set(HOSTILE)


def _views(app: AppTest, page: str):
    """Yield the page, and on the History page each hostile upload's details in turn."""
    yield app
    if page != "history.py":
        return
    chooser = next(box for box in app.selectbox if box.label == "Choose an upload")
    for index in range(3):  # the three hostile uploads are the newest
        chooser.select_index(index).run()
        yield app
        chooser = next(box for box in app.selectbox if box.label == "Choose an upload")


def _escaped(text: str) -> str:
    from ui.text import plain

    return plain(text)


def test_the_board_pack_and_its_figures_hold_uploaded_markup_as_typed(hostile_url):
    engine = make_engine(hostile_url)
    paper = build_paper(engine=engine, meeting_date=MEETING)
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(paper))).pages)
    word = Document(io.BytesIO(render_docx(paper)))
    word_text = "\n".join(p.text for p in word.paragraphs)
    word_text += "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    book = load_workbook(io.BytesIO(figures_workbook(engine=engine, meeting_date=MEETING)))
    cells = "\n".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
    engine.dispose()
    for where, text in (("PDF", pdf_text), ("Word", word_text), ("xlsx", cells)):
        found = [h for h in HOSTILE if h in " ".join(text.split())]
        assert found == list(HOSTILE), f"the {where} lost some of the uploaded text"
        assert "&lt;" not in text and "&amp;" not in text, f"the {where} shows HTML escapes"


@pytest.mark.parametrize("text", HOSTILE)
def test_the_leak_patterns_find_raw_markup_and_pass_it_escaped(text):
    assert any(leak.search(text) for leak in LEAKS)
    assert not any(leak.search(_escaped(text)) for leak in LEAKS)


def test_the_history_and_its_download_keep_the_file_as_sent_under_a_safe_name(hostile_url):
    engine = make_engine(hostile_url)
    entry = queries.history(engine=engine, workstream="programme_milestones", limit=1)[0]
    content = queries.upload_file(engine=engine, upload_id=entry["id"])
    engine.dispose()
    assert (entry["file_name"], entry["uploaded_by"]) == (FILE_NAME, IMG)
    book = load_workbook(io.BytesIO(content))
    assert IMG in book.sheetnames
    cells = {
        v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
    }
    assert set(HOSTILE) <= cells
    name = queries.download_name(entry["file_name"], upload_id=entry["id"])
    assert name == "_img src=x onerror=alert(1)_.xlsx"


# (link in the navigation, heading, uploaded text the page must hold as text)
BROWSER_PAGES = [
    ("Overview", "Productivity Programme", [SCRIPT]),
    ("Shared Services", "Shared Services Map", []),  # its table is in a closed tab
    ("Procurement", "Procurement", [SCRIPT, IMG, LINK, BOLD]),
    ("E-bulletin statistics", "E-bulletin statistics", [f"{SCRIPT} {BOLD}", f"{IMG} {LINK}"]),
    ("Programme timeline", "Programme timeline", [SCRIPT, BOLD]),
    ("Audit log", "Audit log", [IMG, FILE_NAME]),
]


def _nothing_injected(page, dialogs: list) -> None:
    """Fail if the page holds an element made from uploaded markup, or opened a dialog."""
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert not page.evaluate(
        "[...document.scripts].some(s => s.textContent.includes('alert(1)'))"
    ), "an uploaded <script> is in the page"
    assert page.locator("strong", has_text=re.compile("^bold$")).count() == 0
    assert dialogs == [], "an uploaded script ran and opened a dialog"


@pytest.mark.slow
def test_no_page_in_a_browser_turns_uploaded_markup_into_elements(tmp_path):
    from playwright.sync_api import expect

    url = f"sqlite:///{tmp_path / 'markup.db'}"
    prepare_database(url)
    engine = make_engine(url)
    store_hostile(engine)
    engine.dispose()
    env = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    base, server = start_server(url, env=env)
    dialogs: list = []
    try:
        with chromium_page() as page:
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            sign_in(page, base, "admin")
            for link, heading, literal in BROWSER_PAGES:
                page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
                expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(
                    timeout=30_000
                )
                expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
                for text in literal:
                    expect(page.get_by_test_id("stMain")).to_contain_text(text)
                _nothing_injected(page, dialogs)
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
            page.get_by_test_id("stSelectbox").filter(has_text="Choose an upload").click()
            page.get_by_role("option", name=re.compile("Programme milestones.*version 2")).click()
            expect(page.get_by_text(f"File: {FILE_NAME}")).to_be_visible(timeout=30_000)
            expect(page.get_by_text(f"Note: {SCRIPT} {LINK}")).to_be_visible()
            _nothing_injected(page, dialogs)
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Upload").click()
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
                files=[{"name": FILE_NAME, "mimeType": XLSX, "buffer": programme_workbook()}]
            )
            expect(page.get_by_text("Recognised as Programme milestones")).to_be_visible(
                timeout=30_000
            )
            expect(page.get_by_role("button", name=f"Remove {FILE_NAME}")).to_be_visible()
            page.get_by_role("tab", name=re.compile("^Warnings")).click()
            # The unknown column's warning names its header, as typed.
            expect(page.get_by_test_id("stMain")).to_contain_text(IMG)
            _nothing_injected(page, dialogs)
    finally:
        server.terminate()
        server.wait(timeout=10)


# Every call that lets HTML through, with what it is given: constants only, never data.
ALLOWED_HTML = {
    ("ui/common.py", "st.html(PAGE_STYLE)"),
    ("ui/common.py", "st.html(PAGE_SCRIPT, unsafe_allow_javascript=True)"),
    ("ui/present.py", "st.html(LARGE_TYPE)"),
    ("ui/present.py", "st.html(MEETING_KEYS, unsafe_allow_javascript=True)"),
    ("ui/present.py", "st.html(_theme_css(current_theme()))"),
    # The map's row: a stylesheet made of the module's constants (its container's key).
    ("ui/council_map.py", "st.html(ROW_STYLE)"),
    # The map's legend: its words are the chart module's band and line names, each passed
    # through html.escape, and its swatches' colours the module's constants, escaped too.
    (
        "ui/council_map.py",
        'st.html(LEGEND_STYLE + f\'<div class="map-legend">{"".join(parts)}</div>\')',
    ),
}


def _html_calls(path: Path) -> set[tuple[str, str]]:
    source = path.read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        unsafe = any(
            k.arg == "unsafe_allow_html"
            and not (isinstance(k.value, ast.Constant) and not k.value.value)
            for k in node.keywords
        )
        if unsafe or name.endswith(("st.html", "components.html", "v1.html")):
            found.add(
                (path.relative_to(REPO_ROOT).as_posix(), ast.get_source_segment(source, node))
            )
    return found


def test_html_is_let_through_only_at_listed_calls_that_pass_constants():
    files = [REPO_ROOT / "dashboard.py", *(REPO_ROOT / "pages").glob("*.py")]
    files += [*(REPO_ROOT / "ui").glob("*.py")]
    found = set().union(*(_html_calls(path) for path in files))
    assert found == ALLOWED_HTML
