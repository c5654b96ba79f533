"""Audit log: every sign-in, failed sign-in, upload, rollback and role change."""

import datetime as dt

import streamlit as st

from lgadata import audit
from lgadata.auth import Permission
from ui import common, live

EVERYONE, EVERY_ACTION = "Everyone", "Every action"
PERSON_KEY, ACTION_KEY, FROM_KEY, TO_KEY = "audit-person", "audit-action", "audit-from", "audit-to"


def render() -> None:
    """Show the newest events first, filtered by person, action and dates."""
    common.page_setup(
        "Audit log",
        caption="Who did what, and when, newest first.",
        permission=Permission.VIEW_AUDIT,
    )
    zone = live.zone()
    found = audit.choices(engine=common.engine())
    person, action, start, end = st.columns(4)
    who = person.selectbox("Person", [EVERYONE, *found["actor"]], key=PERSON_KEY)
    what = action.selectbox("Action", [EVERY_ACTION, *found["action"]], key=ACTION_KEY)
    since = start.date_input("From", value=None, format="DD/MM/YYYY", key=FROM_KEY)
    until = end.date_input("To", value=None, format="DD/MM/YYYY", key=TO_KEY)
    rows = audit.events(
        engine=common.engine(),
        limit=500,
        actor=None if who == EVERYONE else who,
        action=None if what == EVERY_ACTION else what,
        since=audit.local_day(since, zone) if since else None,
        until=audit.local_day(until + dt.timedelta(days=1), zone) if until else None,
    )
    if not rows:
        st.info("Nothing recorded yet." if not found["actor"] else "Nothing matches.")
        return
    st.dataframe(
        [
            {
                f"When ({zone.key})": audit.format_moment(row["moment"], zone),
                "Who": row["actor"],
                "Action": row["action"],
                "Outcome": row["outcome"],
                "Detail": ", ".join(f"{k}: {v}" for k, v in row["detail"].items()),
            }
            for row in rows
        ],
        hide_index=True,
        width="stretch",
    )


render()
