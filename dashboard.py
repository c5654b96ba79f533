"""The router: page config, the sign-in gate, then the pages this role may use."""

import streamlit as st

from ui import auth, common
from ui.routes import routes

st.set_page_config(
    page_title="Productivity Programme dashboard",
    page_icon=":material/dashboard:",
    layout="wide",
)
engine = common.engine()
ROUTES = routes()  # built from the sections' registry, plus the officer and admin pages
actor = auth.signed_in_or_public(engine)
if actor is None:
    # Every page's address answers with the way to sign in, so none says "Page not found",
    # and Streamlit never lists the pages/ folder.
    signed_out = [
        auth.signed_out_page(url_path=r.url_path, title=r.title, default=i == 0)
        for i, r in enumerate(ROUTES)
    ]
    st.navigation(signed_out, position="hidden").run()
    st.stop()
# Meeting mode (?present=1, so a link opens straight into it) hides the sidebar. Every page
# stays routable in it so that "Leave meeting mode" can go back to the Overview.
# Only at the Overview's or Present's address: elsewhere ?present=1 is ignored, so a page
# never loses its menu without becoming the meeting's screens.
presenting = st.query_params.get("present") == "1" and auth.current_page() in (
    "",
    "overview",
    "present",
)
if not presenting:
    auth.sidebar(actor)

# The default page lives at the home address only: meeting mode is the default at
# /?present=1, but at its own address (/present?present=1) the Overview stays the default,
# or that address names no page ("Page not found": the early walk of issue 17).
opens = "present.py" if presenting and auth.current_page() in ("", "overview") else "overview.py"
pages = []
for route in ROUTES:
    if actor.can(route.permission):
        default = route.file == opens
        pages.append(st.Page(route.path, title=route.title, icon=route.icon, default=default))
    else:
        # Left out of the menu; its address says plainly that this role may not use it.
        pages.append(auth.not_allowed_page(actor, route))

# Every page in the menu, however many a role has: collapsed into "View more", the officer
# and admin pages at its end were out of sight.
st.navigation(pages, position="hidden" if presenting else "sidebar", expanded=True).run()
