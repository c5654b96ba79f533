"""Capital and Assets Programme: budget by financial year, councils by wave."""

import sqlalchemy as sa

from lgadata.queries.base import current


def capital_assets_years(*, engine: sa.Engine) -> list[dict]:
    """Return the Capital and Assets Programme budget by financial year, oldest first."""
    budget = current("capital_assets", "Budget")
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
                "secondees_gbp": float(second),
                "secondee_share": float(second) / float(total) if total else None,
                "upload_id": upload_id,
            }
            for year, total, spent, second, upload_id in conn.execute(query)
        ]


def capital_assets_councils(*, engine: sa.Engine) -> dict:
    """Return the councils taking part in the Capital and Assets Programme, by wave."""
    councils = current("capital_assets", "Councils")
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
    }
