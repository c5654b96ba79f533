"""Overview: every workstream's headline figures, as the board report states them."""

import streamlit as st

from lgadata.report import headlines
from lgadata.workstreams import WORKSTREAMS
from ui import common


def render() -> None:
    """Show one card per workstream with its headline sentences."""
    common.page_setup("Productivity Programme")
    figures = common.query("metrics")
    sentences = headlines(figures)
    st.caption("Figures computed from the latest upload of each workstream.")
    columns = st.columns(2)
    for index, (key, workstream) in enumerate(WORKSTREAMS.items()):
        with columns[index % 2].container(border=True):
            st.subheader(workstream.title)
            lines = sentences.get(key)
            if not lines:
                common.empty_state(key)
            for line in lines or []:
                st.text(line)


render()
