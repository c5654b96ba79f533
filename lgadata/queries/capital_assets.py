"""Capital and Assets Programme: budget by financial year, councils by wave."""

import datetime as dt

import sqlalchemy as sa

from lgadata.models import Council
from lgadata.queries.base import current

# What lgadata.queries re-exports (it reads this list from every module here).
__all__ = [
    "capital_assets_categories",
    "capital_assets_council_list",
    "capital_assets_lines",
    "capital_assets_councils",
    "capital_assets_wave_status",
    "capital_assets_year",
    "capital_assets_years",
]


def capital_assets_years(*, engine: sa.Engine, known_at: dt.datetime | None = None) -> list[dict]:
    """Return the Capital and Assets Programme budget by financial year, oldest first."""
    budget = current("capital_assets", "Budget", known_at=known_at)
    secondees = sa.case((budget.c.category == "Secondees", budget.c.budget_gbp), else_=0)
    query = (
        sa.select(
            budget.c.period_key,
            sa.func.sum(budget.c.budget_gbp),
            sa.func.coalesce(sa.func.sum(budget.c.spent_gbp), 0),
            sa.func.sum(secondees),
            sa.func.max(budget.c.upload_id),
        )
        .group_by(budget.c.period_key)
        .order_by(budget.c.period_key)
    )
    with engine.connect() as conn:
        return [
            {
                "financial_year": year,
                "budget_gbp": float(total),
                "spent_gbp": float(spent),
                "spent_share": float(spent) / float(total) if total else None,
                "secondees_gbp": float(second),
                "secondee_share": float(second) / float(total) if total else None,
                "upload_id": upload_id,
            }
            for year, total, spent, second, upload_id in conn.execute(query)
        ]


def capital_assets_year(*, engine: sa.Engine, financial_year: str | None = None) -> dict | None:
    """Return one financial year's budget figures (the latest by default) beside the year before."""
    years = capital_assets_years(engine=engine)
    if financial_year is not None:
        years = [y for y in years if y["financial_year"] <= financial_year]
    if not years or (financial_year is not None and years[-1]["financial_year"] != financial_year):
        return None
    previous = years[-2] if len(years) > 1 else None
    return {
        **years[-1],
        "previous": previous,
        "budget_change_gbp": years[-1]["budget_gbp"] - previous["budget_gbp"] if previous else None,
    }


def capital_assets_lines(*, engine: sa.Engine) -> list[dict]:
    """Return every current budget line: its financial year, budget and spend so far."""
    budget = current("capital_assets", "Budget")
    query = sa.select(
        budget.c.period_key, budget.c.line, budget.c.budget_gbp, budget.c.spent_gbp
    ).order_by(budget.c.period_key, budget.c.row_no)
    with engine.connect() as conn:
        return [
            {"financial_year": year, "line": line, "budget_gbp": budgeted, "spent_gbp": spent}
            for year, line, budgeted, spent in conn.execute(query)
        ]


def capital_assets_categories(*, engine: sa.Engine, financial_year: str) -> list[dict]:
    """Return a financial year's budget and spend by category, largest budget first."""
    budget = current("capital_assets", "Budget")
    total = sa.func.sum(budget.c.budget_gbp)
    query = (
        sa.select(
            budget.c.category,
            total,
            sa.func.coalesce(sa.func.sum(budget.c.spent_gbp), 0),
            sa.func.count(),
        )
        .where(budget.c.period_key == financial_year)
        .group_by(budget.c.category)
        .order_by(total.desc(), budget.c.category)
    )
    with engine.connect() as conn:
        return [
            {
                "category": category,
                "budget_gbp": float(budgeted),
                "spent_gbp": float(spent),
                "lines": lines,
            }
            for category, budgeted, spent, lines in conn.execute(query)
        ]


def capital_assets_councils(*, engine: sa.Engine, known_at: dt.datetime | None = None) -> dict:
    """Return the councils taking part in the Capital and Assets Programme, by wave."""
    councils = current("capital_assets", "Councils", known_at=known_at)
    query = (
        sa.select(
            councils.c.wave,
            sa.func.count(),
            sa.func.sum(sa.case((councils.c.secondee_in_post, 1), else_=0)),
            sa.func.coalesce(sa.func.sum(councils.c.capital_receipts_gbp), 0),
            sa.func.coalesce(sa.func.sum(councils.c.running_cost_savings_gbp), 0),
        )
        .group_by(councils.c.wave)
        .order_by(councils.c.wave)
    )
    with engine.connect() as conn:
        waves = [
            {
                "wave": wave,
                "councils": count,
                "secondees_in_post": int(secondees or 0),
                "capital_receipts_gbp": float(receipts),
                "running_cost_savings_gbp": float(savings),
            }
            for wave, count, secondees, receipts, savings in conn.execute(query)
        ]
    latest = waves[-1] if waves else None
    return {
        "waves": waves,
        "councils": sum(w["councils"] for w in waves),
        "current_wave": latest["wave"] if latest else None,
        "current_wave_councils": latest["councils"] if latest else 0,
        "earlier_waves": len(waves) - 1 if waves else 0,
        "capital_receipts_gbp": sum(w["capital_receipts_gbp"] for w in waves),
        "running_cost_savings_gbp": sum(w["running_cost_savings_gbp"] for w in waves),
    }


def capital_assets_wave_status(*, engine: sa.Engine) -> list[dict]:
    """Return how many councils each wave has in each status, by wave then status."""
    councils = current("capital_assets", "Councils")
    query = (
        sa.select(councils.c.wave, councils.c.status, sa.func.count())
        .group_by(councils.c.wave, councils.c.status)
        .order_by(councils.c.wave, councils.c.status)
    )
    with engine.connect() as conn:
        return [
            {"wave": wave, "status": status or "Not given", "councils": count}
            for wave, status, count in conn.execute(query)
        ]


def capital_assets_council_list(*, engine: sa.Engine, wave: int | None = None) -> list[dict]:
    """Return each participating council with its region and results, by wave then name."""
    councils = current("capital_assets", "Councils")
    query = (
        sa.select(
            Council.official_name.label("council"),
            Council.region,
            councils.c.wave,
            councils.c.status,
            councils.c.secondee_in_post,
            councils.c.capital_receipts_gbp,
            councils.c.running_cost_savings_gbp,
        )
        .join(Council, Council.gss_code == councils.c.council)
        .order_by(councils.c.wave, Council.official_name)
    )
    if wave is not None:
        query = query.where(councils.c.wave == wave)
    with engine.connect() as conn:
        return [
            {**row._asdict(), "secondee_in_post": bool(row.secondee_in_post)}
            for row in conn.execute(query)
        ]
