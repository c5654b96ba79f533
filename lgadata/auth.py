"""Who may do what: roles, password hashing, sign-in with lockout, and the role checks
that every write function makes, so that a page bug cannot bypass them."""

import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email

from lgadata import audit, throttle
from lgadata.db import write_transaction
from lgadata.models import AuditEvent, User, utc_now

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
    KEEP_MEETINGS = "keep the board's meetings, commentary, decisions and actions"
    CHOOSE_MAIL = "choose how you are sent the board pack"
    SEND_MAIL = "send the board pack by e-mail and see what was sent"


_GRANTS = {
    Role.VIEWER: {Permission.VIEW, Permission.CHOOSE_MAIL},
    Role.OFFICER: {
        Permission.VIEW,
        Permission.CHOOSE_MAIL,
        Permission.UPLOAD,
        Permission.ROLL_BACK,
        Permission.VIEW_HISTORY,
        Permission.KEEP_MEETINGS,
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


# Actors whose role may come from outside the user table: people the identity provider
# vouches for by its groups (single_sign_on_actor) when the table has no row for them.
_NOT_IN_THE_USER_TABLE = {"single sign-on"}


def require_now(
    conn: sa.Connection, actor: Actor | None, permission: Permission, workstream: str | None = None
) -> Actor:
    """Return the actor as the user table has them now, raising NotAllowed unless they may
    do it; call it inside the write's transaction.

    The actor a page holds was read when its run began: a role taken away, an account
    disabled or removed since then stops the write here.
    """
    require(actor, permission, workstream)
    if actor.via == "command line":
        return actor  # whoever runs the server's commands administers it
    row = conn.execute(sa.select(User).where(User.email == actor.email)).first()
    if row is None and actor.via in _NOT_IN_THE_USER_TABLE:
        return actor
    if row is None or row.disabled:
        raise NotAllowed(f"{actor.email} may no longer sign in, so may not {permission}.")
    now = actor_for(row, actor.via)
    require(now, permission, workstream)
    return now


def require_current(*, engine: sa.Engine, actor: Actor | None, permission: Permission) -> Actor:
    """Return the actor as the user table has them now (require_now), for a write that runs
    outside a transaction of its own: the role, disabling or removal made since the page
    was drawn decides, not what the sign-in said."""
    with engine.connect() as conn:
        return require_now(conn, actor, permission)


def clean_email(text: str) -> str:
    """Return an e-mail address as the user table keeps it (trimmed, in lower case), or raise
    ValueError saying why it is not one address (email-validator's syntax check, no DNS)."""
    address = (text or "").strip().casefold()
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"{(text or '').strip()!r} is not an e-mail address: {error}") from None
    return address


@lru_cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """Return an Argon2id hash of a password, refusing short ones."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    return _hasher().hash(password)


def actor_for(user: User, via: str) -> Actor:
    """Return the actor a user row stands for now."""
    workstreams = frozenset(w for w in user.workstreams.split(",") if w)
    return Actor(email=user.email, role=Role(user.role), workstreams=workstreams, via=via)


REFUSED = (
    "That e-mail address and password do not match an account, or there have been too many "
    "failed attempts from here. Check them and try again later, or ask an administrator."
)


def authenticate(
    *, engine: sa.Engine, email: str, password: str, client: str = "", now=None
) -> Actor:
    """Check an e-mail and password, throttled per client; raise SignInRefused if wrong.

    Every refusal says the same and costs the same (a hash is computed for unknown,
    disabled and throttled addresses too), so answers never tell which addresses exist.
    """
    now = now or utc_now()
    email = email.strip().casefold()
    limits = throttle.limits(email=email, client=client)
    with write_transaction(engine) as conn:
        allowed = throttle.reserve(conn, limits, now)
    # The slow hash runs outside any transaction, so sign-ins do not queue behind it.
    with engine.connect() as conn:
        user = conn.execute(sa.select(User).where(User.email == email)).first()
    usable = allowed and user is not None and not user.disabled and user.password_hash
    ok = _verify(user.password_hash, password) if usable else _waste(password)
    with write_transaction(engine) as conn:
        # "refused": the password was checked and was wrong; "locked": it was not checked.
        detail = {"client": client}
        if ok:
            throttle.succeeded(conn, email=email, client=client)
            outcome = "ok"
        else:
            outcome = "refused" if allowed else "locked"
            if throttle.failed(conn, limits, now):
                detail["locked"] = True
        audit.record(conn, actor=email, action="sign-in", outcome=outcome, **detail)
    if not ok:
        raise SignInRefused(REFUSED)
    return actor_for(user, "local account")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _waste(password: str) -> bool:
    _hasher().hash(password)  # as long as a real check takes, so timing shows nothing
    return False


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
        return None if user.disabled else actor_for(user, "single sign-on")
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
    """Create a user or change their role, password or workstreams; admins only.

    A new password ends every session the user has open.
    """
    require(by, Permission.MANAGE_USERS)
    email = clean_email(email)
    values = {"role": Role(role).value, "workstreams": ",".join(sorted(workstreams)), "name": name}
    if password is not None:
        values["password_hash"] = hash_password(password)
    with write_transaction(engine) as conn:
        existing = conn.execute(sa.select(User).where(User.email == email)).first()
        if existing is None:
            conn.execute(sa.insert(User).values(email=email, **values))
            audit.record(conn, actor=by.email, action="user added", user=email, role=values["role"])
            return
        if existing.role == Role.ADMIN and values["role"] != Role.ADMIN:
            _keep_an_administrator(conn, existing)
        # The same password again (a role change on the command line asks for one) is not
        # a new password: it keeps the hash and signs nobody out.
        if password and existing.password_hash and _verify(existing.password_hash, password):
            values.pop("password_hash")
            password = None
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
        if password is not None:
            _password_changed(conn, existing, by)


def _password_changed(conn: sa.Connection, user: User, by: Actor) -> None:
    from lgadata import sessions  # sessions reads actors from here

    ended = sessions.end_all(conn, user_id=user.id, reason="password changed")
    throttle.unlock(conn, email=user.email)
    audit.record(conn, actor=by.email, action="password set", user=user.email, sessions=ended)


def _keep_an_administrator(conn: sa.Connection, user: User) -> None:
    others = conn.execute(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN.value, User.id != user.id, User.disabled.is_(False))
    ).scalar_one()
    if not others:
        raise ValueError(
            f"{user.email} is the only administrator who can sign in: make someone else an "
            "administrator first."
        )


def _existing(conn: sa.Connection, email: str) -> sa.Row:
    email = email.strip().casefold()
    user = conn.execute(sa.select(User).where(User.email == email)).first()
    if user is None:
        raise ValueError(f"There is no user {email!r}.")
    return user


def set_disabled(*, engine: sa.Engine, by: Actor, email: str, disabled: bool) -> None:
    """Disable a user (ending their sessions at once) or enable them again; admins only."""
    from lgadata import sessions

    require(by, Permission.MANAGE_USERS)
    with write_transaction(engine) as conn:
        user = _existing(conn, email)
        if disabled and user.role == Role.ADMIN:
            _keep_an_administrator(conn, user)
        conn.execute(sa.update(User).where(User.id == user.id).values(disabled=disabled))
        ended = sessions.end_all(conn, user_id=user.id, reason="disabled") if disabled else 0
        action = "user disabled" if disabled else "user enabled"
        audit.record(conn, actor=by.email, action=action, user=user.email, sessions=ended)


def remove_user(*, engine: sa.Engine, by: Actor, email: str) -> None:
    """Remove a user, their sessions and tokens; the audit log keeps their name. Admins only."""
    from lgadata.models import ApiToken, UserSession

    require(by, Permission.MANAGE_USERS)
    with write_transaction(engine) as conn:
        user = _existing(conn, email)
        if user.role == Role.ADMIN:
            _keep_an_administrator(conn, user)
        conn.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
        conn.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id))
        throttle.unlock(conn, email=user.email)
        conn.execute(sa.delete(User).where(User.id == user.id))
        audit.record(conn, actor=by.email, action="user removed", user=user.email, role=user.role)


def unlock(*, engine: sa.Engine, by: Actor, email: str) -> int:
    """Lift the sign-in locks on an address from every client; admins only."""
    require(by, Permission.MANAGE_USERS)
    with write_transaction(engine) as conn:
        user = _existing(conn, email)
        lifted = throttle.unlock(conn, email=user.email)
        audit.record(conn, actor=by.email, action="user unlocked", user=user.email, keys=lifted)
    return lifted


def end_sessions(*, engine: sa.Engine, by: Actor, email: str) -> int:
    """End every session a user has open, in every browser; admins only. Return how many."""
    from lgadata import sessions

    require(by, Permission.MANAGE_USERS)
    with write_transaction(engine) as conn:
        user = _existing(conn, email)
        ended = sessions.end_all(conn, user_id=user.id, reason="ended by an administrator")
        audit.record(conn, actor=by.email, action="sessions ended", user=user.email, count=ended)
    return ended


def users(*, engine: sa.Engine) -> list[dict]:
    """Return every user without their password hash."""
    now = utc_now()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(User).order_by(User.email)).all()
        locked = {u.email: throttle.locked(conn, email=u.email, now=now) for u in rows}
    return [
        {
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "workstreams": u.workstreams,
            "locked": locked[u.email],
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
