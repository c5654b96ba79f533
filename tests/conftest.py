"""Shared fixtures: a fresh database on SQLite always, and on PostgreSQL when one is given."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine, normalise_url


def _own_database(given: str | None) -> str | None:
    """Under pytest-xdist, give each worker its own database beside the one it was given
    (its name plus the worker's id), so that two workers never empty each other's schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not given or not worker:
        return given
    url = sa.make_url(given)  # keeps the given form: tests hand it to psycopg as well
    name = f"{url.database}_{worker}"
    with server_connection(url) as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


@contextmanager
def server_connection(url: sa.URL) -> Iterator[sa.Connection]:
    """A connection to the server's own database, outside any transaction."""
    own = url.set(database="postgres").render_as_string(hide_password=False)
    server = sa.create_engine(normalise_url(own), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            yield conn
    finally:
        server.dispose()


GIVEN_POSTGRES_URL = os.environ.get("LGADATA_TEST_POSTGRES_URL")
POSTGRES_URL = _own_database(GIVEN_POSTGRES_URL)
NO_POSTGRES = (
    "LGADATA_TEST_POSTGRES_URL is not set, so the PostgreSQL run of this test is skipped "
    "(.ci/run sets it to a fresh database on the local server)"
)


def _fresh(url: str) -> sa.Engine:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    return engine


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)),
    ]
)
def database_url(request, tmp_path) -> str:
    """The URL of a new, empty database: SQLite always, PostgreSQL when one is given."""
    url = f"sqlite:///{tmp_path / 'test.db'}" if request.param == "sqlite" else POSTGRES_URL
    _fresh(url).dispose()
    return url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """The URL of a new SQLite file, for tests of what only SQLite has (its journal files)."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def postgres_url() -> str:
    """The URL of the emptied PostgreSQL test database, for tests of what only it has."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    _fresh(POSTGRES_URL).dispose()
    return POSTGRES_URL


@pytest.fixture
def empty_engine(database_url) -> sa.Engine:
    """An engine on a new database with the schema and the council register, no uploads."""
    engine = make_engine(database_url)
    ensure_database(engine=engine, seed_samples=False)
    yield engine
    engine.dispose()


@pytest.fixture
def sample_engine(empty_engine) -> sa.Engine:
    """An engine on a new database seeded with the shipped sample workbooks."""
    ensure_database(engine=empty_engine, seed_samples=True)
    return empty_engine


def pytest_unconfigure(config):
    """Drop a worker's own database when the worker ends (the given one is .ci/run's)."""
    if POSTGRES_URL and POSTGRES_URL != GIVEN_POSTGRES_URL:
        url = sa.make_url(POSTGRES_URL)
        with server_connection(url) as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _no_stray_metadata():
    yield
    assert set(SQLModel.metadata.tables) >= {"upload", "period_state"}


def save_accounts(engine: sa.Engine, *actors) -> None:
    """Give each actor an account with its role and workstreams, as write functions read it."""
    from lgadata.auth import command_line, save_user

    for actor in actors:
        save_user(
            engine=engine,
            by=command_line("test"),
            email=actor.email,
            role=actor.role,
            workstreams=tuple(actor.workstreams),
        )
