"""The command line: a thin shell over the same functions the dashboard uses."""

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path

import pydantic

from lgadata import audit, auth, queries
from lgadata.auth import Role
from lgadata.bootstrap import ensure_database
from lgadata.cli_access import USER_ACTIONS, add_token_command, user_access, users_table
from lgadata.cli_mail import add_mail_command
from lgadata.cli_meetings import add_meeting_command
from lgadata.db import get_engine
from lgadata.ingest import ParsedUpload
from lgadata.migrations import current_revision, migrate, upgrade_sql
from lgadata.recognise import check_upload, outcome
from lgadata.report import format_metrics
from lgadata.settings import get_settings
from lgadata.store import StoreError, rollback, store_upload
from lgadata.templates import build_template
from lgadata.workstreams import WORKSTREAMS, workstream_key

MAX_SHOWN = 50


def main(argv: list[str] | None = None) -> int:
    """Run a command and return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except StoreError as error:
        return _fail(args, str(error))
    except OSError as error:
        return _fail(args, f"{getattr(error, 'filename', '') or ''} {error.strerror}".strip())
    except pydantic.ValidationError as error:  # a setting in the environment is not usable
        return _fail(args, settings_problem(error))


def settings_problem(error: pydantic.ValidationError) -> str:
    """Return what is wrong with the settings, naming each environment variable."""
    wrong = [
        f"LGADATA_{'_'.join(str(part) for part in e['loc']).upper()} is {e['input']!r}: {e['msg']}"
        for e in error.errors()
    ]
    return "The settings cannot be used: " + "; ".join(wrong) + "."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lgadata",
        description="Productivity Programme data: check, load and report workstream spreadsheets.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    workstreams = sorted(WORKSTREAMS)

    def command(name, handler, help):
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument("--json", action="store_true", help="print machine-readable JSON")
        sub.set_defaults(handler=handler)
        return sub

    command("init", _init, "Create the database and load the sample data on first run.")
    sub = command("migrate", _migrate, "Upgrade the database schema to the newest revision.")
    sub.add_argument("--sql", action="store_true", help="print the SQL instead of running it")
    sub.add_argument(
        "--from", dest="start", metavar="REVISION", help="with --sql: the database's revision"
    )
    for name, handler, help in (
        ("check", _check, "Validate a spreadsheet for a workstream; store nothing."),
        ("load", _load, "Validate a spreadsheet and store it as a new version."),
    ):
        sub = command(name, handler, help)
        sub.add_argument(
            "workstream",
            type=workstream_key,
            choices=workstreams,
            metavar="WORKSTREAM",
            help=", ".join(workstreams),
        )
        sub.add_argument("file", type=Path, metavar="FILE", help=".xlsx, .xls, .ods or .csv")
        sub.add_argument(
            "--as-at",
            "--period",
            dest="period",
            metavar="PERIOD",
            help="the period where the file has no period column: map edition date, "
            "financial year, quarter or bulletin title",
        )
        if name == "load":
            sub.add_argument(
                "--by", default=getpass.getuser(), metavar="NAME", help="who is loading it"
            )
            sub.add_argument("--note", default="", help="a note kept with the upload")
            sub.add_argument(
                "--reason",
                default="",
                metavar="TEXT",
                help="one line on why a headline figure moves past its threshold; a file "
                "that crosses one is not loaded without it",
            )
    sub = command("history", _history, "List uploads and rollbacks, newest first.")
    sub.add_argument(
        "workstream", nargs="?", type=workstream_key, choices=workstreams, metavar="WORKSTREAM"
    )
    sub = command("rollback", _rollback, "Undo an upload; the rollback is recorded too.")
    sub.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    sub.add_argument("--by", default=getpass.getuser(), metavar="NAME")
    sub.add_argument("--note", default="")
    sub = command("template", _template, "Write a blank .xlsx template for a workstream.")
    sub.add_argument("workstream", type=workstream_key, choices=workstreams, metavar="WORKSTREAM")
    sub.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    command("metrics", _metrics, "Print the headline figures of every workstream.")
    sub = command("pack", _pack, "Write the board paper for a meeting as .pdf, .docx or .xlsx.")
    sub.add_argument("--date", metavar="YYYY-MM-DD", help="the meeting date (default: today)")
    sub.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="the extension picks the format: .pdf, .docx, or .xlsx for the figures",
    )
    sub.add_argument(
        "--note",
        action="append",
        default=[],
        metavar="SECTION=TEXT",
        help="an officer's note printed under a section (repeatable), e.g. shared_services=...",
    )
    for part, example in CONTACT_PARTS.items():
        sub.add_argument(
            f"--contact-{part}",
            metavar="TEXT",
            help=f"the contact officer's {example} (default: LGADATA_CONTACT_OFFICER's)",
        )
    sub = command("user", _user, "Add, change, list, disable, enable or remove users.")
    sub.add_argument(
        "action",
        choices=["add", "list", *USER_ACTIONS],
        help="add (or update) a user, or list them; "
        + "; ".join(f"{k}: {v}" for k, v in USER_ACTIONS.items()),
    )
    sub.add_argument("email", nargs="?", metavar="EMAIL")
    sub.add_argument("--role", choices=[r.value for r in Role], default=Role.VIEWER.value)
    sub.add_argument("--name", default="")
    sub.add_argument(
        "--workstreams",
        default="",
        metavar="KEYS",
        help="for an officer, the workstreams they keep, comma-separated (default: all)",
    )
    sub.add_argument(
        "--no-password",
        action="store_true",
        help="create without a local password (the user signs in with single sign-on), or "
        "change an existing user's role or workstreams and keep their password",
    )
    add_token_command(command)
    add_meeting_command(command)
    add_mail_command(command)
    command("audit", _audit, "Print the audit log, newest first.")
    return parser


def _engine():
    engine = get_engine()
    ensure_database(engine=engine, seed_samples=get_settings().seed_samples)
    return engine


def _emit(args, data: dict, text: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else text)


def _fail(args, message: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "errors": [{"message": message}]}, indent=2))
    else:
        print(f"Error: {message}", file=sys.stderr)
    return 1


def _refuse(args, message: str) -> int:
    """Report a mistake in the command itself: exit status 2, as argparse does."""
    _fail(args, message)
    return 2


def _init(args) -> int:
    engine = get_engine()
    loaded = ensure_database(engine=engine, seed_samples=get_settings().seed_samples)
    url = engine.url.render_as_string(hide_password=True)
    revision = current_revision(engine)
    lines = [f"Database ready: {url}", f"Schema at revision {revision}."]
    lines += [f"  loaded sample {w} as upload {i}" for w, i in loaded.items()]
    result = {"ok": True, "database": url, "schema_revision": revision, "samples_loaded": loaded}
    _emit(args, result, "\n".join(lines))
    return 0


def _migrate(args) -> int:
    if args.sql:
        sql = upgrade_sql(get_settings().database_url, start=args.start)
        _emit(args, {"ok": True, "sql": sql}, sql)
        return 0
    revision = migrate(get_engine())
    _emit(args, {"ok": True, "schema_revision": revision}, f"Schema at revision {revision}.")
    return 0


def _read_and_check(args) -> tuple[bytes, ParsedUpload]:
    """Read and check a file as the Upload page does, so both refuse the same files alike."""
    data = args.file.read_bytes()
    checked = check_upload(data, args.file.name, workstream=args.workstream, period=args.period)
    return data, outcome(checked, args.workstream)


def _report(parsed: ParsedUpload) -> str:
    lines = []
    for kind, problems in (("error", parsed.errors), ("warning", parsed.warnings)):
        for problem in problems[:MAX_SHOWN]:
            lines.append(f"{kind}: {problem}")
        if len(problems) > MAX_SHOWN:
            lines.append(f"... and {len(problems) - MAX_SHOWN:,} more {kind}s")
    sheets = ", ".join(
        f"{name}: {s['rows']:,} rows ({', '.join(s['periods']) or 'no period'})"
        for name, s in parsed.summary().items()
    )
    count = len(parsed.errors)
    verdict = "OK" if parsed.ok else f"{count:,} error{'s' * (count != 1)}: nothing stored"
    lines.append(f"{parsed.file_name}: {verdict}. {sheets}")
    return "\n".join(lines)


def _check(args) -> int:
    _, parsed = _read_and_check(args)
    _emit(args, parsed.as_dict(), _report(parsed))
    return 0 if parsed.ok else 1


def _load(args) -> int:
    data, parsed = _read_and_check(args)
    if not parsed.ok:
        _emit(args, parsed.as_dict(), _report(parsed))
        return 1
    upload = store_upload(
        engine=_engine(),
        parsed=parsed,
        content=data,
        actor=auth.command_line(args.by),
        note=args.note,
        reason=args.reason,
    )
    result = parsed.as_dict() | {"upload_id": upload.id, "version": upload.version}
    text = (
        _report(parsed)
        + f"\nStored as upload {upload.id}, {args.workstream} version {upload.version}."
    )
    _emit(args, result, text)
    return 0


def _history(args) -> int:
    rows = queries.history(engine=_engine(), workstream=args.workstream)
    lines = [
        f"{r['id']:>5}  {r['uploaded_at']}  {r['workstream']:<16} v{r['version']:<3} "
        f"{r['kind']:<8} {r['rows']:>7,} rows  {r['uploaded_by']}  {r['file_name']}"
        + (f"  (undoes {r['rolls_back']})" if r["rolls_back"] else "")
        for r in rows
    ]
    # The JSON names each workstream by its published key, as `metrics --json` and the API do.
    keys = {w.key: w.published_key for w in WORKSTREAMS.values()}
    published = [r | {"workstream": keys.get(r["workstream"], r["workstream"])} for r in rows]
    _emit(args, {"ok": True, "uploads": published}, "\n".join(lines) or "No uploads yet.")
    return 0


def _rollback(args) -> int:
    event = rollback(
        engine=_engine(), upload_id=args.upload_id, actor=auth.command_line(args.by), note=args.note
    )
    summary = json.loads(event.summary)
    text = (
        f"Rolled back upload {args.upload_id} as upload {event.id} "
        f"({event.workstream} version {event.version}): "
        f"{len(summary['restored'])} periods restored, "
        f"{len(summary['superseded_since'])} left as later uploads set them."
    )
    _emit(args, {"ok": True, "upload_id": event.id, "version": event.version, **summary}, text)
    return 0


def _template(args) -> int:
    args.output.write_bytes(build_template(args.workstream))
    _emit(args, {"ok": True, "file": str(args.output)}, f"Template written to {args.output}")
    return 0


def _read_password(email: str) -> str:
    """Prompt twice for a password on a terminal; otherwise read one line from stdin."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"Password for {email}: ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("The two passwords differ; nothing was changed.")
    return first


