"""The app is fully wired: every workstream has a template, a sample, docs; every page is routed."""

import dataclasses

import pytest

from lgadata import queries
from lgadata.docs import formats_markdown
from lgadata.models import DATA_TABLES
from lgadata.report import format_metrics
from lgadata.sections import registry
from lgadata.sections.parts import Section, charts_not_declared
from lgadata.settings import REPO_ROOT
from lgadata.workstreams import PROGRAMME_STRANDS, WORKSTREAMS


def test_the_readme_formats_section_matches_the_declarations():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert formats_markdown() in readme, "run: python -m lgadata.docs"


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_every_workstream_has_a_sample_workbook(key):
    assert (REPO_ROOT / "data" / "samples" / WORKSTREAMS[key].sample_file).is_file()


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_every_declared_column_has_a_database_column(key):
    for sheet in WORKSTREAMS[key].sheets:
        stored = set(DATA_TABLES[sheet.table].columns.keys())
        assert {c.name for c in sheet.columns} <= stored


def test_every_page_file_is_a_sections_page_or_a_board_officer_or_admin_page():
    from ui.routes import BOARD_PAGES, OFFICER_AND_ADMIN_PAGES, OVERVIEW, routes

    files = {p.name for p in (REPO_ROOT / "pages").glob("*.py")}
    own = {s.page.file for s in registry.SECTIONS if s.page}
    others = {r.file for r in (OVERVIEW, *BOARD_PAGES, *OFFICER_AND_ADMIN_PAGES)}
    assert files == own | others
    assert not own & others
    assert [r.file for r in routes()].count(OVERVIEW.file) == 1
    assert all(r.path.is_file() for r in routes())


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_every_workstream_has_a_routed_page(key):
    from ui.routes import routes

    assert WORKSTREAMS[key].pages
    for page in WORKSTREAMS[key].pages:
        assert page in {r.file for r in routes()}


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_every_workstream_is_drawn_on_by_a_section(key):
    assert any(key in s.workstreams for s in registry.SECTIONS)


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_every_workstream_has_one_summary_and_one_figures_workbook_sheet(key):
    assert key in {s.workstream for s in registry.summaries()}
    assert key in {s.workstream for s in registry.sheets()}


@pytest.mark.parametrize("section", registry.SECTIONS, ids=registry.keys())
def test_every_section_has_paragraphs_and_every_board_section_a_card_screen_and_sheet(section):
    from ui.routes import routes

    assert callable(section.paragraphs) and (section.charts is None or callable(section.charts))
    if section.paper_only:
        return
    assert callable(section.card)
    assert callable(section.screen.chart), f"{section.key}'s screen has no chart"
    assert callable(section.summary.sentences) and callable(section.summary.figures)
    assert callable(section.sheet.write) and section.sheet.name
    assert section.link in {r.file for r in routes()}


def test_only_the_financial_implications_are_in_the_paper_alone_and_they_come_last():
    assert [s.key for s in registry.SECTIONS if s.paper_only] == ["financial"]
    assert registry.SECTIONS[-1].key == "financial"


@pytest.mark.parametrize("section", registry.SECTIONS, ids=registry.keys())
def test_every_section_declares_its_paper_charts_or_that_it_has_none(section):
    assert section.charts is not charts_not_declared, (
        f"{section.key} has no charts=: its paper would silently have no figure"
    )


@pytest.mark.parametrize("section", registry.board_sections(), ids=lambda s: s.key)
def test_with_the_samples_loaded_every_section_has_sentences_and_a_full_card(
    section, sample_engine
):
    metrics = queries.metrics(engine=sample_engine)
    assert section.summary.sentences(metrics), f"{section.key} states nothing"
    card = section.card(metrics, queries.milestones(engine=sample_engine))
    assert card.figures and card.empty_workstream is None, f"{section.key}'s card is empty"


def test_a_section_left_without_charts_is_named_by_the_registry(monkeypatch):
    whole = registry.get_section("shared_services")
    without = dataclasses.replace(whole, charts=charts_not_declared)
    monkeypatch.setattr(
        registry, "SECTIONS", [without if s is whole else s for s in registry.SECTIONS]
    )
    assert any("shared_services declares no paper charts" in p for p in registry.problems())


def test_the_registry_is_whole():
    assert registry.problems() == []


@pytest.mark.parametrize("section", registry.SECTIONS, ids=registry.keys())
def test_every_strand_a_section_reports_is_a_milestone_strand(section):
    assert set(section.strands) <= set(PROGRAMME_STRANDS)


@pytest.mark.parametrize("piece", ["card", "summary", "screen", "sheet", "page"])
def test_a_board_section_without_a_piece_is_refused_by_name(piece):
    whole = registry.get_section("shared_services")
    given = {f.name: getattr(whole, f.name) for f in dataclasses.fields(whole)}
    given[piece] = None
    with pytest.raises(ValueError, match=f"shared_services' has no {piece}"):
        Section(**given)


def test_a_workstream_with_no_summary_stops_metrics_with_its_name(monkeypatch):
    without = [s for s in registry.SECTIONS if s.key != "ebulletin"]
    monkeypatch.setattr(registry, "SECTIONS", without)
    assert "no section draws on the workstream ebulletin" in registry.problems()
    with pytest.raises(LookupError, match="ebulletin"):
        format_metrics({})


def test_no_module_in_lgadata_imports_streamlit():
    for path in (REPO_ROOT / "lgadata").rglob("*.py"):
        assert "import streamlit" not in path.read_text(encoding="utf-8"), path.name


def test_every_setting_is_in_the_readmes_configuration_table():
    from lgadata.settings import Settings

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") : readme.index("## Command line")]
    missing = [
        name
        for name in Settings.model_fields
        if name != "database_url" and f"`LGADATA_{name.upper()}`" not in table
    ]
    assert not missing, f"add these to the README's Configuration table: {missing}"
