"""The router: page config, the sign-in gate, then the pages this role may use."""

from pathlib import Path

import streamlit as st

from lgadata.auth import Permission
from ui import auth, common

PAGES = Path(__file__).parent / "pages"

st.set_page_config(
    page_title="Productivity Programme dashboard",
    page_icon=":material/dashboard:",
    layout="wide",
)

actor = auth.signed_in_or_public(common.engine())
if actor is None:
    # A navigation of one hidden page keeps Streamlit from listing the pages/ folder.
    st.navigation([auth.sign_in_page(common.engine())], position="hidden").run()
    st.stop()
# Meeting mode (?present=1, so a link opens straight into it) hides the sidebar. Every page
# stays routable in it so that "Leave meeting mode" can go back to the Overview.
presenting = st.query_params.get("present") == "1"
if not presenting:
    auth.sidebar(actor)

# Pages a role may not use are left out entirely; each page also checks for itself.
pages = [
    st.Page(
        PAGES / "overview.py", title="Overview", icon=":material/dashboard:", default=not presenting
    ),
    st.Page(
        PAGES / "capital_assets.py", title="Capital and Assets", icon=":material/account_balance:"
    ),
    st.Page(PAGES / "shared_services.py", title="Shared Services", icon=":material/hub:"),
    st.Page(PAGES / "tenancy_fraud.py", title="Tenancy Fraud Pilot", icon=":material/home_work:"),
    st.Page(PAGES / "procurement.py", title="Procurement", icon=":material/shopping_cart:"),
    st.Page(PAGES / "ebulletin.py", title="E-bulletin statistics", icon=":material/mail:"),
    st.Page(PAGES / "timeline.py", title="Programme timeline", icon=":material/timeline:"),
    st.Page(
        PAGES / "present.py", title="Present", icon=":material/co_present:", default=presenting
    ),
]
if actor.can(Permission.UPLOAD):
    pages.append(st.Page(PAGES / "upload.py", title="Upload", icon=":material/upload_file:"))
if actor.can(Permission.VIEW_HISTORY):
    pages.append(st.Page(PAGES / "history.py", title="History", icon=":material/history:"))
if actor.can(Permission.MANAGE_USERS):
    pages.append(st.Page(PAGES / "users.py", title="Users", icon=":material/group:"))
if actor.can(Permission.VIEW_AUDIT):
    pages.append(st.Page(PAGES / "audit.py", title="Audit log", icon=":material/policy:"))

st.navigation(pages, position="hidden" if presenting else "sidebar").run()