def _user(args) -> int:
    if args.action in USER_ACTIONS:
        return user_access(args) if args.email else _refuse(args, "Give the user's e-mail address.")
    engine = _engine()
    if args.action == "list":
        rows = auth.users(engine=engine)
        _emit(args, {"ok": True, "users": rows}, users_table(rows))
        return 0
    if not args.email:
        return _fail(args, "Give the e-mail address of the user to add.")
    workstreams = tuple(workstream_key(w.strip()) for w in args.workstreams.split(",") if w.strip())
    unknown = [w for w in workstreams if w not in WORKSTREAMS]
    if unknown:
        return _fail(args, f"Unknown workstreams: {', '.join(unknown)}.")
    try:
        password = None if args.no_password else _read_password(args.email)
        auth.save_user(
            engine=engine,
            by=auth.command_line(getpass.getuser()),
            email=args.email,
            role=auth.Role(args.role),
            password=password,
            name=args.name,
            workstreams=workstreams,
        )
    except ValueError as error:
        return _fail(args, str(error))
    _emit(
        args,
        {"ok": True, "email": args.email, "role": args.role},
        f"Saved {args.email} as {args.role}.",
    )
    return 0


def _audit(args) -> int:
    rows = audit.events(engine=_engine())
    lines = [
        f"{e['at']}  {e['actor']:<32} {e['action']:<14} {e['outcome']:<8} {e['detail']}"
        for e in rows
    ]
    _emit(args, {"ok": True, "events": rows}, "\n".join(lines) or "No events yet.")
    return 0


