"""Charts and tables of the Capital and Assets Programme: budget, councils and results by wave."""

import datetime as dt

import altair as alt
import pandas as pd

from lgadata.charts import PALETTE, annotations, finish, money_axis
from lgadata.values import format_date, format_money

# Streamlit fits the whole chart, title, axis and legend included, into the height it is given.
_FURNITURE = 160


def _grouped_bars(
    frame: pd.DataFrame, *, category: str, title: str, value_title: str, sort: list
) -> alt.Chart:
    """Return horizontal bars, one per measure side by side within each category, in pounds."""
    measures = list(dict.fromkeys(frame["measure"]))
    axis = money_axis(value_title)
    axis.tickCount = 8  # at board-screen width the default puts a label every £20k
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort=sort, title=None),
            yOffset=alt.YOffset("measure:N", sort=measures),
            x=alt.X("amount:Q", axis=axis),
            color=alt.Color(
                "measure:N",
                sort=measures,
                scale=alt.Scale(domain=measures, range=PALETTE[: len(measures)]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip(f"{category}:N"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("shown:N", title="Amount"),
            ],
        )
    )
    height = _FURNITURE + 30 * len(measures) * frame[category].nunique()
    return finish(chart, title=title, height=height)


def _long(rows: list[dict], *, category: str, measures: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                category: row[category],
                "measure": label,
                "amount": row[key],
                "shown": format_money(row[key]),
            }
            for row in rows
            for key, label in measures.items()
        ]
    )


def budget_by_category(rows: list[dict], *, financial_year: str) -> alt.Chart:
    """Return bars of each category's budget beside what it has spent, for one year."""
    frame = _long(
        rows, category="category", measures={"budget_gbp": "Budget", "spent_gbp": "Spent"}
    )
    return _grouped_bars(
        frame,
        category="category",
        title=f"Budget and spend by category, {financial_year}",
        value_title="Pounds",
        sort=[row["category"] for row in rows],
    )


def budget_table(rows: list[dict]) -> pd.DataFrame:
    """Return a year's budget and spend by category as the report writes money."""
    return pd.DataFrame(
        {
            "Category": [r["category"] for r in rows],
            "Budget": [format_money(r["budget_gbp"]) for r in rows],
            "Spent": [format_money(r["spent_gbp"]) for r in rows],
            "Share spent": [
                f"{r['spent_gbp'] / r['budget_gbp']:.0%}" if r["budget_gbp"] else "" for r in rows
            ],
        }
    )


def year_start(financial_year: str) -> str:
    """Return the ISO date a financial year such as 2013/14 starts: 1 April 2013."""
    return f"{financial_year[:4]}-04-01"


def year_markers(years: list[dict], *, uploads: list[dict], meetings: list) -> list[dict]:
    """Return the uploads and meetings to mark on the budget over the years; a meeting
    counts until the last year ends."""
    if not years:
        return []
    last = int(years[-1]["financial_year"][:4])
    return annotations.markers(
        uploads=uploads,
        meetings=meetings,
        dated={y["financial_year"]: year_start(y["financial_year"]) for y in years},
        start=year_start(years[0]["financial_year"]),
        end=f"{last + 1}-03-31",
    )


def budget_over_years(years: list[dict], *, markers: list[dict] = ()) -> alt.Chart:
    """Return the budget of each financial year, at the year's start, uploads and meetings
    marked."""
    frame = pd.DataFrame(
        {
            "start": [year_start(y["financial_year"]) for y in years],
            "year": [y["financial_year"] for y in years],
            "budget_gbp": [y["budget_gbp"] for y in years],
            "budget": [format_money(y["budget_gbp"]) for y in years],
            "spent": [format_money(y["spent_gbp"]) for y in years],
        }
    )
    return annotations.dated_line(
        frame,
        x="start",
        x_title="Financial year from",
        y=alt.Y("budget_gbp:Q", axis=money_axis("Budget"), scale=alt.Scale(zero=True)),
        tooltip=[
            alt.Tooltip("year:N", title="Financial year"),
            alt.Tooltip("budget:N", title="Budget"),
            alt.Tooltip("spent:N", title="Spent"),
        ],
        title="Budget by financial year",
        markers=markers,
        height=440,
    )


