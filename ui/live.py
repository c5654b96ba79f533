"""Live updates: an open page redraws itself soon after anyone's upload or rollback.

Several Streamlit processes may serve the dashboard behind a load balancer, so the signal
is the database's data version (the newest upload's id), polled by a small fragment.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
import streamlit as st

from lgadata.settings import get_settings

SEEN = "live-seen"
JUST_NOW = dt.timedelta(minutes=1)
HOME_ZONE = "Europe/London"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Seen:
    """The data version a session's page was drawn from, and when that version last moved."""

    version: int
    changed_at: dt.datetime | None = None


def should_refresh(seen: int | None, current: int) -> bool:
    """Return whether the page was drawn from other data than the database holds now."""
    # Not "current > seen": a database restored from a backup goes back, and must show too.
    return seen is not None and current != seen


def remember(seen: Seen | None, current: int, *, now: dt.datetime) -> Seen:
    """Return what a session has seen once its page is drawn from data version `current`."""
    if seen is None:
        return Seen(current)
    if seen.version == current:
        return seen
    return Seen(current, changed_at=now)


def _seconds(every: float) -> str:
    return "1 second" if every == 1 else f"{every:g} seconds"


def note(seen: Seen, *, now: dt.datetime, every: float, failed: bool = False) -> str:
    """Return the small line that says how fresh the page's figures are."""
    if failed:
        return f"Could not check for new figures just now; trying again every {_seconds(every)}"
    if seen.changed_at is not None and now - seen.changed_at < JUST_NOW:
        return "Updated just now"
    return f"Figures read at {now:%H:%M}, checked every {_seconds(every)}"


def zone() -> ZoneInfo:
    """Return the viewer's time zone (the browser's), else England's."""
    try:
        return ZoneInfo(st.context.timezone or HOME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(HOME_ZONE)


def _now() -> dt.datetime:
    """Return the time in the viewer's time zone."""
    return dt.datetime.now(zone())


def _check(*, version: Callable[[], int], every: float) -> None:
    """Compare the data version with the page's; redraw the whole page if it moved."""
    seen = st.session_state.get(SEEN)
    try:
        current = version()
    except sa.exc.SQLAlchemyError:
        # A database that is briefly away must not put a traceback on the board's screen.
        log.warning("Could not read the data version", exc_info=True)
        st.caption(note(seen, now=_now(), every=every, failed=True))
        return
    if should_refresh(seen.version if seen else None, current):
        st.rerun(scope="app")
    st.caption(note(seen or Seen(current), now=_now(), every=every))


def watch(*, version: Callable[[], int]) -> int:
    """Keep the page live: note the data version it is drawn from, then poll for a newer one.

    Return the version noted, for the page's queries to be keyed on.
    """
    # Noted before the page runs its queries, so an upload landing mid-draw at worst costs
    # one extra redraw, and never leaves the page showing older figures than it thinks.
    seen = remember(st.session_state.get(SEEN), version(), now=_now())
    st.session_state[SEEN] = seen
    every = get_settings().poll_seconds
    # Made here rather than at import so that the interval comes from the settings.
    st.fragment(_check, run_every=every)(version=version, every=every)
    return seen.version
