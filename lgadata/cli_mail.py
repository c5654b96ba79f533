"""The command line for e-mail: `mail test ADDRESS`, `mail send-due`, `mail outbox`, and a
board member's `mail opt-out|opt-in|word|pdf EMAIL`.

A part of lgadata.cli, whose helpers it uses.
"""

import getpass

from lgadata import auth, cli, outbox
from lgadata.mail import ATTACHMENTS, MailError, Relay, send_test, set_mail_preferences
from lgadata.settings import get_settings

ACTIONS = {
    "test": "send one message to ADDRESS to check the settings",
    "send-due": "send the board pack and reminders that are due, and retry failed sends",
    "outbox": "list who was sent what and when, and what is failing",
    "opt-out": "stop sending EMAIL the board pack",
    "opt-in": "send EMAIL the board pack again",
    "word": "send EMAIL the board pack as Word (.docx)",
    "pdf": "send EMAIL the board pack as PDF (the default)",
}


def add_mail_command(command) -> None:
    """Add `mail test|send-due|outbox|opt-out|opt-in|word|pdf` to the parser."""
    sub = command("mail", mail, "Send the board pack and reminders by e-mail; check the settings.")
    sub.add_argument(
        "action", choices=list(ACTIONS), help="; ".join(f"{k}: {v}" for k, v in ACTIONS.items())
    )
    sub.add_argument("address", nargs="?", metavar="ADDRESS|EMAIL")


def mail(args) -> int:
    """Carry out one of ACTIONS."""
    engine = cli._engine()
    by = auth.command_line(getpass.getuser())
    if args.action == "outbox":
        rows = outbox.sent(engine=engine)
        lines = [
            f"{r['id']:>5} {r['status']:<9} {r['kind']:<10} {r['to']:<36} "
            f"{r['sent_at'] or r['created_at']:%Y-%m-%d %H:%M} {r['subject'] or r['error']}"
            for r in rows
        ]
        cli._emit(args, {"ok": True, "outbox": rows}, "\n".join(lines) or "Nothing sent yet.")
        return 0
    if args.action != "send-due" and not args.address:
        return cli._refuse(args, f"mail {args.action} needs an e-mail address.")
    try:
        if args.action in ("opt-out", "opt-in"):
            out = args.action == "opt-out"
            set_mail_preferences(engine=engine, by=by, email=args.address, opted_out=out)
            done = f"{args.address} {'will not be' if out else 'will be'} sent the board pack."
            cli._emit(args, {"ok": True, "email": args.address, "opted_out": out}, done)
            return 0
        if args.action in ("word", "pdf"):
            attachment = "docx" if args.action == "word" else "pdf"
            set_mail_preferences(engine=engine, by=by, email=args.address, attachment=attachment)
            done = f"{args.address} will be sent the board pack as {ATTACHMENTS[attachment]}."
            cli._emit(args, {"ok": True, "email": args.address, "attachment": attachment}, done)
            return 0
        settings = get_settings()
        relay = Relay.from_settings(settings)
        if args.action == "test":
            send_test(engine=engine, relay=relay, to=args.address, by=by)
            cli._emit(
                args, {"ok": True, "to": args.address}, f"Sent a test message to {args.address}."
            )
            return 0
        done = outbox.send_due(
            engine=engine,
            relay=relay,
            pack_days=settings.mail_pack_days,
            reminder_days=settings.mail_reminder_days,
        )
    except (MailError, ValueError) as error:
        return cli._fail(args, str(error))
    text = f"Sent {len(done.sent)}, failed {len(done.failed)} (to be retried), " + (
        f"cancelled {len(done.cancelled)}."
    )
    cli._emit(args, {"ok": not done.failed, **done.as_dict()}, text)
    return 1 if done.failed else 0