def years_table(years: list[dict]) -> pd.DataFrame:
    """Return each financial year's budget and spend as a table to read out."""
    return pd.DataFrame(
        {
            "Financial year": [y["financial_year"] for y in years],
            "Budget": [format_money(y["budget_gbp"]) for y in years],
            "Spent": [format_money(y["spent_gbp"]) for y in years],
        }
    )


def councils_by_wave(rows: list[dict]) -> alt.Chart:
    """Return stacked bars of each wave's councils, coloured by status."""
    frame = pd.DataFrame(rows)
    frame["wave_name"] = [f"Wave {w}" for w in frame["wave"]]
    statuses = sorted(set(frame["status"]))
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("wave_name:N", sort=alt.SortField("wave"), title=None),
            x=alt.X("sum(councils):Q", axis=alt.Axis(title="Councils", format=",~d")),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=statuses, range=PALETTE[: len(statuses)]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            order=alt.Order("status:N"),
            tooltip=[
                alt.Tooltip("wave_name:N", title="Wave"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("councils:Q", title="Councils"),
            ],
        )
    )
    height = _FURNITURE + 50 * frame["wave"].nunique()
    return finish(chart, title="Participating councils by wave and status", height=height)


def wave_status_table(rows: list[dict]) -> pd.DataFrame:
    """Return the count of councils by wave and status as a table."""
    return pd.DataFrame(
        {
            "Wave": [r["wave"] for r in rows],
            "Status": [r["status"] for r in rows],
            "Councils": [r["councils"] for r in rows],
        }
    )


def council_table(rows: list[dict]) -> pd.DataFrame:
    """Return the participating councils, one row each, as the board reads them."""
    return pd.DataFrame(
        {
            "Council": [r["council"] for r in rows],
            "Region": [r["region"] for r in rows],
            "Wave": [r["wave"] for r in rows],
            "Status": [r["status"] or "" for r in rows],
            "Secondee in post": ["Yes" if r["secondee_in_post"] else "No" for r in rows],
            "Capital receipts": [_money_or_blank(r["capital_receipts_gbp"]) for r in rows],
            "Running-cost savings": [_money_or_blank(r["running_cost_savings_gbp"]) for r in rows],
        }
    )


def _money_or_blank(amount: float | None) -> str:
    # A council whose wave is under way has nothing to report yet: a blank, not "not reported".
    return "" if amount is None else format_money(amount)


def results_by_wave(waves: list[dict]) -> alt.Chart:
    """Return bars of each wave's capital receipts beside its running-cost savings."""
    rows = [{**w, "wave_name": f"Wave {w['wave']}"} for w in waves]
    frame = _long(
        rows,
        category="wave_name",
        measures={
            "capital_receipts_gbp": "Capital receipts",
            "running_cost_savings_gbp": "Running-cost savings",
        },
    )
    return _grouped_bars(
        frame,
        category="wave_name",
        title="Capital receipts and running-cost savings by wave",
        value_title="Pounds",
        sort=[row["wave_name"] for row in rows],
    )


def results_table(waves: list[dict]) -> pd.DataFrame:
    """Return each wave's councils, capital receipts and running-cost savings as a table."""
    return pd.DataFrame(
        {
            "Wave": [w["wave"] for w in waves],
            "Councils": [w["councils"] for w in waves],
            "Capital receipts": [format_money(w["capital_receipts_gbp"]) for w in waves],
            "Running-cost savings": [format_money(w["running_cost_savings_gbp"]) for w in waves],
        }
    )


def milestone_table(rows: list[dict]) -> pd.DataFrame:
    """Return milestones with their due dates as the report writes them, flagging overdue ones."""
    return pd.DataFrame(
        {
            "Milestone": [r["milestone"] for r in rows],
            "Due": [format_date(dt.date.fromisoformat(r["due"])) for r in rows],
            "Status": [
                f"{r['status'] or 'Not given'} (overdue)" if r["overdue"] else r["status"] or ""
                for r in rows
            ],
            "Owner": [r["owner"] or "" for r in rows],
        }
    )
