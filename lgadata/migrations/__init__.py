"""Bring a database's schema to the newest revision with Alembic, one process at a time.

Alembic is configured here, in code, so the migrations ship inside the package; alembic.ini
beside this file is only for developers writing a new revision.
"""

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent
FIRST_REVISION = "0001"
# Any constant will do, so long as nothing else takes the same PostgreSQL advisory lock.
ADVISORY_LOCK_KEY = 0x4C47_4144_4D49_4752  # "LGADMIGR"
# A connection execution option read by lgadata.db: begin with BEGIN IMMEDIATE on SQLite.
SQLITE_WRITE_LOCK = "lgadata_sqlite_write_lock"
# What a developer runs, from the repository root, after changing lgadata/models.py.
REVISION_COMMAND = (
    "alembic -c lgadata/migrations/alembic.ini revision --autogenerate"
    ' --rev-id NNNN -m "what changed"'
)


# Alembic keeps the running migration in module globals, so one process migrates from one
# thread at a time; the database lock below keeps other processes out.
_THIS_PROCESS = threading.Lock()


class SchemaError(RuntimeError):
    """The database's schema is not one this version of the application can upgrade."""


def config(**attributes) -> Config:
    """Return an Alembic configuration for the migrations in this package."""
    cfg = Config(output_buffer=attributes.pop("output_buffer", None))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes.update(attributes)
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def _known_revisions() -> set[str]:
    return {script.revision for script in _script().walk_revisions()}


def head_revision() -> str:
    """Return the newest revision shipped with this code."""
    return _script().get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    """Return the revision the database is at (None if it has never been migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: sa.Engine) -> str:
    """Upgrade the database to the newest revision and return that revision."""
    head = head_revision()
    if current_revision(engine) == head:
        return head
    with _THIS_PROCESS, migration_lock(engine) as conn:
        # Read again under the lock: another process may have migrated while we waited.
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None and current not in _known_revisions():
            raise SchemaError(
                f"The database is at revision {current}, which this version of the application "
                f"does not know (its newest is {head}): a newer version has upgraded it."
            )
        if current is None and _made_by_create_all(conn):
            command.stamp(config(connection=conn), FIRST_REVISION)
        command.upgrade(config(connection=conn), "head")
    return head


def upgrade_sql(url: str, start: str | None = None) -> str:
    """Return the SQL that upgrades a database at start (default: empty) to the newest revision."""
    buffer = io.StringIO()
    target = f"{start}:head" if start else "head"
    command.upgrade(config(url=url, output_buffer=buffer), target, sql=True)
    return buffer.getvalue()


def _made_by_create_all(conn: sa.Connection) -> bool:
    """Say whether the database has the first released schema, made before migrations."""
    tables = set(sa.inspect(conn).get_table_names())
    released = set(_script().get_revision(FIRST_REVISION).module.TABLES)
    if not tables & released:
        return False
    if missing := released - tables:
        raise SchemaError(
            "The database has some of the first released schema's tables but not "
            f"{', '.join(sorted(missing))}, so no version of this application made it. "
            "Point DATABASE_URL at an empty database or at one this application made."
        )
    return True


@contextmanager
def one_at_a_time(conn: sa.Connection, key: int) -> Iterator[None]:
    """Begin a transaction on conn that one process at a time may hold for this key.

    PostgreSQL takes an advisory lock on the key, released when the transaction ends, even
    if the process dies; SQLite begins with BEGIN IMMEDIATE, which takes its one write lock.
    """
    if conn.dialect.name == "sqlite":
        conn.execution_options(**{SQLITE_WRITE_LOCK: True})
    with conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
        yield


@contextmanager
def migration_lock(engine: sa.Engine) -> Iterator[sa.Connection]:
    """Yield a connection in a transaction that no other migrating process can enter.

    On SQLite, foreign keys are not enforced inside it but checked before it commits.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            with _sqlite_foreign_keys_off(conn), one_at_a_time(conn, ADVISORY_LOCK_KEY):
                yield conn
                _check_foreign_keys(conn)
        else:
            with one_at_a_time(conn, ADVISORY_LOCK_KEY):
                yield conn


@contextmanager
def _sqlite_foreign_keys_off(conn: sa.Connection) -> Iterator[None]:
    # A batch migration copies a table, drops the old one and renames the copy, which
    # enforced foreign keys would refuse. SQLite ignores this pragma inside a transaction,
    # so it is set on the raw connection before ours begins (the way Alembic's docs advise),
    # and the keys are checked before commit instead.
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: sa.Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise SchemaError(f"A migration left rows with no parent in: {', '.join(tables)}.")
