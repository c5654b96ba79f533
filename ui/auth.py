"""The sign-in gate that every page passes before it renders anything.

Who someone is comes from the database on every script run: from the session cookie that
the dashboard's own sign-in form set (lgadata.web.signin), or from the organisation's
single sign-on (Streamlit's OpenID Connect, configured under [auth] in secrets.toml) with
a session row of its own. Nothing about identity is kept in st.session_state, so a
WebSocket that resumes someone's Streamlit session without their cookie is nobody.
"""

from urllib.parse import urlsplit

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lgadata import auth, sessions
from lgadata.auth import Actor, Permission, Role
from lgadata.settings import get_settings
from lgadata.web import signin
from ui.text import plain

ENDED_KEY = "auth_ended_reason"  # why the last run found no one: for the message only


def single_sign_on_configured() -> bool:
    """Say whether an identity provider is set up in the secrets file."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _single_sign_on_logged_in() -> bool:
    return bool(st.user.get("is_logged_in", False))


def _client() -> str:
    address = st.context.ip_address
    return address[:64] if isinstance(address, str) else ""


def _single_sign_on_actor(engine) -> Actor | None:
    email = (st.user.get("email") or "").strip().casefold()
    if not email:
        return None
    key = f"single sign-on|{email}|{st.user.get('sub')}|{st.user.get('iat')}"
    lookup = sessions.single_sign_on(engine=engine, email=email, token_key=key, client=_client())
    if lookup.actor is not None or lookup.reason != "unknown":
        _remember_reason(lookup.reason)
        return lookup.actor
    # Not in the user table: the provider's groups or roles claims decide.
    actor = auth.single_sign_on_actor(
        engine=engine, email=email, claims=dict(st.user), mapping=get_settings().role_claims
    )
    auth.record_sign_in(
        engine=engine,
        email=email,
        via="single sign-on",
        outcome="ok" if actor else "no role",
        token_issued=st.user.get("iat"),
    )
    return actor


def _remember_reason(reason: str) -> None:
    if reason and reason != "unknown":
        st.session_state[ENDED_KEY] = reason


def signed_in(engine) -> Actor | None:
    """Return who is signed in to this browser now, read from the database, or None."""
    if _single_sign_on_logged_in():
        return _single_sign_on_actor(engine)
    lookup = sessions.resolve(engine=engine, token=st.context.cookies.get(sessions.COOKIE))
    _remember_reason(lookup.reason)
    return lookup.actor


def sign_out() -> None:
    """End this browser's sign-in, in the database, for every tab that shares it."""
    from ui.common import engine

    token = st.context.cookies.get(sessions.COOKIE)
    if token:
        sessions.end(engine=engine(), token=token)
    if _single_sign_on_logged_in():
        st.logout()


def signed_in_or_public(engine) -> Actor | None:
    """Return who is signed in, or the public viewer where the board is public, or None."""
    actor = signed_in(engine)
    if actor is None and get_settings().public_view:
        return Actor("public", Role.VIEWER, via="public view")
    return actor


def signed_out_page(*, url_path: str, title: str, default: bool = False) -> st.Page:
    """Return a page at a real page's address that shows only the way to sign in."""
    return st.Page(
        signed_out_screen,
        title=title,
        url_path=url_path,
        default=default,
        visibility="hidden",
    )


def not_allowed_page(actor: Actor, route) -> st.Page:
    """Return a hidden page at a page's address saying plainly that this role may not use it."""

    def screen() -> None:
        st.title(route.title)
        st.warning(
            f"As {actor.role}, you may not use the {route.title} page: it needs permission to "
            f"{route.permission}. Ask an administrator if you need it.",
            icon=":material/lock:",
        )

    return st.Page(screen, title=route.title, url_path=route.url_path, visibility="hidden")


def gate(engine, permission: Permission = Permission.VIEW) -> Actor:
    """Return the signed-in actor if they may use this page; otherwise show why and stop."""
    actor = signed_in_or_public(engine)
    if actor is not None and actor.via == "public view" and permission is not Permission.VIEW:
        actor = None
    if actor is None:
        signed_out_screen()
        st.stop()
        raise auth.NotAllowed("Nobody is signed in.")  # st.stop() only stops a script run
    if not actor.can(permission):
        # The role, not the address: markdown would make an address a mailto link (and one
        # like [x](http://…)@… a link elsewhere), however escaped. The menu says who it is.
        st.error(
            f"As {actor.role}, you may not use this page: it needs permission to {permission}."
        )
        st.stop()
        raise auth.NotAllowed(f"{actor.email} may not {permission}.")
    st.session_state.pop(ENDED_KEY, None)
    return actor


def current_page() -> str:
    """Return the page part of the address this run was asked for ('' for the home page)."""
    return urlsplit(st.context.url or "/").path.strip("/").rsplit("/", 1)[-1]


def _here() -> str:
    url = urlsplit(st.context.url or "/")
    return url.path + (f"?{url.query}" if url.query else "")


def _send_browser_to(url: str) -> None:
    """Make the browser load url, as st.login does to reach the identity provider."""
    # Streamlit has no public redirect; st.login and st.logout send this message, which
    # the front end answers with window.location.href = url.
    context = get_script_run_ctx()
    if context is not None:
        message = ForwardMsg()
        message.auth_redirect.url = url
        context.enqueue(message)


def signed_out_screen() -> None:
    """Show why nobody is signed in here and the ways to sign in."""
    st.title("Productivity Programme dashboard")
    if _single_sign_on_logged_in():
        who = plain(st.user.get("email") or "your account")
        st.warning(
            f"Your organisation signed you in as {who}, but that address has no role on the "
            "dashboard, or its sign-in has ended. Ask an administrator to add you.",
            icon=":material/lock:",
        )
        st.button("Sign out", on_click=sign_out, key="auth_no_role_sign_out")
        return
    reason = st.session_state.get(ENDED_KEY)
    if reason in signin.ENDED:
        st.info(signin.ended_notice(reason), icon=":material/logout:")
    sso = single_sign_on_configured()
    if sso and st.query_params.get(signin.ORGANISATION_PARAMETER) == "organisation":
        st.login()
    if sso:
        st.button("Sign in with your organisation", on_click=st.login, type="primary")
    else:
        # The form is the dashboard's own page: go there, and come back here after.
        _send_browser_to(signin.sign_in_url(_here(), ended=reason or ""))
    st.link_button("Sign in with a dashboard account", signin.sign_in_url(_here()))


def sidebar(actor: Actor) -> None:
    """Show who is signed in, with a sign-out button."""
    with st.sidebar:
        st.text(f"Signed in as {actor.email} ({actor.role})")
        if actor.via != "public view":
            st.button("Sign out", on_click=sign_out, key="auth_sign_out")
