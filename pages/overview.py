"""Overview: the board report at a glance, one card per recommendation."""

import datetime as dt

import streamlit as st

from lgadata import queries
from lgadata.overview import cards
from lgadata.sections import registry
from ui import common, pack, since


def render_card(card) -> None:
    """Show one workstream's card: figures, status, source and a link to its page."""
    with st.container(border=True):
        st.subheader(card.title)
        if card.empty_workstream:
            common.empty_state(card.empty_workstream)
            return
        for column, figure in zip(st.columns(len(card.figures)), card.figures, strict=True):
            column.metric(figure.label, figure.value, figure.change)
        st.text(card.status)
        common.source(card.as_at, card.upload_id, key=card.page.removesuffix(".py"))
        st.page_link(
            f"pages/{card.page}", label=f"Open {card.title}", icon=":material/arrow_forward:"
        )


def render() -> None:
    """Show the six cards, two to a row: the latest figures, or what changed since a meeting."""
    common.page_setup(
        "Productivity Programme",
        caption="Where each workstream stands, computed from the latest uploads.",
    )
    st.page_link(
        "pages/present.py",
        label="Present in a meeting",
        icon=":material/co_present:",
        query_params={"present": "1"},
    )
    today = dt.date.today()
    register = since.register_now()
    comparison = since.choose(register, today)
    figures = common.query(queries.metrics)
    milestones = common.query(queries.milestones)
    all_cards = cards(figures, milestones)
    if comparison:
        since.sections(comparison, list(zip(registry.board_sections(), all_cards, strict=True)))
    else:
        for start in range(0, len(all_cards), 2):
            for column, card in zip(st.columns(2), all_cards[start : start + 2], strict=False):
                with column:
                    render_card(card)
    st.divider()
    since.returns_due(register, today, comparison)
    since.decided(register, today)
    st.divider()
    pack.render()


render()
