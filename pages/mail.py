"""Mail: an administrator previews the next meeting's board pack as it will be sent, sends it
now, and sees who was sent what and when. Addresses are shown as plain text, never links."""

import datetime as dt

import streamlit as st

from lgadata import meetings, outbox, pack_mail
from lgadata.audit import format_moment
from lgadata.auth import NotAllowed, Permission
from lgadata.mail import MailError, Relay
from lgadata.models import as_utc
from lgadata.settings import get_settings
from ui import common, live

SEND_KEY = "mail-send-now"
ANSWERS_SHOWN = 3  # different relay answers shown in full above the outbox


def moment(value, zone) -> str:
    """Return a stored moment in the reader's time zone, or '' for none."""
    return format_moment(as_utc(value), zone) if value else ""


def send_now(actor, relay: Relay) -> None:
    """Send the pack to every member it has not gone to, and say what happened."""
    try:
        with st.spinner("Building the paper and sending…"):
            done = outbox.send_pack_now(engine=common.engine(), relay=relay, by=actor)
    except (ValueError, NotAllowed) as problem:
        st.error(common.unlinked(problem), icon=":material/block:")
        return
    if done.failed:
        st.error(
            f"{len(done.failed)} could not be sent: the relay's answer is in the outbox below. "
            "Each is tried again on its own after a wait, or at once with Send now.",
            icon=":material/error:",
        )
    if done.sent:
        st.success(pack_mail.members_sent(len(done.sent)), icon=":material/send:")
    if done.cancelled:
        st.info(f"{len(done.cancelled)} no longer wanted it, and were not sent it.")
    if not (done.sent or done.failed or done.cancelled):
        st.info("Every member on the list has been sent it already: nobody was sent it twice.")


def show_preview(shown: pack_mail.Preview, zone) -> None:
    """Show the message as sent, then who gets it, with which file, and who opted out."""
    st.subheader("The message")
    st.text(f"For the meeting of {shown.meeting.label}")
    st.text(pack_mail.when_sent(shown, zone))
    st.code(
        f"From: {shown.sender}\nSubject: {shown.subject}\n\n{shown.text}",
        language=None,
        wrap_lines=True,
    )
    st.subheader("Recipients")
    if not shown.recipients:
        st.info("No board member (viewer role) is opted in, so nobody would be sent it.")
    else:
        st.dataframe(
            [
                {
                    "To": r["to"],
                    "Attached": r["attachment"],
                    "As": r["as"],
                    "Status": r["status"],
                    f"Sent ({zone.key})": moment(r["sent_at"], zone),
                }
                for r in shown.recipients
            ],
            hide_index=True,
            width="stretch",
        )
    if shown.opted_out:
        st.caption("Opted out (not sent it)")
        st.dataframe({"Opted out": shown.opted_out}, hide_index=True, width="stretch")


def show_outbox(zone) -> None:
    """Show every message recorded, newest first, with failures' answers and next try."""
    st.subheader("Outbox")
    rows = outbox.sent(engine=common.engine())
    if not rows:
        st.info("Nothing has been sent yet.")
        return
    failing = [r for r in rows if r["status"] in (outbox.FAILED, outbox.GAVE_UP)]
    if failing:
        st.warning(
            f"{len(failing)} {'message' if len(failing) == 1 else 'messages'} failed: the "
            "relay's answer and the next try are below.",
            icon=":material/warning:",
        )
        # The table narrows a long answer to its column: each different one in full here.
        for answer in sorted({r["error"] for r in failing})[:ANSWERS_SHOWN]:
            st.text(f"The relay's answer: {answer}")
    next_try = f"Next try ({zone.key})"
    st.dataframe(
        [
            # What an administrator acts on first, so that it shows without scrolling
            # sideways at 1280x720; the record of what went after it.
            {
                "Status": r["status"],
                "To": r["to"],
                "Kind": r["kind"],
                "Relay's answer": r["error"],
                next_try: moment(r["next_attempt_at"], zone),
                f"Sent ({zone.key})": moment(r["sent_at"], zone),
                "Attempts": r["attempts"],
                "Subject": r["subject"],
                "Attached": r["attachment"],
                f"Recorded ({zone.key})": moment(r["created_at"], zone),
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "Status": st.column_config.TextColumn(width=70),
            "To": st.column_config.TextColumn(width=195),
            "Kind": st.column_config.TextColumn(width=95),
            "Relay's answer": st.column_config.TextColumn(width=185),
            next_try: st.column_config.TextColumn(width=195),
        },
    )


def render() -> None:
    """Send now if asked, then the preview (as it stands after any send) and the outbox."""
    actor = common.page_setup(
        "Mail",
        caption="The board pack as it will be sent before the next meeting, and what was sent.",
        permission=Permission.SEND_MAIL,
    )
    zone = live.zone()
    settings = get_settings()
    try:
        relay = Relay.from_settings(settings)
    except MailError as problem:
        st.warning(
            common.unlinked(f"{problem} See the README's E-mail section."),
            icon=":material/mail_lock:",
        )
        show_outbox(zone)
        return
    if st.button("Send now", key=SEND_KEY, type="primary", icon=":material/send:"):
        send_now(actor, relay)
    try:
        shown = pack_mail.preview(
            engine=common.engine(),
            by=actor,
            relay=relay,
            today=dt.datetime.now(meetings.UK_TIME).date(),
            pack_days=settings.mail_pack_days,
        )
    except NotAllowed as problem:
        st.error(common.unlinked(problem), icon=":material/block:")
        return
    if shown is None:
        st.info("No meeting is registered from today on: register the next one to preview it.")
    else:
        show_preview(shown, zone)
    show_outbox(zone)


render()
