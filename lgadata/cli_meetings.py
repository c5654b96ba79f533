"""The command line for the board's meetings: `meeting add|list|remove`.

A part of lgadata.cli, whose helpers it uses.
"""

import datetime as dt
import getpass

from lgadata import auth, cli, meetings
from lgadata.values import format_date


def add_meeting_command(command) -> None:
    """Add `meeting add|list|remove` to the parser."""
    sub = command("meeting", meeting, "Register, list or remove the board's meetings.")
    sub.add_argument("action", choices=["add", "list", "remove"])
    sub.add_argument(
        "subject", nargs="?", metavar="DATE|ID", help="add: the date, YYYY-MM-DD; remove: its ID"
    )
    sub.add_argument("--title", default="Improvement and Innovation Board")
    sub.add_argument("--agenda-item", default="", help="this report's item on the agenda")
    sub.add_argument("--by", default=getpass.getuser(), metavar="NAME", help="who is doing it")


def _listed(engine) -> tuple[list[dict], str]:
    rows = meetings.meetings(engine=engine)
    data = [
        {
            "id": m.id,
            "date": m.meets_on.isoformat(),
            "title": m.title,
            "agenda_item": m.agenda_item,
            "version": m.version,
            "changed_by": m.changed_by,
        }
        for m in rows
    ]
    lines = [
        f"{m.id:>4}  {format_date(m.meets_on):<18} {m.title}"
        + (f" (item {m.agenda_item})" if m.agenda_item else "")
        for m in rows
    ]
    return data, "\n".join(lines) or "No meetings registered."


def meeting(args) -> int:
    """Register a meeting, list them, or remove one."""
    engine = cli._engine()
    if args.action == "list":
        data, text = _listed(engine)
        cli._emit(args, {"ok": True, "meetings": data}, text)
        return 0
    by = auth.command_line(args.by)
    if not args.subject:
        wanted = "the meeting's date (YYYY-MM-DD)" if args.action == "add" else "its ID"
        return cli._refuse(args, f"meeting {args.action} needs {wanted}.")
    try:
        if args.action == "add":
            try:
                day = dt.date.fromisoformat(args.subject)
            except ValueError:
                return cli._refuse(args, f"{args.subject!r} is not a date written as YYYY-MM-DD.")
            made = meetings.add_meeting(
                engine=engine, by=by, meets_on=day, title=args.title, agenda_item=args.agenda_item
            )
            cli._emit(
                args, {"ok": True, "id": made.id}, f"Registered meeting {made.id}: {made.label}."
            )
            return 0
        if not args.subject.isdigit():
            return cli._refuse(
                args, "meeting remove needs the meeting's number (see meeting list)."
            )
        meetings.remove_meeting(engine=engine, by=by, meeting_id=int(args.subject))
    except ValueError as error:
        return cli._fail(args, str(error))
    cli._emit(
        args, {"ok": True, "removed": int(args.subject)}, f"Meeting {args.subject} is removed."
    )
    return 0
