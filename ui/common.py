"""What every page needs: one engine per process, cached figures keyed on the data version."""

import streamlit as st

from lgadata import queries
from lgadata.bootstrap import ensure_database
from lgadata.db import get_engine
from lgadata.settings import get_settings


@st.cache_resource(show_spinner="Preparing the database…")
def engine():
    """Return the process's engine, with the database made ready on first use."""
    eng = get_engine()
    ensure_database(engine=eng, seed_samples=get_settings().seed_samples)
    return eng


def data_version() -> int:
    """Return the database's data version: it changes with every upload or rollback."""
    return queries.data_version(engine=engine())


@st.cache_data(show_spinner=False, max_entries=8)
def metrics(version: int) -> dict:
    """Return every workstream's headline figures at a data version."""
    del version  # part of the cache key only: a new upload makes a new entry
    return queries.metrics(engine=engine())


def page_setup(title: str) -> None:
    """Start a page: the gate every page file must pass before it renders anything."""
    # Pages can run without dashboard.py (a page URL requested first on a fresh server),
    # so the page itself calls this. Sign-in arrives with the roles issue.
    st.title(title)
