"""A canonical picture of a database, to show that a refused file left it exactly as it was."""

import hashlib
import sqlite3

import sqlalchemy as sa
from sqlmodel import SQLModel

from lgadata.db import make_engine


def dump(database_url: str) -> dict[str, list[tuple]]:
    """Return every row of every table, in primary key order, with its values as stored."""
    engine = make_engine(database_url)
    found = {}
    try:
        with engine.connect() as conn:
            for table in SQLModel.metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                rows = conn.execute(sa.select(table).order_by(*order))
                found[table.name] = [tuple(row) for row in rows]
    finally:
        engine.dispose()
    return found


def sqlite_file_digest(database_url: str) -> str | None:
    """Return the SHA-256 of a SQLite database file once its write-ahead log is merged in."""
    if not database_url.startswith("sqlite:///"):
        return None
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def picture(database_url: str) -> tuple[dict, str | None]:
    """Return the dump and, for SQLite, the file's digest: equal pictures, equal databases."""
    return dump(database_url), sqlite_file_digest(database_url)
