"""Who may do what: roles, password hashing, sign-in with lockout, and the role checks
that every write function makes, so that a page bug cannot bypass them."""

import datetime as dt
import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lgadata import audit
from lgadata.models import AuditEvent, User, utc_now
from lgadata.settings import get_settings

MIN_PASSWORD_LENGTH = 12


class Role(StrEnum):
    """What a person may do: view the board pages, also upload, also manage."""

    VIEWER = "viewer"
    OFFICER = "officer"
    ADMIN = "admin"


class Permission(StrEnum):
    """An action the server checks before it acts."""

    VIEW = "view the board pages"
    UPLOAD = "upload"
    ROLL_BACK = "roll back uploads"
    VIEW_HISTORY = "see the upload history"
    MANAGE_USERS = "manage users"
    VIEW_AUDIT = "see the audit log"


_GRANTS = {
    Role.VIEWER: {Permission.VIEW},
    Role.OFFICER: {
        Permission.VIEW,
        Permission.UPLOAD,
        Permission.ROLL_BACK,
        Permission.VIEW_HISTORY,
    },
    Role.ADMIN: set(Permission),
}
_PER_WORKSTREAM = {Permission.UPLOAD, Permission.ROLL_BACK}


class NotAllowed(Exception):
    """The actor's role does not allow the action; nothing was done."""


class SignInRefused(Exception):
    """A sign-in that did not succeed, with the message to show."""


@dataclass(frozen=True)
class Actor:
    """Someone acting: their e-mail, role and (for officers) the workstreams they keep."""

    email: str
    role: Role
    workstreams: frozenset[str] = field(default_factory=frozenset)
    via: str = "sign-in"

    def can(self, permission: Permission, workstream: str | None = None) -> bool:
        """Say whether this actor may do it (for that workstream)."""
        if permission not in _GRANTS[self.role]:
            return False
        if self.role is Role.ADMIN or permission not in _PER_WORKSTREAM or workstream is None:
            return True
        return not self.workstreams or workstream in self.workstreams


def command_line(name: str) -> Actor:
    """Return the actor for the command line, run by whoever administers the server."""
    return Actor(email=name, role=Role.ADMIN, via="command line")


def require(actor: Actor | None, permission: Permission, workstream: str | None = None) -> None:
    """Raise NotAllowed unless the actor may do it."""
    if actor is None or not actor.can(permission, workstream):
        who = f"{actor.email} ({actor.role})" if actor else "Nobody signed in"
        where = f" for {workstream}" if workstream and permission in _PER_WORKSTREAM else ""
        raise NotAllowed(f"{who} may not {permission}{where}.")


