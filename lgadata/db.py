"""The database engine: a SQLite file by default, PostgreSQL when DATABASE_URL says so."""

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

from lgadata import models
from lgadata.migrations import SQLITE_WRITE_LOCK, migrate, one_at_a_time
from lgadata.settings import get_settings

# A PostgreSQL advisory lock key of its own (the migrations take another).
SETUP_LOCK_KEY = 0x4C47_4153_4554_5550  # "LGASETUP"


def _configure_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so
        # that an upload is one transaction (the SQLAlchemy documentation's recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        _use_write_ahead_log(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A migration takes the write lock up front, so two processes cannot both start one.
        immediate = connection.get_execution_options().get(SQLITE_WRITE_LOCK)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _use_write_ahead_log(cursor, *, patience_s: float = 30.0) -> None:
    # Switching a new file to WAL needs its exclusive lock, and SQLite answers "database is
    # locked" at once, without its busy handler, while another process holds any lock: so
    # processes starting together on a new database wait and try again here.
    deadline = time.monotonic() + patience_s
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def make_engine(url: str) -> sa.Engine:
    """Return a new engine for a database URL, set up for this application."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> sa.Engine:
    """Return the shared engine for url (default: the configured database)."""
    return make_engine(url or get_settings().database_url)


def create_schema(engine: sa.Engine) -> str:
    """Migrate the schema to the newest revision, add missing state rows, return the revision."""
    from lgadata.workstreams import WORKSTREAMS

    revision = migrate(engine)
    with setup_transaction(engine) as conn:
        known = set(conn.execute(sa.select(models.WorkstreamState.workstream)).scalars())
        missing = [key for key in WORKSTREAMS if key not in known]
        if missing:
            now = models.utc_now()
            rows = [{"workstream": k, "version": 0, "updated_at": now} for k in missing]
            conn.execute(sa.insert(models.WorkstreamState), rows)
    return revision


@contextmanager
def setup_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """Yield a connection in a transaction that one process at a time may enter.

    Dashboard processes starting together on a new database would otherwise each find the
    state rows or the council register missing and each insert them.
    """
    with engine.connect() as conn, one_at_a_time(conn, SETUP_LOCK_KEY):
        yield conn


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """Yield a connection in a transaction that means to write, committed at the end.

    On SQLite it begins with BEGIN IMMEDIATE, so writers that arrive together queue on the
    busy timeout: a deferred BEGIN that reads first cannot take the write lock later and
    fails at once with "database is locked" while another writer holds it.
    """
    with engine.connect().execution_options(**{SQLITE_WRITE_LOCK: True}) as conn, conn.begin():
        yield conn


class ConnectionAsEngine:
    """An open connection that read functions can use in place of an engine.

    Query functions take `engine=` and open a connection from it; given this, they read
    through the one connection, inside its transaction (as a preview does).
    """

    def __init__(self, connection: sa.Connection):
        self._connection = connection
        self.dialect = connection.dialect

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        """Yield the wrapped connection; leave it open."""
        yield self._connection