def _metrics(args) -> int:
    figures = queries.metrics(engine=_engine())
    _emit(args, queries.published(figures), format_metrics(figures))
    return 0


PACK_FORMATS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx"}
CONTACT_PARTS = {
    "name": "name",
    "position": "position",
    "telephone": "telephone number",
    "email": "e-mail address",
}


def _pack(args) -> int:
    # Imported here: the paper's renderers and chart drawing are heavy, and no other command
    # needs them.
    from lgadata import paper

    try:
        meeting = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        return _refuse(args, f"--date {args.date!r} is not a date written as YYYY-MM-DD.")
    kind = PACK_FORMATS.get(args.output.suffix.lower())
    if kind is None:
        return _refuse(args, f"{args.output.name}: give a file ending .pdf, .docx or .xlsx.")
    notes = {}
    for given in args.note:
        section, sep, text = given.partition("=")
        if not sep or section.strip() not in dict(paper.SECTIONS):
            keys = ", ".join(key for key, _ in paper.SECTIONS)
            return _refuse(
                args, f"--note {given[:40]!r}: write SECTION=TEXT, SECTION one of {keys}."
            )
        notes[section.strip()] = text
    given = paper.contact_from_settings()
    contact = paper.Contact(
        **{
            part: value if (value := getattr(args, f"contact_{part}")) is not None else default
            for part, default in vars(given).items()
        }
    )
    engine = _engine()
    try:
        if kind == "xlsx":
            content = paper.figures_workbook(engine=engine, meeting_date=meeting)
        else:
            built = paper.build_paper(
                engine=engine, meeting_date=meeting, notes=notes, contact=contact
            )
            content = paper.render_pdf(built) if kind == "pdf" else paper.render_docx(built)
    except ValueError as error:
        return _refuse(args, str(error))
    args.output.write_bytes(content)
    result = {"ok": True, "path": str(args.output), "format": kind, "bytes": len(content)}
    text = f"Wrote {args.output} ({kind}, {len(content):,} bytes) for the meeting of {meeting}."
    _emit(args, result, text)
    return 0
