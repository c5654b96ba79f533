"""Counting failed sign-ins per key, atomically, with locks that grow each time.

A key is an e-mail address as tried from one client address, or one client address over
every e-mail address. Locks are per key, so failures from one client never stop the owner
signing in from another. Every attempt reserves its place before the password is checked,
inside a transaction that holds the key's row (a row lock on PostgreSQL, BEGIN IMMEDIATE
on SQLite), so parallel guesses are counted exactly: no more are checked than the limit.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from lgadata.models import SignInThrottle, as_utc
from lgadata.settings import get_settings

LONGEST_LOCK = dt.timedelta(hours=24)


def account_key(email: str, client: str) -> str:
    """Return the key for an e-mail address tried from one client."""
    return f"account:{email}|{client}"


def client_key(client: str) -> str:
    """Return the key for every e-mail address tried from one client."""
    return f"client:{client}"


def _row(conn: sa.Connection, key: str, now: dt.datetime) -> SignInThrottle:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(
        dialect.insert(SignInThrottle)
        .values(key=key, attempts=0, locks=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return conn.execute(
        sa.select(SignInThrottle).where(SignInThrottle.key == key).with_for_update()
    ).one()


def reserve(conn: sa.Connection, limits: dict[str, int], now: dt.datetime) -> bool:
    """Count an attempt against every key; return False if any key is locked or full.

    Call inside a write transaction. A key whose lock has run out starts counting again.
    """
    allowed = True
    for key, limit in limits.items():
        row = _row(conn, key, now)
        locked = as_utc(row.locked_until)
        attempts = row.attempts
        if locked and locked > now:
            allowed = False
            continue
        if locked:  # the lock has run out: count afresh, but the next lock lasts longer
            attempts = 0
        attempts += 1
        values = {"attempts": attempts, "locked_until": None, "updated_at": now}
        if attempts > limit:
            allowed = False
            values |= _lock(row.locks, now)
        conn.execute(sa.update(SignInThrottle).where(SignInThrottle.key == key).values(**values))
    return allowed


def _lock(locks: int, now: dt.datetime) -> dict:
    base = dt.timedelta(minutes=get_settings().lockout_minutes)
    length = min(base * 2**locks, LONGEST_LOCK)
    return {"attempts": 0, "locks": locks + 1, "locked_until": now + length}


def failed(conn: sa.Connection, limits: dict[str, int], now: dt.datetime) -> bool:
    """Record that a reserved attempt failed; lock keys that reached their limit.

    Return True if this failure locked the e-mail address from this client.
    """
    locked_now = False
    for key, limit in limits.items():
        row = _row(conn, key, now)
        locked = as_utc(row.locked_until)
        if row.attempts >= limit and not (locked and locked > now):
            values = _lock(row.locks, now) | {"updated_at": now}
            conn.execute(
                sa.update(SignInThrottle).where(SignInThrottle.key == key).values(**values)
            )
            locked_now = locked_now or key.startswith("account:")
    return locked_now


def succeeded(conn: sa.Connection, *, email: str, client: str) -> None:
    """Forget this address's failures from this client and give back the client's place."""
    conn.execute(sa.delete(SignInThrottle).where(SignInThrottle.key == account_key(email, client)))
    conn.execute(
        sa.update(SignInThrottle)
        .where(SignInThrottle.key == client_key(client), SignInThrottle.attempts > 0)
        .values(attempts=SignInThrottle.attempts - 1)
    )


def _every_client(email: str):
    prefix = account_key(email, "")
    return sa.func.substr(SignInThrottle.key, 1, len(prefix)) == prefix


def unlock(conn: sa.Connection, *, email: str) -> int:
    """Lift every lock and count on an e-mail address, from every client; return how many."""
    return conn.execute(sa.delete(SignInThrottle).where(_every_client(email))).rowcount


def locked(conn: sa.Connection, *, email: str, now: dt.datetime) -> bool:
    """Say whether the address is locked from any client."""
    rows = conn.execute(
        sa.select(SignInThrottle.locked_until).where(
            _every_client(email),
            SignInThrottle.locked_until.is_not(None),
        )
    ).scalars()
    return any(as_utc(until) > now for until in rows)


def limits(*, email: str, client: str) -> dict[str, int]:
    """Return the keys an attempt counts against, with their limits from the settings."""
    settings = get_settings()
    return {
        account_key(email, client): settings.max_failed_sign_ins,
        client_key(client): settings.max_failed_sign_ins_per_client,
    }
