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
    {
        "Board": [
            st.Page(
                PAGES / "overview.py", title="Overview", icon=":material/dashboard:", default=True
            ),
        ],
    }
)
navigation.run()
