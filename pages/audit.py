"""Audit log: every sign-in, failed sign-in, upload, rollback and role change."""

import streamlit as st

from lgadata import audit
from lgadata.auth import Permission
from ui import common

ACTIONS = ["all", "sign-in", "upload", "rollback", "user added", "role changed"]


def render() -> None:
    """Show the newest events first, filtered by action."""
    common.page_setup(
        "Audit log",
        caption="Who did what, and when, newest first.",
        permission=Permission.VIEW_AUDIT,
    )
    action = st.selectbox("Action", ACTIONS, key="audit_action")
    rows = audit.events(
        engine=common.engine(), limit=500, action=None if action == "all" else action
    )
    if not rows:
        st.info("Nothing recorded yet.")
        return
    for row in rows:
        row["detail"] = ", ".join(f"{k}: {v}" for k, v in row["detail"].items())
    st.dataframe(rows, hide_index=True, width="stretch")


render()
