"""E-mail: messages built with the standard library and sent through the SMTP relay.

What is sent when, and the outbox that makes each message go once, is lgadata.outbox.
Each message is claimed there under a unique key (the meeting, kind and recipient; for a
reminder the workstream, due date, week and recipient) in a committed transaction before
it is sent, so two processes, two runs or a restart never send it twice. A send that fails
is kept with its error and tried again with back-off; a send cut off half-way (the process
killed between claim and answer) is left as it is rather than risk a second copy.
"""

import html
import mimetypes
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa

from lgadata import audit
from lgadata.auth import Actor, Permission, clean_email, require_current
from lgadata.db import write_transaction
from lgadata.models import User
from lgadata.settings import Settings


class MailError(Exception):
    """Mail could not be sent or is not set up; the message says why in plain words."""


@dataclass(frozen=True)
class Relay:
    """Where and how to send: the SMTP settings, with the password read."""

    host: str
    port: int
    security: str
    user: str
    password: str
    timeout_s: float
    sender: str
    dashboard_url: str = ""

    def __repr__(self) -> str:  # the password never reaches a log line
        return f"Relay({self.host}:{self.port}, {self.security}, user={self.user!r})"

    @classmethod
    def from_settings(cls, settings: Settings) -> "Relay":
        """Return the relay the settings describe, or raise MailError saying what is missing."""
        if not settings.smtp_host or not settings.mail_from:
            raise MailError("Set LGADATA_SMTP_HOST and LGADATA_MAIL_FROM to send mail.")
        password = settings.smtp_password.get_secret_value()
        if settings.smtp_password_file:
            try:
                password = settings.smtp_password_file.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise MailError(
                    f"{settings.smtp_password_file}: {error.strerror or error}"
                ) from None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            security=settings.smtp_security,
            user=settings.smtp_user,
            password=password,
            timeout_s=settings.smtp_timeout_s,
            sender=settings.mail_from,
            dashboard_url=settings.mail_dashboard_url,
        )


