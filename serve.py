"""Serve the dashboard: Streamlit's pages with the dashboard's own routes, headers and start-up.

    python3 -m streamlit run serve.py        (or: uvicorn serve:app)

Start-up refuses unsafe production settings and migrates the database before the first
request; every response carries the security headers; sign-in is the dashboard's own form.
"""

import gc
import logging
import threading
from contextlib import asynccontextmanager

import sqlalchemy as sa
import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from lgadata import mail_schedule
from lgadata.bootstrap import prepare_database
from lgadata.db import get_engine
from lgadata.settings import get_settings
from lgadata.web import api, guard, shapes, signin
from ui import auth, common, council_map

log = logging.getLogger("lgadata.serve")


@asynccontextmanager
async def lifespan(_app):
    """Refuse to start with unsafe production settings; make the database ready."""
    problem = common.production_settings_problem()
    if problem:
        log.error(problem)
        raise RuntimeError(problem)
    signin.configure(single_sign_on=auth.single_sign_on_configured())
    # Streamlit runs a pages/ file on its own, with the folder listed as the menu, until
    # some session of the process first calls st.navigation: so a link to a page opened
    # first on a fresh server would skip the router. The router always calls it, so say
    # so before the first session starts.
    PagesManager.uses_pages_directory = False
    settings = get_settings()
    # The tables now, the samples in the background: a fresh server answers at once and its
    # first page waits only for what is left of the samples' load ("Preparing the database").
    await run_in_threadpool(
        prepare_database, engine=get_engine(), seed_samples=settings.seed_samples
    )
    # The Shared Services map takes seconds to build at scale (its queries, then Altair): built
    # now, beside the first requests rather than before them, the first visitor's map comes
    # from the cache (benchmarks/map.py's first draw).
    threading.Thread(target=_warm_up, name="map warm-up", daemon=True).start()
    # What is loaded by now lives as long as the process: keep it out of the garbage
    # collector's full passes, which otherwise hold every viewer up (benchmarks/RESULTS.md).
    gc.freeze()
    # The board pack and reminders go out from here when a relay is set (lgadata.mail_schedule).
    mail_round = mail_schedule.start(get_engine(), settings)
    yield
    if mail_round:
        mail_round.shutdown(wait=False)


def _warm_up() -> None:
    """Build what the first visitor would otherwise wait for; a failure only costs that."""
    try:
        council_map.warm_up()
    except Exception:  # the pages build it themselves, and say what went wrong if it fails
        log.warning("The map could not be built at start-up", exc_info=True)


def on_script_error(error: Exception) -> bool:
    """Log the details for the server; show the person a plain message, never a traceback."""
    log.error("A page failed", exc_info=error)
    if isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
        st.error(signin.OUTAGE, icon=":material/cloud_off:")
    elif getattr(error, "error_id", None) == "file-uploader-invalid-extension":
        # Streamlit's own check of a file sent past the browser's, before the page runs.
        st.error(
            "That file's name does not end in a kind the dashboard reads: choose an .xlsx, "
            ".xls, .ods or .csv file. Reload the page to upload another.",
            icon=":material/block:",
        )
    else:
        st.error(
            "Something went wrong on this page. It has been recorded for the administrators; "
            "try again, and if it happens again, tell them what you were doing.",
            icon=":material/error:",
        )
    return True


app = st.App(
    "dashboard.py",
    routes=[*signin.ROUTES, *api.ROUTES, *shapes.ROUTES],
    middleware=[Middleware(guard.Guard, public_view=lambda: get_settings().public_view)],
    lifespan=lifespan,
    on_script_error=on_script_error,
)