@lru_cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """Return an Argon2id hash of a password, refusing short ones."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    return _hasher().hash(password)


def _actor(user: User, via: str) -> Actor:
    workstreams = frozenset(w for w in user.workstreams.split(",") if w)
    return Actor(email=user.email, role=Role(user.role), workstreams=workstreams, via=via)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite gives back naive datetimes for what was stored in UTC.
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment


def authenticate(*, engine: sa.Engine, email: str, password: str, now=None) -> Actor:
    """Check an e-mail and password; lock the account after repeated failures."""
    now = now or utc_now()
    email = email.strip().casefold()
    with engine.begin() as conn:
        user = conn.execute(sa.select(User).where(User.email == email)).first()
        outcome, refusal = _check_password(conn, user, password, now)
        audit.record(conn, actor=email, action="sign-in", outcome=outcome)
    # The failure count and the audit event are committed before the refusal is raised.
    if refusal:
        raise SignInRefused(refusal)
    return _actor(user, "local account")


def _check_password(conn, user, password: str, now) -> tuple[str, str | None]:
    """Return (audit outcome, refusal message or None), counting failures towards a lock."""
    settings = get_settings()
    refused = "That e-mail address and password do not match an account."
    if user is None or user.disabled or not user.password_hash:
        _hasher().hash(password)  # take as long as a real check, so timing shows nothing
        return "refused", refused
    locked = _aware(user.locked_until)
    if locked and locked > now:
        minutes = max(1, round((locked - now).total_seconds() / 60))
        return (
            "locked",
            f"The account is locked after repeated failures. Try again in {minutes} minutes.",
        )
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = user.failed_attempts + 1
        lock = failures >= settings.max_failed_sign_ins
        until = now + dt.timedelta(minutes=settings.lockout_minutes) if lock else None
        conn.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(failed_attempts=0 if lock else failures, locked_until=until)
        )
        if lock:
            minutes = settings.lockout_minutes
            return (
                "locked",
                f"Too many failed attempts: the account is locked for {minutes} minutes.",
            )
        return "refused", refused
    conn.execute(
        sa.update(User).where(User.id == user.id).values(failed_attempts=0, locked_until=None)
    )
    return "ok", None


def single_sign_on_actor(
    *, engine: sa.Engine, email: str, claims: dict, mapping: dict[str, str]
) -> Actor | None:
    """Return the actor for someone the identity provider vouches for, or None.

    The user table decides first; a disabled user is refused whatever their claims say.
    Otherwise the provider's groups or roles claims decide, through the mapping.
    """
    with engine.connect() as conn:
        user = conn.execute(sa.select(User).where(User.email == email.strip().casefold())).first()
    if user is not None:
        return None if user.disabled else _actor(user, "single sign-on")
    role = role_from_claims(claims, mapping)
    return Actor(email.strip().casefold(), role, via="single sign-on") if role else None


def role_from_claims(claims: dict, mapping: dict[str, str]) -> Role | None:
    """Return the highest role that the identity provider's groups or roles claims map to."""
    names = []
    for claim in ("roles", "groups"):
        value = claims.get(claim) or []
        names += [value] if isinstance(value, str) else list(value)
    roles = [Role(mapping[n]) for n in names if n in mapping]
    order = [Role.VIEWER, Role.OFFICER, Role.ADMIN]
    return max(roles, key=order.index, default=None)


def user_count(*, engine: sa.Engine) -> int:
    """Return how many users there are."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()


def save_user(
    *,
    engine: sa.Engine,
    by: Actor,
    email: str,
    role: Role,
    password: str | None = None,
    name: str = "",
    workstreams: tuple[str, ...] = (),
) -> None:
    """Create a user or change their role, password or workstreams; admins only."""
    require(by, Permission.MANAGE_USERS)
    email = email.strip().casefold()
    if "@" not in email:
        raise ValueError(f"{email!r} is not an e-mail address.")
    values = {"role": Role(role).value, "workstreams": ",".join(sorted(workstreams)), "name": name}
    if password is not None:
        values |= {
            "password_hash": hash_password(password),
            "failed_attempts": 0,
            "locked_until": None,
        }
    with engine.begin() as conn:
        existing = conn.execute(sa.select(User).where(User.email == email)).first()
        if existing is None:
            conn.execute(sa.insert(User).values(email=email, **values))
            audit.record(conn, actor=by.email, action="user added", user=email, role=values["role"])
        else:
            conn.execute(sa.update(User).where(User.email == email).values(**values))
            if existing.role != values["role"]:
                audit.record(
                    conn,
                    actor=by.email,
                    action="role changed",
                    user=email,
                    before=existing.role,
                    after=values["role"],
                )


def users(*, engine: sa.Engine) -> list[dict]:
    """Return every user without their password hash."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(User).order_by(User.email)).all()
    return [
        {
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "workstreams": u.workstreams,
            "locked": bool(_aware(u.locked_until) and _aware(u.locked_until) > utc_now()),
            "disabled": u.disabled,
            "local password": bool(u.password_hash),
        }
        for u in rows
    ]


def record_sign_in(
    *, engine: sa.Engine, email: str, via: str, outcome: str = "ok", token_issued: object = None
) -> None:
    """Record a sign-in made elsewhere (single sign-on) once per token the provider issued."""
    detail = {"via": via} | ({"token_issued": token_issued} if token_issued is not None else {})
    with engine.begin() as conn:
        if token_issued is not None:
            last = conn.execute(
                sa.select(AuditEvent.detail)
                .where(AuditEvent.actor == email, AuditEvent.action == "sign-in")
                .order_by(AuditEvent.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if last and json.loads(last).get("token_issued") == token_issued:
                return  # the same sign-in seen again from a reload or a new tab
        audit.record(conn, actor=email, action="sign-in", outcome=outcome, **detail)