def build_message(
    *,
    relay: Relay,
    to: str,
    subject: str,
    paragraphs: list[str],
    items: list[str] = (),
    attachments: list[tuple[str, bytes]] = (),
) -> EmailMessage:
    """Return a message with plain-text and HTML bodies (every text escaped) and files."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = relay.sender, to, subject
    message["Date"] = formatdate(usegmt=True)  # RFC 5322 asks for it; relays may not add it
    message["Message-ID"] = make_msgid(domain=relay.sender.rpartition("@")[2] or None)
    foot = [f"The dashboard: {relay.dashboard_url}"] if relay.dashboard_url else []
    text = [*paragraphs[:1], *(f"- {item}" for item in items), *paragraphs[1:], *foot]
    message.set_content("\n\n".join(text) + "\n")
    esc = html.escape
    parts = [f"<p>{esc(p)}</p>" for p in paragraphs[:1]]
    if items:
        parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    parts += [f"<p>{esc(p)}</p>" for p in paragraphs[1:]]
    # The link is the administrator's setting, never text from an upload or a user.
    if relay.dashboard_url.startswith(("https://", "http://")):
        url = esc(relay.dashboard_url, quote=True)
        parts.append(f'<p>The dashboard: <a href="{url}">{url}</a></p>')
    message.add_alternative(f"<html><body>{''.join(parts)}</body></html>", subtype="html")
    for name, content in attachments:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def deliver(relay: Relay, message: EmailMessage) -> None:
    """Send one message through the relay, or raise MailError with the reason."""
    where = f"{relay.host}:{relay.port}"
    try:
        if relay.security == "tls":
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(
                relay.host, relay.port, timeout=relay.timeout_s, context=context
            )
        else:
            smtp = smtplib.SMTP(relay.host, relay.port, timeout=relay.timeout_s)
        with smtp:
            if relay.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if relay.user:
                smtp.login(relay.user, relay.password)
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = "; ".join(
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        )
        raise MailError(f"The relay {where} refused the recipient: {codes}") from None
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(
            f"The relay {where} refused the sign-in as {relay.user!r}: {error.smtp_code} "
            f"{_reply(error)} (check LGADATA_SMTP_USER and the password)."
        ) from None
    except smtplib.SMTPResponseException as error:
        raise MailError(
            f"The relay {where} refused the message: {error.smtp_code} {_reply(error)}"
        ) from None
    except TimeoutError:
        raise MailError(
            f"The relay {where} did not answer within {relay.timeout_s:g} seconds."
        ) from None
    except (smtplib.SMTPException, OSError) as error:
        # smtplib reports a reply that never came as a disconnection caused by the timeout.
        if isinstance(error.__context__, TimeoutError):
            raise MailError(
                f"The relay {where} did not answer within {relay.timeout_s:g} seconds."
            ) from None
        raise MailError(f"Could not send through {where}: {error}") from None


def _reply(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error
    return text.decode(errors="replace") if isinstance(text, bytes) else text


def send_test(*, engine: sa.Engine, relay: Relay, to: str, by: Actor) -> None:
    """Send one message to check the settings; the send or its failure goes to the audit log."""
    to = clean_email(to)  # one address, or a plain ValueError
    message = build_message(
        relay=relay,
        to=to,
        subject="Test message from the Productivity Programme dashboard",
        paragraphs=[f"The dashboard's mail settings work: this came through {relay.host}."],
    )
    try:
        deliver(relay, message)
    except MailError as error:
        _audit(engine, by.email, "mail test", to=to, error=str(error), outcome="failed")
        raise
    _audit(engine, by.email, "mail test", to=to)


def _audit(engine, actor: str, action: str, *, outcome: str = "ok", **detail) -> None:
    with write_transaction(engine) as conn:
        audit.record(conn, actor=actor, action=action, outcome=outcome, **detail)


ATTACHMENTS = {"pdf": "PDF", "docx": "Word"}  # how a board member may have the pack


def mail_preferences(*, engine: sa.Engine, email: str) -> dict | None:
    """Return whether a user is sent the pack and as what, or None if there is no such user."""
    with engine.connect() as conn:
        user = conn.execute(sa.select(User).where(User.email == email.strip().casefold())).first()
    if user is None:
        return None
    return {"email": user.email, "opted_out": user.mail_opt_out, "attachment": user.mail_attachment}


def set_mail_preferences(
    *,
    engine: sa.Engine,
    by: Actor,
    email: str,
    opted_out: bool | None = None,
    attachment: str | None = None,
) -> None:
    """Stop or restart the board pack for a user, or choose PDF or Word; the user themselves
    (as the user table has them now) or an administrator. Audited."""
    email = email.strip().casefold()
    own = by.email.strip().casefold() == email
    permission = Permission.CHOOSE_MAIL if own else Permission.MANAGE_USERS
    by = require_current(engine=engine, actor=by, permission=permission)
    if attachment is not None and attachment not in ATTACHMENTS:
        raise ValueError(f"The pack is sent as {' or '.join(ATTACHMENTS)}, not {attachment!r}.")
    values = {"mail_opt_out": opted_out, "mail_attachment": attachment}
    values = {k: v for k, v in values.items() if v is not None}
    if not values:
        return
    with write_transaction(engine) as conn:
        changed = conn.execute(sa.update(User).where(User.email == email).values(**values))
        if not changed.rowcount:
            raise ValueError(f"There is no user {email!r}.")
        detail = {"opted_out": opted_out, "attachment": attachment}
        detail = {k: v for k, v in detail.items() if v is not None}
        audit.record(conn, actor=by.email, action="mail preferences", user=email, **detail)


def set_mail_opt_out(*, engine: sa.Engine, by: Actor, email: str, opted_out: bool) -> None:
    """Stop (or restart) the board pack for a user; the user themselves or an administrator."""
    set_mail_preferences(engine=engine, by=by, email=email, opted_out=opted_out)
