"""My e-mail: a member's own choice of whether they are sent the board pack, as PDF or Word."""

import streamlit as st

from lgadata import mail
from lgadata.auth import NotAllowed, Permission, Role
from ui import common

FORM_KEY = "my-mail"
WANTED, ATTACHMENT, LOADED = (f"my-mail-{name}" for name in ("wanted", "attachment", "loaded"))


def _start_from(chosen: dict) -> None:
    """Give the form what is stored, when it differs from what the form last started from.

    The widgets keep their keys and take no `value=`: a default that changed with the
    stored choice would make a new widget on the run after a save, and the member's next
    change would be lost (every second change of the switch was).
    """
    stored = (chosen["opted_out"], chosen["attachment"])
    if st.session_state.get(LOADED) != stored:
        st.session_state[WANTED] = not chosen["opted_out"]
        st.session_state[ATTACHMENT] = chosen["attachment"]
        st.session_state[LOADED] = stored


def render() -> None:
    """Show the signed-in person's choices and save the ones they change."""
    actor = common.page_setup(
        "My e-mail",
        caption="Whether you are sent the board pack before each meeting, and in which format.",
        permission=Permission.CHOOSE_MAIL,
    )
    chosen = mail.mail_preferences(engine=common.engine(), email=actor.email)
    if chosen is None:
        st.info(
            "Your sign-in has no account in the dashboard's user table, so there is nothing "
            "to choose: ask an administrator to add you on the Users page."
        )
        return
    if actor.role is not Role.VIEWER:
        st.info(
            f"The board pack goes to board members (the viewer role); as {actor.role} you are "
            "not sent it. What you choose here applies if your role changes."
        )
    if actor.role is Role.VIEWER and not chosen["opted_out"]:
        st.text(f"The pack is sent to {chosen['email']}")
    elif actor.role is Role.VIEWER:
        st.text(f"The pack is not sent to {chosen['email']}: you chose not to have it.")
    _start_from(chosen)
    with st.form(FORM_KEY):
        wanted = st.toggle("Send me the board pack before each meeting", key=WANTED)
        attachment = st.radio(
            "Attach the paper as",
            list(mail.ATTACHMENTS),
            format_func=mail.ATTACHMENTS.get,
            horizontal=True,
            key=ATTACHMENT,
        )
        saved = st.form_submit_button("Save")
    if saved:
        try:
            mail.set_mail_preferences(
                engine=common.engine(),
                by=actor,
                email=actor.email,
                opted_out=not wanted,
                attachment=attachment,
            )
        except (ValueError, NotAllowed) as problem:
            st.error(common.unlinked(problem))
        else:
            st.session_state[LOADED] = (not wanted, attachment)  # the form shows it already
            kind = mail.ATTACHMENTS[attachment]
            st.success(
                f"Saved: you are sent the pack as {kind}."
                if wanted
                else "Saved: you are not sent the pack. You can turn it back on here at any time."
            )


render()
