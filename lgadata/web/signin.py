"""Sign-in and sign-out as the dashboard's own routes: a plain form that sets an HttpOnly cookie.

Streamlit cannot set a cookie from a script, so the password is posted here instead. The
form carries a CSRF token that must equal a SameSite=Strict cookie set with the form, and
the address to go back to after signing in, which must be a path on this site.
"""

import html
import ipaddress
import logging
import secrets
import string
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from lgadata import auth, sessions
from lgadata.db import get_engine
from lgadata.settings import get_settings

log = logging.getLogger(__name__)

SIGN_IN_PATH = "/account/sign-in"
SIGN_OUT_PATH = "/account/sign-out"
CSRF_COOKIE = "lgadata_csrf"
ORGANISATION_PARAMETER = "sign_in"  # /?sign_in=organisation starts single sign-on
OUTAGE = "The database cannot be reached just now. Your changes are safe; try again in a moment."
_MAX_FORM_BYTES = 8_192
# Set by serve.py, which can read Streamlit's secrets: whether [auth] is configured.
_OPTIONS = {"single_sign_on": False}


def configure(*, single_sign_on: bool) -> None:
    """Say whether the organisation's single sign-on is configured, for the form to offer it."""
    _OPTIONS["single_sign_on"] = single_sign_on


_PAGE = string.Template("""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Productivity Programme dashboard</title>
<style>
body { font-family: system-ui, sans-serif; font-size: 1.125rem; color: #0b0c0c;
       background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 32rem; margin: 3rem auto; padding: 0 1rem; }
h1 { font-size: 2rem; line-height: 1.2; }
label { display: block; font-weight: 600; margin-top: 1rem; }
input { display: block; width: 100%; box-sizing: border-box; font-size: 1.125rem;
        padding: 0.5rem; border: 2px solid #0b0c0c; border-radius: 0; }
button, .button { display: inline-flex; align-items: center; margin-top: 1.5rem;
        font-size: 1.125rem; box-sizing: border-box;
        padding: 0.6rem 1.2rem; min-height: 44px; border: 0; background: #1f4e79;
        color: #fff; cursor: pointer; text-decoration: none; }
:focus-visible { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
.problem { border-left: 6px solid #b10e1e; padding: 0.5rem 1rem; background: #fbeaea; }
.notice { border-left: 6px solid #1f4e79; padding: 0.5rem 1rem; background: #eef3f8; }
@media (prefers-color-scheme: dark) {
  body { background: #0e1117; color: #fafafa; }
  input { background: #0e1117; color: #fafafa; border-color: #fafafa; }
  .problem { background: #3b1116; } .notice { background: #132235; }
  button, .button { background: #8ab4f8; color: #0b0c0c; }
}
</style>
</head>
<body>
<main>
<h1>Productivity Programme dashboard</h1>
$notice
$organisation
<form method="post" action="$action" novalidate>
<h2>Sign in with a dashboard account</h2>
$problem
<input type="hidden" name="csrf" value="$csrf">
<input type="hidden" name="next" value="$next">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" required
       value="$email" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
""")


def safe_next(value: str | None) -> str:
    """Return value if it is a path on this site to return to after signing in, else '/'."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 32 for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith("/account/"):
        return "/"
    return value


# Why a signed-in tab was sent back to the form: the form says so in these words only.
ENDED = {
    "signed out": "You have signed out.",
    "idle": "You were signed out after a time without activity.",
    "expired": "Your sign-in had run its full length.",
    "disabled": "This account has been disabled.",
    "password changed": "The password for this account was changed.",
    "ended by an administrator": "An administrator ended this sign-in.",
}


def ended_notice(reason: str) -> str:
    """Return what the sign-in form says of a sign-in ended for this reason (ENDED): a
    disabled account cannot sign in again, so it is not asked to (the walk of issue 17)."""
    if reason == "disabled":
        return ENDED[reason] + " Ask an administrator if you still need to use the dashboard."
    return ENDED[reason] + " Please sign in again."


def sign_in_url(next_path: str, *, ended: str = "") -> str:
    """Return the sign-in form's address that comes back to next_path."""
    query = {"next": safe_next(next_path)} | ({"ended": ended} if ended in ENDED else {})
    return f"{SIGN_IN_PATH}?{urlencode(query)}"


def client_address(request: Request) -> str:
    """Return the client's address, from the proxy's X-Real-IP when it is trusted."""
    host = request.client.host if request.client else ""
    forwarded = request.headers.get("x-real-ip", "").strip()
    if forwarded and get_settings().trust_proxy_headers and _loopback(host):
        return forwarded[:64]
    return host


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secure_request(request: Request) -> bool:
    """Say whether cookies must be Secure: over HTTPS, or in production whatever the hop."""
    proto = (
        request.headers.get("x-forwarded-proto", "") if get_settings().trust_proxy_headers else ""
    )
    return (
        request.url.scheme == "https"
        or proto == "https"
        or get_settings().environment == "production"
    )


