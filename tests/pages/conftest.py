"""Run the dashboard with AppTest against a fresh database."""

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lgadata.auth import Role, command_line, save_user
from lgadata.bootstrap import ensure_database
from lgadata.db import get_engine, make_engine
from lgadata.settings import REPO_ROOT, get_settings

TIMEOUT = 30


def point_at(url: str, monkeypatch) -> None:
    monkeypatch.setenv("LGADATA_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()


def sign_in_as(app: AppTest, database_url: str, role: str | None) -> None:
    """Give the user a role in the database and sign them in through single sign-on."""
    if role is None:
        return
    email = f"{role}@example.gov.uk"
    engine = make_engine(database_url)
    save_user(engine=engine, by=command_line("test"), email=email, role=Role(role))
    engine.dispose()
    app.user = {"is_logged_in": True, "email": email}


@pytest.fixture
def open_page(database_url, monkeypatch):
    """Return open_page(path, samples=True, role="admin", query_params=None): the app run
    on a page, over a fresh database, signed in with that role (None: signed out), opened
    at an address with those query parameters."""

    def open_(
        page: str | None = None,
        *,
        samples: bool = True,
        role: str | None = "admin",
        query_params: dict[str, str] | None = None,
    ) -> AppTest:
        monkeypatch.setenv("LGADATA_SEED_SAMPLES", "true" if samples else "false")
        point_at(database_url, monkeypatch)
        engine = make_engine(database_url)
        ensure_database(engine=engine, seed_samples=samples)
        engine.dispose()
        app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
        sign_in_as(app, database_url, role)
        for key, value in (query_params or {}).items():
            app.query_params[key] = value
        app.run()
        if page:
            app.switch_page(f"pages/{page}")
            app.run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    yield open_
    point_at("sqlite://", monkeypatch)


def as_read(markdown: str) -> str:
    """Return markdown text as a reader sees it: escapes and invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def texts(app: AppTest) -> str:
    """Return every piece of text the page shows, joined, for finding figures in."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning"):
        parts += [str(e.value) for e in getattr(app, kind)]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in app.metric]
    for frame in app.dataframe:
        parts.append(frame.value.to_string())
    return "\n".join(parts)
