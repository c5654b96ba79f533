"""Charts and tables of the Housing Tenancy Fraud Pilot: its groups and outcomes by quarter."""

import altair as alt
import pandas as pd

from lgadata.charts import PALETTE, finish
from lgadata.queries.tenancy_fraud import OUTCOME_MEASURES
from lgadata.values import format_money

# RAG shown as a word and a shape as well as a colour, so it reads without colour vision.
RAG_ICONS = {
    "Red": ":material/error:",
    "Amber": ":material/warning:",
    "Green": ":material/check_circle:",
}
RAG_BADGE_COLOURS = {"Red": "red", "Amber": "orange", "Green": "green"}


def council_lines(pilot: dict) -> list[str]:
    """Return a pilot group's councils, one a line, its lead first and marked as lead."""
    return [
        f"{name} (lead)" if name == pilot.get("lead") and index == 0 else name
        for index, name in enumerate(pilot["councils"])
    ]


def outcomes_by_quarter(quarters: list[dict]) -> alt.Chart:
    """Return bars of each quarter's referrals, investigations, recoveries and prosecutions."""
    labels = list(OUTCOME_MEASURES.values())
    frame = pd.DataFrame(
        [
            {"quarter": q["label"], "measure": label, "count": q[key]}
            for q in quarters
            for key, label in OUTCOME_MEASURES.items()
        ]
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "quarter:N",
                sort=[q["label"] for q in quarters],
                title=None,
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("measure:N", sort=labels),
            y=alt.Y("count:Q", axis=alt.Axis(title="Number", format=",~d")),
            color=alt.Color(
                "measure:N",
                sort=labels,
                scale=alt.Scale(domain=labels, range=PALETTE[: len(labels)]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("quarter:N", title="Quarter"),
                alt.Tooltip("measure:N", title="Outcome"),
                alt.Tooltip("count:Q", title="Number", format=",d"),
            ],
        )
    )
    return finish(chart, title="Pilot outcomes by quarter, all pilot groups", height=480)


def outcomes_table(quarters: list[dict]) -> pd.DataFrame:
    """Return the outcomes by quarter, with their notional savings, as a table."""
    table = {"Quarter": [q["label"] for q in quarters]}
    for key, label in OUTCOME_MEASURES.items():
        table[label] = [q[key] for q in quarters]
    table["Notional savings"] = [format_money(q["notional_savings_gbp"]) for q in quarters]
    table["Pilots reporting"] = [q["pilots_reporting"] for q in quarters]
    return pd.DataFrame(table)
