"""What a page's first run imports: the paper's renderers load when a pack is made, not before.

fpdf, python-docx and vl-convert cost about a second of a fresh server's first page
(benchmarks/first_page.py); the Overview and every section read the registry, which reads
the paper's paragraphs and charts, so the renderers must stay out of that import chain.
"""

import subprocess
import sys

import pytest

RENDERERS = ("fpdf", "docx", "vl_convert")


def modules_after(statement: str) -> set[str]:
    found = subprocess.run(
        [sys.executable, "-c", f"import sys; {statement}; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(found.stdout.split())


def test_the_pages_modules_load_no_renderer():
    loaded = modules_after(
        "import ui.pack, ui.present, ui.common, lgadata.sections.registry, lgadata.queries"
    )
    assert not loaded & set(RENDERERS)


def test_the_renderers_load_when_asked_for():
    loaded = modules_after("from lgadata.paper import render_pdf, render_docx, figures_workbook")
    assert {"fpdf", "docx", "openpyxl"} <= loaded


# The modules something imports first: the command line, the app's start-up and its pages,
# the mail round, and the modules of the cycle that once broke `python -m lgadata`.
ENTRY_POINTS = (
    "lgadata.cli",
    "lgadata.since",
    "lgadata.diff",
    "lgadata.overview",
    "lgadata.presentation",
    "lgadata.paper",
    "lgadata.paper.workbook",
    "lgadata.sections.registry",
    "lgadata.mail_schedule",
)


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_an_entry_module_imports_first_in_a_fresh_interpreter(module):
    # A cycle shows only when its modules are imported in one order: `python -m lgadata` died
    # on one (since -> diff -> overview -> sections -> paper -> since) while the suite, which
    # imported them in another order, passed.
    found = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr[-600:]
