"""Alembic's environment: the app's own connection when it migrates, else the configured URL."""

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

from lgadata import models  # noqa: F401  (defines every table on SQLModel.metadata)
from lgadata.db import make_engine, normalise_url
from lgadata.migrations import migration_lock
from lgadata.settings import get_settings


def _render_item(type_, obj, autogen_context):
    # A migration must not depend on sqlmodel's types: write them as what they store.
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()" if obj.length is None else f"sa.String(length={obj.length})"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _options(dialect_name: str) -> dict:
    return {
        "target_metadata": SQLModel.metadata,
        "compare_type": True,
        # SQLite cannot alter most things in place; batch mode copies the table instead.
        "render_as_batch": dialect_name == "sqlite",
        "render_item": _render_item,
    }


def _run_offline() -> None:
    url = normalise_url(context.config.attributes.get("url") or get_settings().database_url)
    dialect = sa.make_url(url).get_backend_name()
    context.configure(url=url, literal_binds=True, **_options(dialect))
    with context.begin_transaction():
        context.run_migrations()


def _run_online(connection: sa.Connection) -> None:
    context.configure(connection=connection, **_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


if context.config.config_file_name:
    # Only the alembic command has an ini file; the app leaves logging alone.
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    _run_offline()
elif (shared := context.config.attributes.get("connection")) is not None:
    # lgadata.migrations.migrate() holds the migration lock on this connection.
    _run_online(shared)
else:
    # The alembic command, run by a developer: take the same lock the app takes.
    engine = make_engine(get_settings().database_url)
    with migration_lock(engine) as connection:
        _run_online(connection)
    engine.dispose()
