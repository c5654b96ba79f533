"""Charts, tables and figures of the Shared Services Map: headline, regions and categories."""

import json

import altair as alt
import pandas as pd

from lgadata.charts import (
    FONT_SIZE,
    PALETTE,
    PRIMARY,
    TITLE_SIZE,
    annotations,
    bar,
    finish,
    money_axis,
)
from lgadata.values import format_count, format_iso_date, format_money

IN_REGION, SHARING = "Councils in the region", "Councils sharing services"
BAR_SIZE = 16  # a meeting screen's region bar, and the words over it


def regions_chart(rows: list[dict], *, edition: str) -> alt.Chart:
    """Return a bar per region of its councils, the part that share services over it."""
    frame = regions_table(rows)
    order = list(frame.sort_values([SHARING, "Region"], ascending=[False, True])["Region"])
    figures = {r["region"]: f"{r['sharing']} of {r['councils']} ({r['share']:.0%})" for r in rows}
    bars = (
        alt.Chart(frame)
        .transform_fold([IN_REGION, SHARING], as_=["Measure", "Councils"])
        .mark_bar()
        .encode(
            y=alt.Y("Region:N", sort=order, title=None),
            x=alt.X(
                "Councils:Q", stack=None, axis=alt.Axis(title="Councils", format=",~d", tickCount=8)
            ),
            color=alt.Color(
                "Measure:N",
                sort=[IN_REGION, SHARING],
                scale=alt.Scale(domain=[IN_REGION, SHARING], range=[PALETTE[4], PRIMARY]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            order=alt.Order("Measure:N", sort="ascending"),
            tooltip=["Region:N", f"{IN_REGION}:Q", f"{SHARING}:Q", "Share:N"],
        )
    )
    # The figures go in a second axis rather than in text marks: axis labels take the
    # theme's text colour, while a text mark stays black on the dark theme.
    figures_axis = alt.Axis(
        orient="right",
        title=None,
        domain=False,
        ticks=False,
        labelExpr=f"{json.dumps(figures)}[datum.value]",
    )
    right = (
        alt.Chart(frame)
        .mark_bar(opacity=0)
        .encode(y=alt.Y("Region:N", sort=order, axis=figures_axis), x=f"{IN_REGION}:Q")
    )
    chart = alt.layer(bars, right).resolve_axis(y="independent")
    title = f"Councils sharing services in each region, {edition}"
    return finish(chart, title=title, height=max(200, 48 * len(frame)))


def regions_screen_chart(rows: list[dict], *, edition: str) -> alt.Chart:
    """Return the regions for a meeting screen: a bar per region of the share of its councils
    that share services, the region's name over its bar and its figures at the bar's end,
    no axis labels or legend to take the width, a title of short lines.

    The page's chart of two bars, a legend and an axis of figures each side had no room left
    for bars at a phone's width or at 200% zoom, its title and legend cut (the walk of
    issue 18).
    """
    frame = regions_table(rows).assign(
        share=[r["share"] for r in rows],
        figures=[f"{r['sharing']} of {r['councils']} ({r['share']:.0%})" for r in rows],
    )
    order = list(frame.sort_values(["share", "Region"], ascending=[False, True])["Region"])
    base = alt.Chart(frame).encode(
        y=alt.Y("Region:N", sort=order, title=None, axis=None),
        tooltip=["Region:N", f"{IN_REGION}:Q", f"{SHARING}:Q", "Share:N"],
    )
    share = alt.X("share:Q", scale=alt.Scale(domain=[0, 1]), axis=None)
    bars = base.mark_bar(color=PRIMARY, size=BAR_SIZE, yOffset=BAR_SIZE / 2).encode(x=share)
    # The words in the theme's text colour (the meeting sets text marks' colour): the name
    # over the bar at its start, the figures over it at its end.
    name = base.mark_text(align="left", baseline="bottom", dy=-2).encode(
        x=alt.datum(0), text="Region:N"
    )
    figures = base.mark_text(align="right", baseline="bottom", dy=-2).encode(
        x=alt.datum(1), text="figures:N"
    )
    chart = alt.layer(bars, name, figures).properties(
        title=alt.Title(["Councils sharing services", f"by region, {edition}"], anchor="start"),
        height=alt.Step(2.6 * BAR_SIZE),
        description="Councils sharing services in each region: "
        + "; ".join(f"{r} {f}" for r, f in zip(frame["Region"], frame["figures"], strict=True)),
    )
    return chart.configure_title(fontSize=TITLE_SIZE).configure_text(fontSize=FONT_SIZE)


def regions_table(rows: list[dict]) -> pd.DataFrame:
    """Return the regions as a table to read out: councils, councils sharing and the share."""
    return pd.DataFrame(
        {
            "Region": [r["region"] for r in rows],
            IN_REGION: [r["councils"] for r in rows],
            SHARING: [r["sharing"] for r in rows],
            "Share": [f"{r['share']:.0%}" for r in rows],
        }
    )


def categories_frame(rows: list[dict]) -> pd.DataFrame:
    """Return the service categories with their arrangements and savings, for the charts."""
    return pd.DataFrame(
        {
            "Category": [r["category"] for r in rows],
            "Arrangements": [r["arrangements"] for r in rows],
            "Savings": [r["savings_gbp"] for r in rows],
            "Efficiency savings": [format_money(r["savings_gbp"]) for r in rows],
            "Savings not reported": [r["savings_not_reported"] for r in rows],
        }
    )


def categories_table(rows: list[dict]) -> pd.DataFrame:
    """Return the service categories as a table to read out, money as the report writes it."""
    return categories_frame(rows).drop(columns="Savings")


def arrangements_by_category(rows: list[dict], *, edition: str) -> alt.Chart:
    """Return a bar per service category of how many arrangements it has."""
    return bar(
        categories_frame(rows),
        category="Category",
        value="Arrangements",
        title=f"Arrangements by service category, {edition}",
        value_title="Arrangements",
        tooltip=["Category", "Arrangements", "Efficiency savings", "Savings not reported"],
    )


def savings_by_category(rows: list[dict], *, edition: str) -> alt.Chart:
    """Return a bar per service category of the efficiency savings its arrangements report."""
    return bar(
        categories_frame(rows),
        category="Category",
        value="Savings",
        title=f"Efficiency savings by service category, {edition}",
        value_title="Efficiency savings",
        money=True,
        tooltip=["Category", "Efficiency savings", "Savings not reported", "Arrangements"],
    )


def edition_markers(editions: list[dict], *, uploads: list[dict], meetings: list) -> list[dict]:
    """Return the uploads and meetings to mark on the savings over map editions."""
    if not editions:
        return []
    return annotations.markers(
        uploads=uploads,
        meetings=meetings,
        dated={e["as_at"]: e["as_at"] for e in editions},
        start=editions[0]["as_at"],
        end=editions[-1]["as_at"],
    )


def savings_over_editions(editions: list[dict], *, markers: list[dict] = ()) -> alt.Chart:
    """Return a line of the efficiency savings in each map edition, uploads and meetings
    marked."""
    frame = pd.DataFrame(
        {
            "as_at": [e["as_at"] for e in editions],
            "edition": [format_iso_date(e["as_at"]) for e in editions],
            "savings_gbp": [e["savings_gbp"] for e in editions],
            "shown": [format_money(e["savings_gbp"]) for e in editions],
            "councils": [e["councils"] for e in editions],
            "arrangements": [e["arrangements"] for e in editions],
        }
    )
    return annotations.dated_line(
        frame,
        x="as_at",
        # The axis names what its dates are: "Map of" alone read as a title cut short.
        x_title="Date of the map edition",
        y=alt.Y("savings_gbp:Q", axis=money_axis("Efficiency savings"), scale=alt.Scale(zero=True)),
        tooltip=[
            alt.Tooltip("edition:N", title="Map of"),
            alt.Tooltip("shown:N", title="Efficiency savings"),
            alt.Tooltip("councils:Q", title="Councils sharing", format=","),
            alt.Tooltip("arrangements:Q", title="Arrangements", format=","),
        ],
        title="Efficiency savings in each edition of the map",
        markers=markers,
        height=440,
    )


def editions_table(editions: list[dict]) -> pd.DataFrame:
    """Return each map edition's savings, councils and arrangements as a table to read out."""
    return pd.DataFrame(
        {
            "Map of": [format_iso_date(e["as_at"]) for e in editions],
            "Efficiency savings": [format_money(e["savings_gbp"]) for e in editions],
            "Councils sharing services": [e["councils"] for e in editions],
            "Arrangements": [e["arrangements"] for e in editions],
        }
    )


def headline_figures(edition: dict, *, previous: dict | None, register: int) -> list[tuple]:
    """Return an edition's headline figures as (label, value, change from the edition before)."""
    figures = [
        ("Councils sharing services", "councils", format_count),
        ("Shared service arrangements", "arrangements", format_count),
        ("Efficiency savings", "savings_gbp", format_money),
    ]
    shown = [
        (label, show(edition[k]), _change(edition, previous, k, show)) for label, k, show in figures
    ]
    share = edition["share_of_councils"] or 0
    points = None
    if previous and previous["share_of_councils"] is not None:
        before = previous["share_of_councils"]
        points = f"{round((share - before) * 100):+d} points from {before:.0%}"
    return [*shown, (f"Share of the {register} English councils", f"{share:.0%}", points)]


def _change(edition: dict, previous: dict | None, key: str, show) -> str | None:
    if previous is None:
        return None
    diff = edition[key] - previous[key]
    return f"{'+' if diff >= 0 else ''}{show(diff)} from {show(previous[key])}"


def council_figures(found: dict) -> list[tuple]:
    """Return a council's figures: its arrangements, those it leads and their savings."""
    return [
        ("Arrangements", format_count(found["total"]), None),
        ("Arrangements it leads", format_count(found["led"]), None),
        ("Efficiency savings of its arrangements", format_money(found["savings_gbp"]), None),
        ("Savings not reported", format_count(found["savings_not_reported"]), None),
    ]