def _form_page(
    request: Request, *, next_path: str, problem: str = "", email: str = "", status: int = 200
) -> Response:
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    notice = ""
    organisation = ""
    if _OPTIONS["single_sign_on"]:
        url = f"/?{urlencode({ORGANISATION_PARAMETER: 'organisation'})}"
        organisation = (
            f'<p><a class="button" href="{html.escape(url)}">Sign in with your organisation</a></p>'
        )
    if not problem and request.query_params.get("ended") in ENDED:
        message = ended_notice(request.query_params["ended"])
        notice = f'<p class="notice" role="status">{html.escape(message)}</p>'
    elif not problem and not _OPTIONS["single_sign_on"] and _nobody_can_sign_in():
        notice = (
            '<p class="notice">No one can sign in yet. Create the first administrator on the '
            "server with <code>python -m lgadata user add EMAIL --role admin</code>, then sign "
            "in here.</p>"
        )
    body = _PAGE.substitute(
        notice=notice,
        organisation=organisation,
        action=html.escape(SIGN_IN_PATH),
        problem=f'<p class="problem" role="alert">{html.escape(problem)}</p>' if problem else "",
        csrf=html.escape(csrf),
        next=html.escape(next_path),
        email=html.escape(email),
    )
    response = HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        httponly=True,
        samesite="strict",
        secure=secure_request(request),
        path="/account/",
    )
    return response


def _nobody_can_sign_in() -> bool:
    try:
        return auth.user_count(engine=get_engine()) == 0
    except sa.exc.SQLAlchemyError:
        return False


async def signed_in(request: Request) -> bool:
    """Say whether the request's session cookie holds a live session now.

    Raises SQLAlchemyError when the database cannot be reached, for the caller to say so.
    """
    token = request.cookies.get(sessions.COOKIE)
    if not token:
        return False
    lookup = await run_in_threadpool(sessions.resolve, engine=get_engine(), token=token)
    return lookup.actor is not None


async def sign_in_form(request: Request) -> Response:
    """GET: the sign-in form (or straight back, for someone already signed in)."""
    next_path = safe_next(request.query_params.get("next"))
    try:
        if await signed_in(request):
            return RedirectResponse(next_path, status_code=303)
    except sa.exc.SQLAlchemyError:
        log.exception("The database could not be reached for a sign-in form")
        return _form_page(request, next_path=next_path, problem=OUTAGE, status=503)
    return _form_page(request, next_path=next_path)


async def sign_in(request: Request) -> Response:
    """POST: check the password, open a session, set its cookie and go back to next."""
    if int(request.headers.get("content-length") or 0) > _MAX_FORM_BYTES:
        return Response("Too large", status_code=413)
    form = await request.form(max_files=0, max_fields=8, max_part_size=_MAX_FORM_BYTES)
    next_path = safe_next(str(form.get("next") or ""))
    email = str(form.get("email") or "")[:320]
    csrf = str(form.get("csrf") or "")
    expected = request.cookies.get(CSRF_COOKIE) or ""
    if not expected or not secrets.compare_digest(csrf, expected) or not _same_origin(request):
        problem = "The form had expired. Please sign in again."
        return _form_page(request, next_path=next_path, problem=problem, email=email, status=403)
    client = client_address(request)
    try:
        token = await run_in_threadpool(
            _sign_in, email=email, password=str(form.get("password") or "")[:1024], client=client
        )
    except auth.SignInRefused as refusal:
        return _form_page(request, next_path=next_path, problem=str(refusal), email=email)
    except sa.exc.SQLAlchemyError:
        log.exception("The database could not be reached for a sign-in")
        return _form_page(request, next_path=next_path, problem=OUTAGE, email=email, status=503)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(request, response, token)
    return response


def _sign_in(*, email: str, password: str, client: str) -> str:
    engine = get_engine()
    actor = auth.authenticate(engine=engine, email=email, password=password, client=client)
    return sessions.start(engine=engine, email=actor.email, via=actor.via, client=client)


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """Give the browser its session: HttpOnly, SameSite=Lax, Secure outside plain HTTP."""
    response.set_cookie(
        sessions.COOKIE,
        token,
        max_age=int(get_settings().session_absolute_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=secure_request(request),
        path="/",
    )


def _same_origin(request: Request) -> bool:
    # Browsers send Origin with every POST ("null" from a sandbox or a redirect chain); a
    # client that sends neither Origin nor Referer from this site is refused, so the CSRF
    # cookie alone (which a sibling site might plant) is never enough.
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    return bool(origin) and urlsplit(origin).netloc == request.headers.get("host", "")


async def sign_out(request: Request) -> Response:
    """POST: end this browser's session and forget its cookie."""
    if not _same_origin(request):
        return Response("Forbidden", status_code=403)
    token = request.cookies.get(sessions.COOKIE)
    if token:
        await run_in_threadpool(sessions.end, engine=get_engine(), token=token)
    response = RedirectResponse(SIGN_IN_PATH, status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


ROUTES = [
    Route(SIGN_IN_PATH, sign_in_form, methods=["GET"]),
    Route(SIGN_IN_PATH, sign_in, methods=["POST"]),
    Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
]
