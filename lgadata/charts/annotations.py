"""Uploads and board meetings marked on a time chart, and listed beside its table view.

An upload is marked at the newest period it brought that the chart shows (the edition,
bulletin or financial year whose figure it moved), not at the moment it was sent: the
chart's axis is the periods' dates. A meeting is marked on the day it meets, when that
falls within the chart's dates; one held since the chart's last date is listed in its table,
said to be after it, but not drawn (it would stretch the axis over the years between).
"""

import datetime as dt

import altair as alt
import pandas as pd

from lgadata.charts import PALETTE, PRIMARY, finish, month_ticks
from lgadata.values import format_date

UPLOAD, MEETING = "Upload", "Board meeting"
# Each kind has its own colour and its own dash, so the two read apart without colour too.
_COLOURS = {UPLOAD: PALETTE[5], MEETING: PALETTE[3]}
_DASHES = {UPLOAD: [4, 4], MEETING: [12, 4]}
COLUMNS = ("Date", "Marker", "What", "Reason")


def markers(
    *, uploads: list[dict], meetings: list, dated: dict[str, str], start: str, end: str
) -> list[dict]:
    """Return the chart's markers, oldest first: uploads at the periods they brought, and
    meetings on their day from start up to today, those after end (ISO dates, inclusive)
    marked as not drawn.

    `uploads` are lgadata.queries.history entries; `meetings` are BoardMeetings; `dated`
    maps each period the chart shows to its ISO date on the chart's axis.
    """
    found = []
    for upload in uploads:
        shown = sorted(dated[p] for p in upload["periods"] if p in dated)
        if not shown:
            continue
        # The version, and the upload's number as the paper's sources and the Upload page
        # give it: "Upload 2" was the version, which the paper called upload 6 (the walk).
        verb = "a rollback" if upload["kind"] != "upload" else "uploaded"
        number = f" (upload {upload['id']})" if upload.get("id") is not None else ""
        what = f"Version {upload['version']}{number}, {verb} by {upload['uploaded_by']}, "
        what += upload["when"]
        if upload["file_name"]:
            what += f" ({upload['file_name']})"
        # The reason given for crossing a threshold, else the officer's note for the history.
        reason = upload.get("reason") or upload["note"]
        found.append(_marker(shown[-1], UPLOAD, what, reason))
    today = dt.date.today().isoformat()
    for meeting in meetings:
        on = meeting.meets_on.isoformat()
        if start[:10] <= on <= end[:10]:
            found.append(_marker(on, MEETING, meeting.title, ""))
        elif end[:10] < on <= today:
            after = f"{meeting.title} (after the chart's last date, so not drawn)"
            found.append(_marker(on, MEETING, after, "") | {"drawn": False})
    return sorted(found, key=lambda m: (m["date"], m["kind"]))


def _marker(on: str, kind: str, what: str, reason: str) -> dict:
    day = dt.date.fromisoformat(on[:10])
    return {"date": day.isoformat(), "shown": format_date(day), "kind": kind,
            "what": what, "reason": reason or "", "drawn": True}  # fmt: skip


def layer(chart: alt.Chart, found: list[dict], *, x: str) -> alt.Chart:
    """Return the chart with a rule at each marker it draws, its kind named in a legend below."""
    found = [m for m in found if m["drawn"]]
    if not found:
        return chart
    kinds = [k for k in (UPLOAD, MEETING) if any(m["kind"] == k for m in found)]
    legend = alt.Legend(
        title="Marked on the chart",
        orient="bottom",
        symbolType="stroke",
        symbolStrokeWidth=3,
        symbolSize=600,
    )
    rules = (
        alt.Chart(pd.DataFrame(found))
        .mark_rule(strokeWidth=3, opacity=0.9)
        .encode(
            x=alt.X("date:T", title=x),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=[_COLOURS[k] for k in kinds]),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=[_DASHES[k] for k in kinds]),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("kind:N", title="Marker"),
                alt.Tooltip("shown:N", title="Date"),
                alt.Tooltip("what:N", title="What"),
                alt.Tooltip("reason:N", title="Reason"),
            ],
        )
    )
    return alt.layer(rules, chart)


def markers_table(found: list[dict]) -> pd.DataFrame:
    """Return the markers as the chart's table view lists them."""
    return pd.DataFrame(
        [(m["shown"], m["kind"], m["what"], m["reason"]) for m in found], columns=list(COLUMNS)
    )


def dated_line(
    frame: pd.DataFrame,
    *,
    x: str,
    x_title: str,
    y: alt.Y,
    tooltip: list,
    title: str,
    markers: list[dict] = (),
    height: int = 360,
) -> alt.Chart:
    """Return a line with a point at each date (ISO dates in column x), markers ruled."""
    ticks = month_ticks(min(frame[x]), max(frame[x])) if len(frame) else None
    base = alt.Chart(frame).encode(
        x=alt.X(
            f"{x}:T",
            title=x_title,
            axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=ticks),
            scale=alt.Scale(padding=16),
        ),
        y=y,
        tooltip=tooltip,
    )
    line = base.mark_line(color=PRIMARY, strokeWidth=3) + base.mark_point(
        color=PRIMARY, filled=True, size=90 if len(frame) <= 60 else 20
    )
    return finish(layer(line, list(markers), x=x_title), title=title, height=height)
