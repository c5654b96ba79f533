"""The sign-in gate that every page passes before it renders anything.

Two ways in: the organisation's single sign-on (Streamlit's OpenID Connect, configured
under [auth] in .streamlit/secrets.toml) and local accounts in the database. Roles are
enforced here for pages and again in lgadata for every write.
"""

import datetime as dt

import streamlit as st

from lgadata import auth
from lgadata.auth import Actor, Permission, Role
from lgadata.settings import get_settings
from ui.text import plain

ACTOR_KEY = "auth_actor"
SEEN_KEY = "auth_last_seen"
SSO_RECORDED_KEY = "auth_sso_recorded"
FORM_KEY = "auth_sign_in"


def single_sign_on_configured() -> bool:
    """Say whether an identity provider is set up in the secrets file."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _single_sign_on_actor(engine) -> Actor | None:
    email = (st.user.get("email") or "").strip().casefold()
    if not email:
        return None
    actor = auth.single_sign_on_actor(
        engine=engine, email=email, claims=dict(st.user), mapping=get_settings().role_claims
    )
    if not st.session_state.get(SSO_RECORDED_KEY):
        auth.record_sign_in(
            engine=engine,
            email=email,
            via="single sign-on",
            outcome="ok" if actor else "no role",
            token_issued=st.user.get("iat"),
        )
        st.session_state[SSO_RECORDED_KEY] = True
    return actor


def signed_in(engine) -> Actor | None:
    """Return who is signed in to this session, or None; idle sessions expire."""
    if st.user.get("is_logged_in", False):
        return _single_sign_on_actor(engine)
    actor = st.session_state.get(ACTOR_KEY)
    seen = st.session_state.get(SEEN_KEY)
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes)
    if actor and seen and _now() - seen > idle:
        sign_out()
        st.info("You were signed out after a period without activity. Please sign in again.")
        return None
    return actor


def sign_out() -> None:
    """End this session's sign-in."""
    for key in (ACTOR_KEY, SEEN_KEY, SSO_RECORDED_KEY):
        st.session_state.pop(key, None)
    if st.user.get("is_logged_in", False):
        st.logout()


def signed_in_or_public(engine) -> Actor | None:
    """Return who is signed in, or the public viewer where the board is public, or None."""
    actor = signed_in(engine)
    if actor is None and get_settings().public_view:
        return Actor("public", Role.VIEWER, via="public view")
    return actor


def sign_in_page(engine) -> st.Page:
    """Return the sign-in screen as a page, for the router to show when nobody is in."""
    return st.Page(lambda: _sign_in_screen(engine), title="Sign in", url_path="sign-in")


def gate(engine, permission: Permission = Permission.VIEW) -> Actor:
    """Return the signed-in actor if they may use this page; otherwise show why and stop."""
    actor = signed_in_or_public(engine)
    if actor is not None and actor.via == "public view" and permission is not Permission.VIEW:
        actor = None
    if actor is None:
        _sign_in_screen(engine)
        st.stop()
        raise auth.NotAllowed("Nobody is signed in.")  # st.stop() only stops a script run
    if not actor.can(permission):
        who = plain(f"{actor.email} ({actor.role})")
        st.error(f"Signed in as {who}: this page needs permission to {permission}.")
        st.stop()
        raise auth.NotAllowed(f"{actor.email} may not {permission}.")
    st.session_state[SEEN_KEY] = _now()
    return actor


def _sign_in_screen(engine) -> None:
    st.title("Productivity Programme dashboard")
    if st.user.get("is_logged_in", False):
        who = plain(st.user.get("email") or "your account")
        st.warning(
            f"Your organisation signed you in as {who}, but that address has no role on the "
            "dashboard. Ask an administrator to add you.",
            icon=":material/lock:",
        )
        st.button("Sign out", on_click=sign_out, key="auth_no_role_sign_out")
        return
    sso = single_sign_on_configured()
    if not sso and auth.user_count(engine=engine) == 0:
        st.warning(
            "No one can sign in yet. Create the first administrator on the server with "
            "`python -m lgadata user add EMAIL --role admin`, then sign in here.",
            icon=":material/admin_panel_settings:",
        )
        return
    if sso:
        st.button("Sign in with your organisation", on_click=st.login, type="primary")
    with st.form(FORM_KEY):
        st.subheader("Sign in with a dashboard account")
        email = st.text_input("E-mail address", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        try:
            actor = auth.authenticate(engine=engine, email=email, password=password)
        except auth.SignInRefused as refusal:
            st.error(str(refusal))
            return
        st.session_state[ACTOR_KEY] = actor
        st.session_state[SEEN_KEY] = _now()
        st.rerun()


def sidebar(actor: Actor) -> None:
    """Show who is signed in, with a sign-out button."""
    with st.sidebar:
        st.text(f"Signed in as {actor.email} ({actor.role})")
        if actor.via != "public view":
            st.button("Sign out", on_click=sign_out, key="auth_sign_out")
