"""Personal access tokens for the read-only API: issued and revoked by administrators,
kept only as a hash, and worth nothing once revoked or once their owner is disabled."""

import datetime as dt
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lgadata import audit
from lgadata.auth import Actor, Permission, actor_for, require
from lgadata.db import write_transaction
from lgadata.models import ApiToken, User, as_utc, utc_now
from lgadata.sessions import held_by, token_hash, touch

PREFIX = "lgapat_"
SCOPES = ("read",)
TOUCH_EVERY = dt.timedelta(minutes=5)


def issue(*, engine: sa.Engine, by: Actor, email: str, label: str = "") -> str:
    """Issue a read-only token for a user and return it: it is shown once, never again."""
    require(by, Permission.MANAGE_USERS)
    token = PREFIX + secrets.token_urlsafe(32)
    email = email.strip().casefold()
    with write_transaction(engine) as conn:
        user_id = conn.execute(sa.select(User.id).where(User.email == email)).scalar_one_or_none()
        if user_id is None:
            raise ValueError(f"There is no user {email!r}.")
        token_id = conn.execute(
            sa.insert(ApiToken)
            .values(
                token_hash=token_hash(token),
                user_id=user_id,
                label=label[:100],
                scope="read",
                created_by=by.email,
                created_at=utc_now(),
            )
            .returning(ApiToken.id)
        ).scalar_one()
        audit.record(conn, actor=by.email, action="token issued", user=email, token=token_id)
    return token


def revoke(*, engine: sa.Engine, by: Actor, token_id: int) -> None:
    """Revoke a token; the next request that presents it is refused."""
    require(by, Permission.MANAGE_USERS)
    with write_transaction(engine) as conn:
        done = conn.execute(
            sa.update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utc_now())
        ).rowcount
        if not done:
            raise ValueError(f"There is no token {token_id} that is still in use.")
        audit.record(conn, actor=by.email, action="token revoked", token=token_id)


def listed(*, engine: sa.Engine) -> list[dict]:
    """Return every token (never the token itself), newest first."""
    with Session(engine) as orm:
        rows = orm.execute(
            sa.select(ApiToken, User.email)
            .join(User, User.id == ApiToken.user_id)
            .order_by(ApiToken.id.desc())
        ).all()
    return [
        {
            "id": t.id,
            "user": email,
            "label": t.label,
            "scope": t.scope,
            "issued by": t.created_by,
            "issued": as_utc(t.created_at),
            "last used": as_utc(t.last_used_at),
            "revoked": as_utc(t.revoked_at),
        }
        for t, email in rows
    ]


def resolve(*, engine: sa.Engine, token: str, now=None) -> Actor | None:
    """Return the actor a token stands for now, or None if it is unknown or revoked."""
    if not token.startswith(PREFIX):
        return None
    now = now or utc_now()
    row = held_by(engine=engine, table=ApiToken, token=token)
    if row is None or row[0].revoked_at is not None or row[1].disabled:
        return None
    api_token, user = row
    touch(engine=engine, row=api_token, column="last_used_at", every=TOUCH_EVERY, now=now)
    return actor_for(user, "API token")
