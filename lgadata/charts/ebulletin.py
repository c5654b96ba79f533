"""E-bulletin charts and tables: views by link, and the programme's share over time."""

import altair as alt
import pandas as pd

from lgadata.charts import HIGHLIGHT, PRIMARY, annotations, finish
from lgadata.values import format_count, format_iso_date

PROGRAMME_PAGE, OTHER_PAGE = "Productivity Programme page", "Other page"
TOP_LINKS = 15
# Bulletins go to one site, so the axis drops the scheme and host; the tooltip keeps the URL.
_PATH_ONLY = "replace(datum.label, regexp('^[a-z]+://[^/]+', 'i'), '') || datum.label"


def format_share(share: float | None) -> str:
    """Return a share as a whole percentage, or to one decimal place below 1%."""
    if share is None:
        return "not reported"
    return f"{share:.1%}" if 0 < share < 0.01 else f"{share:.0%}"


def link_views(links: list[dict], *, top: int = TOP_LINKS) -> alt.Chart:
    """Return a bar chart of the most viewed links of a bulletin, programme pages highlighted."""
    frame = pd.DataFrame(links[:top])
    frame["page"] = [PROGRAMME_PAGE if p else OTHER_PAGE for p in frame["is_programme"]]
    frame["label"] = [format_share(s) for s in frame["share"].fillna(0)]
    base = alt.Chart(frame).encode(
        # The query's order (views, then URL); "-x" sorting is lost when the chart is layered.
        y=alt.Y("url:N", sort=list(frame["url"]), title=None, axis=alt.Axis(labelExpr=_PATH_ONLY)),
        x=alt.X("views:Q", title="Views", axis=alt.Axis(format=",~d", tickCount=6)),
        tooltip=[
            alt.Tooltip("link_text:N", title="Link"),
            alt.Tooltip("url:N", title="URL"),
            alt.Tooltip("views:Q", title="Views", format=","),
            alt.Tooltip("unique_views:Q", title="Unique views", format=","),
            alt.Tooltip("share:Q", title="Share of views", format=".1%"),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "page:N",
            title=None,
            scale=alt.Scale(domain=[PROGRAMME_PAGE, OTHER_PAGE], range=[HIGHLIGHT, PRIMARY]),
            legend=alt.Legend(orient="bottom"),
        )
    )
    shares = base.mark_text(align="left", dx=6, fontSize=16).encode(text="label:N")
    title = f"The {len(frame)} most viewed links, with their share of the bulletin's views"
    # finish's height is the whole chart: title, axis and legend take about 150 pixels.
    return finish(alt.layer(bars, shares), title=title, height=150 + 38 * len(frame))


def links_table(links: list[dict]) -> pd.DataFrame:
    """Return a bulletin's links as the table the board reads."""
    return pd.DataFrame(
        {
            "URL": [r["url"] for r in links],
            "Link text": [r["link_text"] for r in links],
            "Views": [r["views"] for r in links],
            "Unique views": [r["unique_views"] for r in links],
            "% of views": [
                None if r["share"] is None else round(100 * r["share"], 1) for r in links
            ],
        }
    )


def top_links_table(bulletins: list[dict]) -> pd.DataFrame:
    """Return each bulletin's top link and whether it is a Productivity Programme page."""
    return pd.DataFrame(
        {
            "Sent": [format_iso_date(b["sent_on"]) for b in bulletins],
            "Bulletin": [b["bulletin"] for b in bulletins],
            "Top URL": [b["top_url"] for b in bulletins],
            "Views": [format_count(b["top_views"]) for b in bulletins],
            "% of views": [format_share(b["top_share"]) for b in bulletins],
            "Programme page": ["Yes" if b["top_is_programme"] else "No" for b in bulletins],
        }
    )


def trend_markers(bulletins: list[dict], *, uploads: list[dict], meetings: list) -> list[dict]:
    """Return the uploads and meetings to mark on the programme share's trend."""
    dated = {b["bulletin"]: b["sent_on"] for b in bulletins if b["sent_on"] and b["views"]}
    if not dated:
        return []
    return annotations.markers(
        uploads=uploads,
        meetings=meetings,
        dated=dated,
        start=min(dated.values()),
        end=max(dated.values()),
    )


def programme_share_trend(bulletins: list[dict], *, markers: list[dict] = ()) -> alt.Chart:
    """Return a line chart of the share of each bulletin's views going to programme pages,
    with uploads and meetings marked."""
    dated = [b for b in bulletins if b["sent_on"] and b["views"]]
    frame = pd.DataFrame(dated, columns=list(bulletins[0]) if bulletins else None)
    return annotations.dated_line(
        frame,
        x="sent_on",
        x_title="Sent",
        y=alt.Y(
            "programme_share:Q",
            title="Views going to programme pages",
            axis=alt.Axis(format=".0%"),
            scale=alt.Scale(zero=True),
        ),
        tooltip=[
            alt.Tooltip("bulletin:N", title="Bulletin"),
            alt.Tooltip("sent_on:T", title="Sent", format="%d %B %Y"),
            alt.Tooltip("programme_share:Q", title="Programme share", format=".1%"),
            alt.Tooltip("programme_views:Q", title="Programme views", format=","),
            alt.Tooltip("views:Q", title="All views", format=","),
        ],
        title="Share of each bulletin's views going to programme pages",
        markers=markers,
    )


def programme_share_table(bulletins: list[dict]) -> pd.DataFrame:
    """Return the programme's share of each bulletin's views, oldest first, as a table."""
    ordered = bulletins[::-1]
    return pd.DataFrame(
        {
            "Bulletin": [b["bulletin"] for b in ordered],
            "Sent": [format_iso_date(b["sent_on"]) for b in ordered],
            "Views": [b["views"] for b in ordered],
            "Programme views": [b["programme_views"] for b in ordered],
            "% to programme pages": [format_share(b["programme_share"]) for b in ordered],
        }
    )
