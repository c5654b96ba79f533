"""Middleware in front of every request: security headers, and the sign-in form for a page
asked for by a browser that holds no session.

Sending a signed-out browser to the form before Streamlit loads means a link or a reload
lands on the page asked for once the person has signed in. The script still checks the
session on every run; this only saves a round of "please sign in" inside the app.
"""

import logging
from collections.abc import Callable

import sqlalchemy as sa
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lgadata.web import signin

log = logging.getLogger(__name__)

# Streamlit's front end needs inline styles, and its charts (Vega) compile expressions
# with new Function; everything else comes from this origin only, and no one may frame it.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
# Paths that are not pages: Streamlit's own endpoints and assets, and ours.
NOT_PAGES = (
    "/_stcore/",
    "/static/",
    "/media/",
    "/component/",
    "/app/static/",
    "/account/",
    "/api/",
    "/auth/",
    "/oauth2callback",
    "/favicon",
    "/manifest",
    "/robots.txt",
)
SINGLE_SIGN_ON_COOKIE = "_streamlit_user"


class Guard:
    """Add the security headers to every response; send signed-out page loads to sign in."""

    def __init__(self, app: ASGIApp, *, public_view: Callable[[], bool]):
        self.app = app
        self.public_view = public_view

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        secure = signin.secure_request(request)
        response = await self._sign_in_first(request)
        if response is not None:
            _add_headers(response.headers, secure=secure)
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _add_headers(MutableHeaders(scope=message), secure=secure)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _sign_in_first(self, request: Request):
        if not _page_load(request) or self.public_view():
            return None
        if request.query_params.get(signin.ORGANISATION_PARAMETER) == "organisation":
            return None  # the script starts single sign-on
        if any(name.startswith(SINGLE_SIGN_ON_COOKIE) for name in request.cookies):
            return None  # the identity provider's signed cookie: the script checks it
        try:
            if await signin.signed_in(request):
                return None
        except sa.exc.SQLAlchemyError:
            log.exception("The database could not be reached for a page load")
            return HTMLResponse(_OUTAGE_PAGE, status_code=503)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(signin.sign_in_url(target), status_code=303)


def _page_load(request: Request) -> bool:
    if request.method not in ("GET", "HEAD") or request.url.path.startswith(NOT_PAGES):
        return False
    return "text/html" in request.headers.get("accept", "")


def _add_headers(headers: MutableHeaders, *, secure: bool) -> None:
    for name, value in HEADERS.items():
        if name not in headers:
            headers[name] = value
    if secure:
        headers["strict-transport-security"] = HSTS


_OUTAGE_PAGE = f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Productivity Programme dashboard</title>
</head><body><main><h1>Productivity Programme dashboard</h1><p>{signin.OUTAGE}</p></main>
</body></html>"""
