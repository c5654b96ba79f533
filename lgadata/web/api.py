"""The read-only API: the board's headline figures as JSON, for a personal access token.

curl -H "Authorization: Bearer $TOKEN" https://dashboard.example/api/v1/metrics
"""

import json
import logging

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lgadata import queries, tokens
from lgadata.auth import Permission
from lgadata.db import get_engine
from lgadata.workstreams import WORKSTREAMS, workstream_key

log = logging.getLogger(__name__)
NOT_SECTIONS = {"data_version", "workstreams"}


def _figures(section: str | None) -> tuple[int, dict]:
    figures = queries.published(queries.metrics(engine=get_engine()))
    if section is None:
        return 200, figures
    if (named := WORKSTREAMS.get(workstream_key(section))) is not None:
        section = named.published_key  # the old key or the current one: the same figures
    if section in NOT_SECTIONS or section not in figures:
        known = sorted(set(figures) - NOT_SECTIONS)
        return 404, {"error": f"There is no section {section!r}.", "sections": known}
    return 200, {"data_version": figures["data_version"], section: figures[section]}


async def _answer(request: Request, section: str | None) -> Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        actor = None
        if scheme.lower() == "bearer" and token:
            actor = await run_in_threadpool(tokens.resolve, engine=get_engine(), token=token)
        if actor is None or not actor.can(Permission.VIEW):
            return JSONResponse(
                {"error": "A valid personal access token is needed: Authorization: Bearer …"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        status, body = await run_in_threadpool(_figures, section)
    except sa.exc.SQLAlchemyError:
        log.exception("The database could not be reached for an API request")
        return JSONResponse({"error": "The database cannot be reached just now."}, 503)
    content = json.dumps(body, default=str, sort_keys=True)
    return Response(
        content,
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


async def metrics(request: Request) -> Response:
    """GET /api/v1/metrics: every section's headline figures."""
    return await _answer(request, None)


async def section(request: Request) -> Response:
    """GET /api/v1/sections/{key}: one section's figures."""
    return await _answer(request, request.path_params["key"])


async def health(request: Request) -> Response:
    """GET /api/health: 200 when the database answers, 503 when it does not (for a balancer).

    Streamlit's /_stcore/health says only that the process is up.
    """
    try:
        await run_in_threadpool(queries.data_version, engine=get_engine())
    except sa.exc.SQLAlchemyError:
        log.exception("The health check could not reach the database")
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
    return JSONResponse({"status": "ok", "database": "ok"}, headers={"Cache-Control": "no-store"})


async def not_found(request: Request) -> Response:
    """Any other /api/ address: a JSON 404, never the app's page."""
    return JSONResponse({"error": "There is nothing at this address."}, status_code=404)


ROUTES = [
    Route("/api/v1/metrics", metrics, methods=["GET"]),
    Route("/api/v1/sections/{key}", section, methods=["GET"]),
    Route("/api/health", health, methods=["GET"]),
    Route("/api/{rest:path}", not_found),
]
