"""Programme charts and tables: the milestone timeline, EU reform, procurement deep dives."""

import datetime as dt

import altair as alt
import pandas as pd

from lgadata.charts import PALETTE, finish, month_ticks
from lgadata.values import format_date, format_iso_date, format_money

OVERDUE = "Overdue"
# Status -> (colour, shape). Overdue gets the alarm colour and a shape of its own, so it
# reads without colour too.
MARKS = {
    "Done": (PALETTE[2], "circle"),
    "Planned": (PALETTE[0], "square"),
    "At risk": (PALETTE[1], "triangle-up"),
    "Missed": (PALETTE[3], "cross"),
    OVERDUE: (PALETTE[5], "diamond"),
}
TODAY_COLOUR = PALETTE[4]
_PAD = dt.timedelta(days=31)


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["shown"] = [OVERDUE if r["overdue"] else r["status"] for r in rows]
    frame["due_text"] = [format_iso_date(r["due"]) for r in rows]
    frame["notes"] = frame["notes"].fillna("")
    return frame


def _status_encodings(frame: pd.DataFrame) -> dict:
    shown = set(frame["shown"])
    domain = [s for s in MARKS if s in shown] + sorted(shown - set(MARKS))
    marks = [MARKS.get(s, (PALETTE[6], "circle")) for s in domain]
    legend = alt.Legend(title="Status", orient="bottom")
    colours = alt.Scale(domain=domain, range=[colour for colour, _ in marks])
    shapes = alt.Scale(domain=domain, range=[shape for _, shape in marks])
    return {
        "color": alt.Color("shown:N", scale=colours, legend=legend),
        "shape": alt.Shape("shown:N", scale=shapes, legend=legend),
    }


def _due_axis(domain: list[str]) -> alt.X:
    axis = alt.Axis(format="%b %Y", labelAngle=0, tickCount=month_ticks(*domain))
    return alt.X("due:T", title="Due", scale=alt.Scale(domain=domain), axis=axis)


_TOOLTIP = [
    alt.Tooltip("milestone:N", title="Milestone"),
    alt.Tooltip("workstream:N", title="Workstream"),
    alt.Tooltip("due_text:N", title="Due"),
    alt.Tooltip("status:N", title="Status"),
    alt.Tooltip("owner:N", title="Owner"),
    alt.Tooltip("notes:N", title="Notes"),
]


def _lanes(frame: pd.DataFrame, *, close: int = 45, step: int = 14) -> list[int]:
    # A milestone within `close` days of the one before it in its workstream moves to the
    # next lane (below, above, back on the line), so that neither hides the other.
    cycle, lanes, last = (0, step, -step), [], {}
    for workstream, due in zip(frame["workstream"], pd.to_datetime(frame["due"]), strict=True):
        before = last.get(workstream)
        lane = 0
        if before is not None and (due - before[0]).days < close:
            lane = cycle[(cycle.index(before[1]) + 1) % len(cycle)]
        last[workstream] = (due, lane)
        lanes.append(lane)
    return lanes


def timeline(rows: list[dict], *, today: dt.date, show_today: bool = True) -> alt.Chart:
    """Return every milestone on one timeline by workstream, overdue ones flagged, today ruled.

    The dates run from the first milestone to the last, and on to today when show_today.
    """
    frame = _frame(rows)
    frame["lane"] = _lanes(frame)
    dues = pd.to_datetime(frame["due"]).dt.date
    start, end = min(dues), max(dues)
    if show_today:
        start, end = min(start, today), max(end, today)
    domain = [(start - _PAD).isoformat(), (end + _PAD).isoformat()]
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=260, opacity=0.9)
        .encode(
            x=_due_axis(domain),
            y=alt.Y(
                "workstream:N",
                title=None,
                sort=alt.EncodingSortField(field="due", op="min"),
                scale=alt.Scale(type="point", padding=0.6),
                axis=alt.Axis(grid=True),
            ),
            yOffset=alt.YOffset("lane:Q", scale=None),
            tooltip=_TOOLTIP,
            **_status_encodings(frame),
        )
    )
    chart = points
    if start <= today <= end:
        marker = pd.DataFrame(
            {"due": [today.isoformat()], "label": [f"Today, {format_date(today)}"]}
        )
        rule = alt.Chart(marker).encode(x="due:T")
        # The label sits on the side of the rule with more room, so it is never cut off.
        late = today - start > end - today
        label = rule.mark_text(
            align="right" if late else "left",
            dx=-8 if late else 8,
            baseline="top",
            y=4,
            fontSize=16,
        ).encode(text="label:N")
        chart = (
            rule.mark_rule(color=TODAY_COLOUR, strokeDash=[8, 4], strokeWidth=3) + label + points
        )
    # finish's height is the whole chart: title, axis and legend take about 190 pixels.
    height = 190 + 56 * frame["workstream"].nunique()
    return finish(chart, title="Milestones by workstream and due date", height=height)


def milestones_table(rows: list[dict]) -> pd.DataFrame:
    """Return milestones as the table the board reads."""
    return pd.DataFrame(
        {
            "Due": [format_iso_date(r["due"]) for r in rows],
            "Workstream": [r["workstream"] for r in rows],
            "Milestone": [r["milestone"] for r in rows],
            "Status": [r["status"] for r in rows],
            "Overdue": ["Yes" if r["overdue"] else "No" for r in rows],
            "Owner": [r["owner"] or "" for r in rows],
            "Notes": [r["notes"] or "" for r in rows],
        }
    )


def reform_timeline(rows: list[dict]) -> alt.Chart:
    """Return the EU reform milestones, each with a bar from the one before it and its months."""
    frame = _frame(rows)
    dues = pd.to_datetime(frame["due"])
    since = pd.to_datetime(frame["previous_due"])
    frame["middle"] = (since + (dues - since) / 2).dt.strftime("%Y-%m-%d")
    frame["gap"] = [
        f"{m:.0f} months" if pd.notna(m) else "" for m in frame["months_after_previous"]
    ]
    pad = max(pd.Timedelta(_PAD), (dues.max() - dues.min()) / 8)
    domain = [(dues.min() - pad).date().isoformat(), (dues.max() + pad).date().isoformat()]
    base = alt.Chart(frame).encode(
        y=alt.Y("milestone:N", title=None, sort=alt.EncodingSortField(field="due", op="min"))
    )
    spans = base.transform_filter("isValid(datum.previous_due)")
    x = _due_axis(domain)
    chart = (
        spans.mark_bar(color=PALETTE[4], height=10).encode(
            x=x,
            x2="previous_due:T",
            tooltip=[alt.Tooltip("gap:N", title="After the milestone before")],
        )
        + spans.mark_text(dy=-18, fontSize=16).encode(
            x=alt.X("middle:T", scale=alt.Scale(domain=domain)), text="gap:N"
        )
        + base.mark_point(filled=True, size=300, opacity=1).encode(
            x=x, tooltip=_TOOLTIP, **_status_encodings(frame)
        )
    )
    height = 170 + 90 * len(frame)
    return finish(chart, title="EU procurement reform: agreement to transposition", height=height)


def deep_dives_table(rows: list[dict]) -> pd.DataFrame:
    """Return the deep dives as the table the board reads."""
    return pd.DataFrame(
        {
            "Organisation": [r["organisation"] for r in rows],
            "Category": [r["category"] for r in rows],
            "Status": [r["status"] for r in rows],
            "Planned spend": [format_money(r["planned_spend_gbp"]) for r in rows],
            "Next step": [r["next_step"] for r in rows],
        }
    )
