"""Every file of the corpus through the Upload page, as an officer, with AppTest.

Each case runs on both databases like the rest of the suite: the module takes under two
minutes on a busy two-core machine (about 1.3 s a case), so there was no need to keep the
page run to one database.
"""

import pytest

from lgadata import queries
from lgadata.db import make_engine
from tests.pages import conftest as pages
from tests.pages.conftest import texts
from tests.reliability.corpus import SECRET, parameters
from tests.reliability.snapshot import picture
from ui.upload import COMMIT, REASON, WORKSTREAM

MIME = "application/octet-stream"
open_page = pages.open_page  # the Upload page's own harness, shared rather than copied


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A folder the big files are built into once for the module."""
    return tmp_path_factory.mktemp("corpus")


def shown(app) -> str:
    """Return the page's text with its error boxes and problem tables, as a reader sees it."""
    boxes = [str(e.value) for kind in ("error", "success") for e in getattr(app, kind)]
    problems = [
        f"{cell} {problem}"
        for frame in app.dataframe
        if list(frame.value.columns) == ["Cell", "Problem"]
        for cell, problem in frame.value.values
    ]
    return "\n".join([texts(app), *boxes, *problems]).replace("\\", "")


def commit_button(app):
    return next((b for b in app.button if b.key == COMMIT), None)


def stored_rows(database_url: str, workstream: str) -> list[dict]:
    engine = make_engine(database_url)
    try:
        return queries.history(engine=engine, workstream=workstream, limit=1)
    finally:
        engine.dispose()


@pytest.mark.parametrize("case", parameters())
def test_each_file_shows_its_outcome_on_the_upload_page(case, cache, open_page, database_url):
    app = open_page("upload.py", role="officer")
    app.selectbox(key=WORKSTREAM).set_value(case.workstream).run()
    before = picture(database_url)
    app.file_uploader[0].set_value((case.file_name, case.build(cache), MIME))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    page = shown(app)
    assert "Traceback" not in page and SECRET not in page
    assert case.fragment in page and case.cell in page
    button = commit_button(app)
    if not case.loads:
        assert app.error, "the refusal is shown as an error"
        assert button is None or button.disabled
        assert picture(database_url) == before
        return
    assert not app.error and not button.disabled
    # A file that moves a headline figure past its threshold (most of these, over the
    # samples) asks for the officer's reason; the corpus tests the file, not the reason.
    asked = [t for t in app.text_input if t.key == REASON]
    if asked:
        asked[0].input("A corpus file, for the test").run()
        button = commit_button(app)
    button.click().run()
    assert not app.exception, [e.value for e in app.exception]
    latest = stored_rows(database_url, case.workstream)[0]
    assert (latest["file_name"], latest["rows"]) == (case.file_name, case.rows)
    assert f"Stored as version {latest['version']}" in shown(app)
