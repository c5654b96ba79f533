"""The router: page config, then the pages built into st.navigation."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "pages"

st.set_page_config(
    page_title="Productivity Programme dashboard",
    page_icon=":material/dashboard:",
    layout="wide",
)

navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(
            PAGES / "capital_assets.py",
            title="Capital and Assets",
            icon=":material/account_balance:",
        ),
        st.Page(PAGES / "shared_services.py", title="Shared Services", icon=":material/hub:"),
        st.Page(
            PAGES / "tenancy_fraud.py", title="Tenancy Fraud Pilot", icon=":material/home_work:"
        ),
        st.Page(PAGES / "procurement.py", title="Procurement", icon=":material/shopping_cart:"),
        st.Page(PAGES / "ebulletin.py", title="E-bulletin statistics", icon=":material/mail:"),
        st.Page(PAGES / "timeline.py", title="Programme timeline", icon=":material/timeline:"),
    ]
)
navigation.run()
