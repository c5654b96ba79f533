"""What a page's first run imports: the paper's renderers load when a pack is made, not before.

fpdf, python-docx and vl-convert cost about a second of a fresh server's first page
(benchmarks/first_page.py); the Overview and every section read the registry, which reads
the paper's paragraphs and charts, so the renderers must stay out of that import chain.
"""

import subprocess
import sys

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
