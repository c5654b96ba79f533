"""The Users page's panels for taking access away and giving it back, and for API tokens.

Every action calls a write function in lgadata that checks the actor's role itself, and the
page shows the table only after the action, so it shows what was just saved.
"""

import streamlit as st

from lgadata import auth, tokens
from lgadata.auth import Actor
from ui import common

ACTIONS = {
    "Disable (ends their sessions now)": "disable",
    "Enable again": "enable",
    "Lift sign-in locks": "unlock",
    "Sign out of every browser": "end-sessions",
    "Remove (the audit log keeps their name)": "remove",
}
TOKEN_KEY = "users_new_token"  # the token just issued, shown once


def _carry_out(actor: Actor, email: str, action: str) -> str:
    engine = common.engine()
    if action in ("disable", "enable"):
        disabled = action == "disable"
        auth.set_disabled(engine=engine, by=actor, email=email, disabled=disabled)
        return f"{email} is {'disabled' if disabled else 'enabled'}."
    if action == "unlock":
        auth.unlock(engine=engine, by=actor, email=email)
        return f"{email} may sign in again from anywhere."
    if action == "end-sessions":
        ended = auth.end_sessions(engine=engine, by=actor, email=email)
        return f"Ended {ended} session{'s' * (ended != 1)} of {email}."
    auth.remove_user(engine=engine, by=actor, email=email)
    return f"{email} is removed."


def access_panel(actor: Actor, emails: list[str]) -> None:
    """A form to disable, enable, unlock, sign out or remove one user."""
    with st.form("users_access", clear_on_submit=True):
        st.subheader("Take access away or give it back")
        email = st.selectbox("User", emails, index=None, placeholder="Choose a user")
        label = st.radio("What to do", list(ACTIONS))
        sure = st.checkbox("Yes, do this now")
        submitted = st.form_submit_button("Apply")
    if not submitted:
        return
    if not email or not sure:
        st.error("Choose a user and tick “Yes, do this now” first.")
        return
    try:
        done = _carry_out(actor, email, ACTIONS[label])
    except (ValueError, auth.NotAllowed) as problem:
        st.error(common.unlinked(problem))
    else:
        st.success(common.unlinked(done))


def tokens_panel(actor: Actor, emails: list[str]) -> None:
    """Personal access tokens for the read-only API: issue one (shown once), revoke one."""
    st.subheader("API tokens")
    st.caption(
        "A token reads the board's figures from /api/v1/metrics; it is shown once when issued "
        "and stored only as a hash."
    )
    with st.form("users_token", clear_on_submit=True):
        email = st.selectbox("For", emails, index=None, placeholder="Choose a user")
        label = st.text_input("What it is for", max_chars=100)
        issued = st.form_submit_button("Issue a token")
    if issued and email:
        try:
            st.session_state[TOKEN_KEY] = tokens.issue(
                engine=common.engine(), by=actor, email=email, label=label
            )
        except (ValueError, auth.NotAllowed) as problem:
            st.error(common.unlinked(problem))
    if st.session_state.get(TOKEN_KEY):
        st.warning("Copy this token now: it will not be shown again.", icon=":material/key:")
        st.code(st.session_state.pop(TOKEN_KEY), language=None)
    rows = tokens.listed(engine=common.engine())
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    live = [r["id"] for r in rows if r["revoked"] is None]
    with st.form("users_revoke", clear_on_submit=True):
        chosen = st.selectbox("Token to revoke", live, index=None, placeholder="Choose a token")
        revoke = st.form_submit_button("Revoke")
    if revoke and chosen is not None:
        try:
            tokens.revoke(engine=common.engine(), by=actor, token_id=chosen)
        except (ValueError, auth.NotAllowed) as problem:
            st.error(common.unlinked(problem))
        else:
            st.success(f"Token {chosen} is revoked.")
            st.rerun()
