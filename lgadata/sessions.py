"""Server-side sessions: a random token in an HttpOnly cookie, its hash in the database.

Who someone is and what they may do is read from the database on every script run, so a
role change, disabling, removal, a new password or signing out reaches every open tab and
every process at that person's next click. The Streamlit session id is never consulted.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lgadata import audit
from lgadata.auth import Actor, actor_for
from lgadata.db import write_transaction
from lgadata.models import User, UserSession, as_utc, utc_now
from lgadata.settings import get_settings

COOKIE = "lgadata_session"
# How stale last_seen_at may get before a run writes it again: an idle time-out needs
# minutes, not seconds, and a write on every click would queue viewers behind each other.
# (A quarter of the idle time-out when that is shorter, so a run always renews in time.)
TOUCH_EVERY = dt.timedelta(seconds=60)


def _touch_every() -> dt.timedelta:
    return min(TOUCH_EVERY, dt.timedelta(minutes=get_settings().session_idle_minutes) / 4)


def new_token() -> str:
    """Return a new random token of 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Return what the database keeps of a token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Lookup:
    """What a session token is worth now: the actor, or why there is none."""

    actor: Actor | None
    reason: str = ""  # "", "unknown", "ended", "expired", "idle", "disabled"


def start(
    *, engine: sa.Engine, email: str, via: str, client: str = "", token: str | None = None, now=None
) -> str:
    """Open a session for a user and return its token (the given one, or a new one)."""
    now = now or utc_now()
    token = token or new_token()
    hours = get_settings().session_absolute_hours
    with write_transaction(engine) as conn:
        user_id = conn.execute(sa.select(User.id).where(User.email == email)).scalar_one()
        conn.execute(
            sa.insert(UserSession).values(
                token_hash=token_hash(token),
                user_id=user_id,
                via=via,
                client=client[:200],
                created_at=now,
                last_seen_at=now,
                expires_at=now + dt.timedelta(hours=hours),
                ended_reason="",
            )
        )
    return token


def resolve(*, engine: sa.Engine, token: str | None, now=None) -> Lookup:
    """Return who holds this token now, read from the user's current row."""
    if not isinstance(token, str) or not token:
        return Lookup(None, "unknown")
    now = now or utc_now()
    row = held_by(engine=engine, table=UserSession, token=token)
    if row is None:
        return Lookup(None, "unknown")
    session, user = row
    reason = _ended(session, user, now)
    if reason:
        if session.ended_at is None:
            end(engine=engine, token=token, reason=reason, now=now)
        return Lookup(None, reason)
    touch(engine=engine, row=session, column="last_seen_at", every=_touch_every(), now=now)
    return Lookup(actor_for(user, session.via))


def held_by(*, engine: sa.Engine, table, token: str) -> tuple | None:
    """Return (the row whose token_hash is the token's, its user), or None: for a session
    or an API token alike."""
    with Session(engine) as orm:
        return orm.execute(
            sa.select(table, User)
            .join(User, User.id == table.user_id)
            .where(table.token_hash == token_hash(token))
        ).first()


def touch(*, engine: sa.Engine, row, column: str, every: dt.timedelta, now) -> None:
    """Write now into the row's last-used column when it is older than every (or empty)."""
    last = as_utc(getattr(row, column))
    if last is None or now - last > every:
        with write_transaction(engine) as conn:
            conn.execute(sa.update(type(row)).where(type(row).id == row.id).values({column: now}))


def _ended(session: UserSession, user: User, now: dt.datetime) -> str:
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes)
    if session.ended_at is not None:
        return session.ended_reason or "ended"
    if user.disabled:
        return "disabled"
    if now >= as_utc(session.expires_at):
        return "expired"
    if now - as_utc(session.last_seen_at) > idle:
        return "idle"
    return ""


def end(*, engine: sa.Engine, token: str, reason: str = "signed out", now=None) -> None:
    """End one session (signing out); the cookie that holds it is then worth nothing."""
    with write_transaction(engine) as conn:
        conn.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == token_hash(token), UserSession.ended_at.is_(None))
            .values(ended_at=now or utc_now(), ended_reason=reason)
        )


def end_all(conn: sa.Connection, *, user_id: int, reason: str, now=None) -> int:
    """End every open session of a user inside the caller's transaction; return how many."""
    result = conn.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=now or utc_now(), ended_reason=reason)
    )
    return result.rowcount


def open_sessions(*, engine: sa.Engine, email: str, now=None) -> list[dict]:
    """Return a user's sessions that have not ended, newest first, for the Users page."""
    now = now or utc_now()
    with Session(engine) as orm:
        rows = orm.execute(
            sa.select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(User.email == email, UserSession.ended_at.is_(None))
            .order_by(UserSession.created_at.desc())
        ).all()
    return [
        {
            "via": s.via,
            "client": s.client,
            "signed in": as_utc(s.created_at),
            "last seen": as_utc(s.last_seen_at),
        }
        for s, u in rows
        if not _ended(s, u, now)
    ]


def single_sign_on(
    *, engine: sa.Engine, email: str, token_key: str, client: str = "", now=None
) -> Lookup:
    """Return the session for a single sign-on, opening it on first sight of this token.

    The identity provider's signed cookie proves who someone is; this row lets an
    administrator end that sign-in and applies the idle and absolute lifetimes to it.
    token_key names the provider's token (its subject and issue time), never the token.
    """
    lookup = resolve(engine=engine, token=token_key, now=now)
    if lookup.reason != "unknown":
        return lookup
    with engine.connect() as conn:
        known = conn.execute(sa.select(User.id).where(User.email == email)).first()
    if known is None:
        return Lookup(None, "unknown")
    start(engine=engine, email=email, via="single sign-on", client=client, token=token_key, now=now)
    with write_transaction(engine) as conn:
        audit.record(conn, actor=email, action="sign-in", via="single sign-on", client=client)
    return resolve(engine=engine, token=token_key, now=now)
