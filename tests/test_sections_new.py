"""A seventh section with its own workstream, registered in memory the way README's "Adding a
workstream" says, is on every surface: router, Overview, meeting mode, metrics, the paper as
PDF and Word, the figures workbook and the README's formats."""

import datetime as dt
import io
import shutil

import altair as alt
import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from lgadata import queries
from lgadata.cli import main
from lgadata.db import get_engine
from lgadata.docs import formats_markdown
from lgadata.overview import cards
from lgadata.paper import build_paper, figures_workbook, render_docx, render_pdf
from lgadata.paper.charts import render
from lgadata.paper.workbook_sheets import COUNT
from lgadata.presentation import screens
from lgadata.report import format_metrics
from lgadata.sections import registry
from lgadata.sections.parts import Card, Figure, Page, Screen, Section, Sheet, Summary
from lgadata.settings import REPO_ROOT, get_settings
from lgadata.workstreams import WORKSTREAMS, Column, Kind, Workstream
from lgadata.workstreams import Sheet as WorkbookSheet
from tests.pages.conftest import TIMEOUT, point_at, sign_in_as, texts
from ui import routes

MEETING = dt.date(2013, 3, 20)
KEY, TITLE = "libraries", "Library Partnerships"
SENTENCE = "4,200 visits to shared libraries."
PARAGRAPH = "Shared libraries in the partnership had 4,200 visits this year."

LIBRARIES = Workstream(
    key=KEY,
    title=TITLE,
    description="Visits to the libraries councils run together.",
    sample_file="libraries.xlsx",
    pages=("libraries.py",),
    sheets=(
        WorkbookSheet(
            "Visits",
            "library_visit",
            description="One row per council a year.",
            columns=(
                Column("council", Kind.COUNCIL, "The council.", required=True),
                Column("visits", Kind.INTEGER, "Visits in the year.", required=True),
            ),
        ),
    ),
)


def figures(*, engine, today=None, known_at=None) -> dict:
    del engine, today, known_at
    return {"visits": 4_200}


def sentences(all_figures: dict) -> list[str]:
    return [f"{all_figures[KEY]['visits']:,} visits to shared libraries."]


def card(all_figures: dict, milestones: list[dict]) -> Card:
    del milestones
    visits = f"{all_figures[KEY]['visits']:,}"
    return Card(TITLE, "libraries.py", [Figure("Library visits", visits)], "Two councils.", "2013")


def chart() -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=[{"year": "2013", "visits": 4200}]))
        .mark_bar()
        .encode(x="year:N", y="visits:Q")
    )


def screen_chart(all_figures: dict, milestones: list[dict], *, query):
    del all_figures, milestones, query
    return chart()


def paragraphs(facts: dict) -> tuple[list[str], set[int]]:
    del facts
    return [PARAGRAPH], set()


def paper_charts(facts: dict) -> tuple:
    del facts
    return (render(chart(), caption="Library visits by year", alt_text="4,200 in 2013"),)


def write_sheet(sheet, ctx) -> None:
    sheet.figures([("Library visits", ctx.figures[KEY]["visits"], COUNT, "2013", [])])


NEW = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY,),
    page=Page("libraries.py", "Libraries", ":material/local_library:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    screen=Screen("libraries", (0,), chart=screen_chart),
    paragraphs=paragraphs,
    charts=paper_charts,
    sheet=Sheet(KEY, "Library Partnerships", (30, 14, 20, 20), write_sheet),
)


@pytest.fixture
def registered(sample_engine, monkeypatch):
    """The samples stored first (the new workstream has no sample), then the section added."""
    monkeypatch.setitem(WORKSTREAMS, KEY, LIBRARIES)
    monkeypatch.setattr(registry, "SECTIONS", [*registry.SECTIONS[:-1], NEW, registry.SECTIONS[-1]])
    return sample_engine


def test_the_registry_takes_the_new_section_whole(registered):
    assert registry.problems() == []


def test_the_router_lists_its_page_after_the_other_sections_pages(registered):
    files = [r.file for r in routes.routes()]
    before = [s.page.file for s in registry.SECTIONS if s.page and s is not NEW][-1]
    assert files.index("libraries.py") == files.index(before) + 1


