"""The app is fully wired: every workstream has a template, a sample, docs; every page is routed."""

import pytest

from lgadata.docs import formats_markdown
from lgadata.models import DATA_TABLES
from lgadata.settings import REPO_ROOT
from lgadata.workstreams import WORKSTREAMS


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


def test_every_page_file_is_registered_in_the_router():
    from ui.routes import ROUTES

    files = {p.name for p in (REPO_ROOT / "pages").glob("*.py")}
    assert files == {r.file for r in ROUTES}
    assert all(r.path.is_file() for r in ROUTES)


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_every_workstream_has_a_routed_page(key):
    from ui.routes import ROUTES

    assert WORKSTREAMS[key].pages
    for page in WORKSTREAMS[key].pages:
        assert page in {r.file for r in ROUTES}


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
