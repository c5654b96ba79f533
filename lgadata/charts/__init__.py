"""Altair chart builders: data in, chart out, no I/O.

Colours come from the Okabe-Ito palette, which stays distinguishable with the common
forms of colour blindness. Marks carry the colour; text colours and backgrounds are left
to the Streamlit theme, so charts read in the light and the dark theme alike.
"""

import datetime as dt

import altair as alt
import pandas as pd

# Okabe and Ito (2008), "Color Universal Design"; black left out so marks show on dark themes.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
PRIMARY = PALETTE[0]
HIGHLIGHT = PALETTE[1]
FONT_SIZE = 16
TITLE_SIZE = 20


def finish(chart: alt.Chart, *, title: str, height: int = 360) -> alt.Chart:
    """Give a chart its title and sizes readable on a shared screen."""
    return (
        chart.properties(title=alt.Title(title, anchor="start"), height=height)
        .configure_title(fontSize=TITLE_SIZE)
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=360)
        .configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=360)
    )


def month_ticks(start: str, end: str, *, most: int = 12) -> alt.TimeIntervalStep:
    """Return ticks every month, or every few months, so that at most about `most` show."""
    first, last = dt.date.fromisoformat(start[:10]), dt.date.fromisoformat(end[:10])
    months = (last.year - first.year) * 12 + last.month - first.month
    steps = [1, 2, 3, 6, 12, 24, 60, 120]
    step = next((n for n in steps if months / n <= most), steps[-1])
    return alt.TimeIntervalStep(interval="month", step=step)


def money_axis(title: str) -> alt.Axis:
    """Return an axis that labels pounds as £1.2m, £700k."""
    return alt.Axis(title=title, format="~s", labelExpr="'£' + replace(datum.label, 'M', 'm')")


def bar(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    value_title: str,
    money: bool = False,
    colour: str | None = None,
    tooltip: list | None = None,
    sort: str | list = "-x",
) -> alt.Chart:
    """Return a horizontal bar chart: one bar per category, longest first by default."""
    axis = money_axis(value_title) if money else alt.Axis(title=value_title, format=",~d")
    encoding = {
        "y": alt.Y(f"{category}:N", sort=sort, title=None),
        "x": alt.X(f"{value}:Q", axis=axis),
        "tooltip": tooltip or [category, alt.Tooltip(value, format=",.0f")],
    }
    if colour:
        encoding["color"] = alt.Color(
            f"{colour}:N", scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="bottom")
        )
    # Altair refuses mark_bar(color=None): a coloured-by-field bar gives the mark no colour.
    mark = alt.Chart(frame).mark_bar() if colour else alt.Chart(frame).mark_bar(color=PRIMARY)
    chart = mark.encode(**encoding)
    height = max(160, 44 * frame[category].nunique())
    return finish(chart, title=title, height=height)