def test_the_overview_and_meeting_mode_show_its_card_and_screen(registered):
    figures = queries.metrics(engine=registered, today=MEETING)
    milestones = queries.milestones(engine=registered, today=MEETING)
    assert [c.title for c in cards(figures, milestones)][-1] == TITLE
    shown = screens(figures, milestones, queries.current_uploads(engine=registered))
    assert (shown[-1].slug, shown[-1].sentences) == ("libraries", [SENTENCE, "Two councils."])
    assert shown[-1].section.screen.chart(figures, milestones, query=None) is not None


def test_metrics_prints_its_sentences(registered, monkeypatch, capsys):
    assert f"{TITLE}\n  {SENTENCE}" in format_metrics(queries.metrics(engine=registered))
    monkeypatch.setenv("LGADATA_DATABASE_URL", registered.url.render_as_string(False))
    monkeypatch.setenv("LGADATA_SEED_SAMPLES", "false")  # it has no sample
    get_settings.cache_clear()
    get_engine.cache_clear()
    assert main(["metrics"]) == 0
    assert f"{TITLE}\n  {SENTENCE}" in capsys.readouterr().out
    get_engine.cache_clear()


def test_the_paper_prints_it_before_the_financial_implications_with_its_note(registered):
    paper = build_paper(engine=registered, meeting_date=MEETING, notes={KEY: "Noted."})
    assert paper.sections[-1].title == TITLE and paper.sections[-1].note == "Noted."
    assert len(paper.sections[-1].charts) == 1
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(paper))).pages)
    assert TITLE in pdf and "4,200 visits" in " ".join(pdf.split())
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(paper))).paragraphs)
    assert TITLE in text and PARAGRAPH in text
    assert text.index(TITLE) < text.index("Financial implications")


def test_the_figures_workbook_has_its_sheet_before_the_sources(registered):
    book = load_workbook(io.BytesIO(figures_workbook(engine=registered, meeting_date=MEETING)))
    assert book.sheetnames[-2:] == ["Library Partnerships", "Sources"]
    values = [v for row in book["Library Partnerships"].iter_rows(values_only=True) for v in row]
    assert TITLE in values and 4200 in values


def test_the_readme_formats_describe_its_workbook(registered):
    assert f"#### {TITLE} (`{KEY}`)" in formats_markdown()


def test_the_dashboard_shows_its_card_on_the_overview_and_its_screen_in_meeting_mode(
    registered, database_url, monkeypatch, tmp_path
):
    # The app from a copy of its folder, so that the new section's page file can sit in pages/.
    shutil.copy(REPO_ROOT / "dashboard.py", tmp_path / "dashboard.py")
    shutil.copytree(REPO_ROOT / "pages", tmp_path / "pages")
    (tmp_path / "pages" / "libraries.py").write_text(
        'from ui import common\n\ncommon.page_setup("Library Partnerships")\n'
    )
    monkeypatch.setattr(routes, "PAGES", tmp_path / "pages")
    monkeypatch.setenv("LGADATA_SEED_SAMPLES", "false")
    point_at(database_url, monkeypatch)
    app = AppTest.from_file(str(tmp_path / "dashboard.py"), default_timeout=TIMEOUT)
    sign_in_as(app, database_url, "viewer")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert TITLE in [s.value for s in app.subheader]
    assert "4,200" in [m.value for m in app.metric]

    meeting = AppTest.from_file(str(tmp_path / "dashboard.py"), default_timeout=TIMEOUT)
    sign_in_as(meeting, database_url, "viewer")
    meeting.query_params["present"] = "1"
    meeting.run()
    meeting.button(key="present-back").click().run()  # from the first screen round to the last
    assert not meeting.exception, [e.value for e in meeting.exception]
    assert [h.value for h in meeting.header] == [TITLE]
    assert SENTENCE.rstrip(".") in texts(meeting)  # markdown escapes the full stop
    point_at("sqlite://", monkeypatch)
