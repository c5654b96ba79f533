"""The command line for who may get in: users taken away and given back, and API tokens.

A part of lgadata.cli, whose helpers it uses.
"""

import getpass

from lgadata import auth, cli, tokens

USER_ACTIONS = {
    "disable": "disable a user (their sessions end at once)",
    "enable": "enable a disabled user again",
    "remove": "remove a user; the audit log keeps their name",
    "password": "set a new local password (their sessions end)",
    "unlock": "lift sign-in locks on the address, from every client",
    "end-sessions": "sign the user out of every browser",
}


def users_table(users: list[dict]) -> str:
    """Return the users as `user list` prints them: one a line, under headings, saying who is
    disabled or locked out (the walk of issue 17 could not tell a disabled user apart)."""
    if not users:
        return "No users yet."
    lines = [f"{'E-mail':<40} {'Role':<8} {'Workstreams':<30} Status"]
    for user in users:
        status = [word for word in ("disabled", "locked") if user[word]] or ["active"]
        lines.append(
            f"{user['email']:<40} {user['role']:<8} {user['workstreams'] or 'all':<30} "
            f"{', '.join(status)}"
        )
    return "\n".join(lines)


def _by() -> auth.Actor:
    return auth.command_line(getpass.getuser())


def user_access(args) -> int:
    """Carry out one of USER_ACTIONS for args.email."""
    engine = cli._engine()
    by, email = _by(), args.email
    try:
        if args.action in ("disable", "enable"):
            disabled = args.action == "disable"
            auth.set_disabled(engine=engine, by=by, email=email, disabled=disabled)
            done = f"{email} is {'disabled' if disabled else 'enabled'}."
        elif args.action == "remove":
            auth.remove_user(engine=engine, by=by, email=email)
            done = f"{email} is removed."
        elif args.action == "password":
            user = next((u for u in auth.users(engine=engine) if u["email"] == email), None)
            if user is None:
                raise ValueError(f"There is no user {email!r}.")
            auth.save_user(
                engine=engine,
                by=by,
                email=email,
                role=auth.Role(user["role"]),
                password=cli._read_password(email),
                name=user["name"],
                workstreams=tuple(w for w in user["workstreams"].split(",") if w),
            )
            done = f"{email} has a new password; their sessions have ended."
        elif args.action == "unlock":
            auth.unlock(engine=engine, by=by, email=email)
            done = f"{email} may sign in again from anywhere."
        else:
            ended = auth.end_sessions(engine=engine, by=by, email=email)
            done = f"Ended {ended} session{'s' * (ended != 1)} of {email}."
    except ValueError as error:
        return cli._fail(args, str(error))
    cli._emit(args, {"ok": True, "email": email, "action": args.action}, done)
    return 0


def add_token_command(command) -> None:
    """Add `token issue|list|revoke` to the parser."""
    sub = command("token", token, "Issue, list or revoke personal access tokens for the API.")
    sub.add_argument("action", choices=["issue", "list", "revoke"])
    sub.add_argument("subject", nargs="?", metavar="EMAIL|ID", help="issue: EMAIL; revoke: ID")
    sub.add_argument("--label", default="", help="what the token is for")


def token(args) -> int:
    """Issue a token (printed once), list tokens, or revoke one."""
    engine = cli._engine()
    try:
        if args.action == "list":
            rows = tokens.listed(engine=engine)
            lines = [
                f"{t['id']:>4} {t['user']:<36} {t['label'][:24]:<24} "
                f"{'revoked' if t['revoked'] else 'in use'}"
                for t in rows
            ]
            cli._emit(args, {"ok": True, "tokens": rows}, "\n".join(lines) or "No tokens yet.")
            return 0
        if not args.subject:
            wanted = "EMAIL" if args.action == "issue" else "ID"
            return cli._refuse(args, f"token {args.action} needs {wanted}.")
        if args.action == "issue":
            value = tokens.issue(engine=engine, by=_by(), email=args.subject, label=args.label)
            cli._emit(
                args,
                {"ok": True, "token": value},
                f"{value}\nKeep it secret: it is shown only this once. Use it as\n"
                f'  curl -H "Authorization: Bearer {value}" .../api/v1/metrics',
            )
            return 0
        if not args.subject.isdigit():
            return cli._refuse(args, "token revoke needs the token's number (see token list).")
        tokens.revoke(engine=engine, by=_by(), token_id=int(args.subject))
    except ValueError as error:
        return cli._fail(args, str(error))
    cli._emit(args, {"ok": True, "revoked": int(args.subject)}, f"Token {args.subject} is revoked.")
    return 0
