"""E-bulletin statistics: which links readers open, and how many go to programme pages."""

import streamlit as st

from lgadata import queries
from lgadata.charts import ebulletin as charts
from lgadata.values import format_count, format_iso_date
from ui import common, since

BULLETIN = "ebulletin-bulletin"
RECENT = 5
LINK_LIMIT = 5_000  # a table longer than this is not read on a screen, and costs memory
LINK_COLUMNS = {
    "URL": st.column_config.TextColumn("URL", width="large"),
    "Link text": st.column_config.TextColumn("Link text", width="large"),
    "Views": st.column_config.NumberColumn("Views", format="localized"),
    "Unique views": st.column_config.NumberColumn("Unique views", format="localized"),
    "% of views": st.column_config.NumberColumn("% of views", format="%.1f%%"),
}
TOP_COLUMNS = {
    "Bulletin": st.column_config.TextColumn("Bulletin", width="large"),
    "Top URL": st.column_config.TextColumn("Top URL", width="large"),
}


def _sent(bulletin: dict) -> str:
    return format_iso_date(bulletin["sent_on"])


def selected_bulletin(bulletins: list[dict]) -> None:
    """Show one bulletin's figures, its most viewed links and every link's views."""
    by_name = {b["bulletin"]: b for b in bulletins}
    name = st.selectbox(
        "Bulletin",
        list(by_name),
        key=BULLETIN,
        format_func=lambda n: f"{n} (sent {_sent(by_name[n])})",
    )
    chosen = by_name[name]
    common.figures(
        [
            ("Views", format_count(chosen["views"]), None),
            ("Links", format_count(chosen["links"]), None),
            ("Top link's share of views", charts.format_share(chosen["top_share"]), None),
            (
                "Views going to programme pages",
                charts.format_share(chosen["programme_share"]),
                None,
            ),
        ]
    )
    common.small_print(common.as_at(chosen["sent_on"], chosen["upload_id"]), key="as-at")
    links = common.query(queries.bulletin_links, bulletin=name, limit=LINK_LIMIT)
    top = links[: charts.TOP_LINKS]
    common.chart(charts.link_views(top), charts.links_table(top), key="ebulletin-links")
    st.subheader(f"Views by URL ({format_count(len(links))} URLs)")
    if len(links) == LINK_LIMIT:
        st.caption(f"The {format_count(LINK_LIMIT)} most viewed URLs; the figures above count all.")
    st.dataframe(
        charts.links_table(links), hide_index=True, width="stretch", column_config=LINK_COLUMNS
    )


def recent_top_links(bulletins: list[dict]) -> None:
    """Show the top link of each recent bulletin and whether it is a programme page."""
    recent = bulletins[:RECENT]
    programme = sum(b["top_is_programme"] for b in recent)
    st.subheader(f"The top link of the last {len(recent)} bulletins")
    st.text(
        f"{programme} of the last {len(recent)} bulletins had a Productivity Programme page "
        "as their most viewed link."
    )
    st.dataframe(
        charts.top_links_table(recent), hide_index=True, width="stretch", column_config=TOP_COLUMNS
    )


def render() -> None:
    """Show the chosen bulletin, the recent top links and the programme's share over time."""
    common.page_setup(
        "E-bulletin statistics",
        caption="Views of each link in the Improvement and Innovation Board e-bulletin.",
    )
    bulletins = common.query(queries.bulletins)
    if not bulletins:
        common.empty_state("ebulletin")
        return
    selected_bulletin(bulletins)
    recent_top_links(bulletins)
    st.subheader("The Productivity Programme's share of views")
    common.marked_chart(
        charts.programme_share_trend,
        charts.trend_markers,
        bulletins,
        charts.programme_share_table(bulletins),
        workstream="ebulletin",
        key="ebulletin-trend",
    )


render()
since.for_page(__file__)  # what changed since the last meeting, and the commentary
