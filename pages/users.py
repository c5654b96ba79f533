"""Users: administrators add people, set their roles and passwords, take access away."""

import streamlit as st

from lgadata import auth
from lgadata.auth import Permission, Role
from lgadata.workstreams import WORKSTREAMS
from ui import access, common

FORM_KEY = "users_form"


def edit_form(actor) -> None:
    """The form to add a user or change one's role, workstreams or password."""
    with st.form(FORM_KEY, clear_on_submit=True):
        st.subheader("Add a user or change one")
        email = st.text_input("E-mail address")
        role = st.selectbox("Role", [r.value for r in Role])
        workstreams = st.multiselect(
            "Workstreams an officer keeps (none chosen: all)",
            list(WORKSTREAMS),
            format_func=lambda key: WORKSTREAMS[key].title,
        )
        password = st.text_input(
            "New password (leave blank to keep it, or for single sign-on only). A new "
            "password signs the user out everywhere.",
            type="password",
        )
        submitted = st.form_submit_button("Save")
    if submitted:
        try:
            auth.save_user(
                engine=common.engine(),
                by=actor,
                email=email,
                role=Role(role),
                password=password or None,
                workstreams=tuple(workstreams),
            )
        except (ValueError, auth.NotAllowed) as problem:
            st.error(common.unlinked(problem))
        else:
            st.success(common.unlinked(f"Saved {email} as {role}."))


def render() -> None:
    """List the users after whatever this run changed, then the forms that change them."""
    actor = common.page_setup(
        "Users",
        caption="Who may sign in, and what their role lets them do.",
        permission=Permission.MANAGE_USERS,
    )
    table = st.container()
    edit_form(actor)
    emails = [u["email"] for u in auth.users(engine=common.engine())]
    access.access_panel(actor, emails)
    access.tokens_panel(actor, emails)
    # Filled last, so that it shows what the forms above just saved.
    table.dataframe(auth.users(engine=common.engine()), hide_index=True, width="stretch")


render()
