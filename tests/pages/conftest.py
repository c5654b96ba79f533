"""Run the dashboard with AppTest against a fresh database."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lgadata.db import get_engine
from lgadata.settings import REPO_ROOT, get_settings

TIMEOUT = 30


def _point_at(url: str, monkeypatch) -> None:
    monkeypatch.setenv("LGADATA_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def open_page(database_url, monkeypatch):
    """Return open_page(path, samples=True): the app run on a page, over a fresh database."""

    def open_(page: str | None = None, *, samples: bool = True) -> AppTest:
        monkeypatch.setenv("LGADATA_SEED_SAMPLES", "true" if samples else "false")
        _point_at(database_url, monkeypatch)
        app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
        app.run()
        if page:
            app.switch_page(f"pages/{page}")
            app.run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    yield open_
    _point_at("sqlite://", monkeypatch)


def texts(app: AppTest) -> str:
    """Return every piece of text the page shows, joined, for finding figures in."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning"):
        parts += [str(e.value) for e in getattr(app, kind)]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in app.metric]
    for frame in app.dataframe:
        parts.append(frame.value.to_string())
    return "\n".join(parts)
