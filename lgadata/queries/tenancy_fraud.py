"""Housing Tenancy Fraud Pilot: the pilot groups and their outcomes."""

import datetime as dt

import sqlalchemy as sa

from lgadata.models import Council
from lgadata.periods import quarter_label
from lgadata.queries.base import current
from lgadata.settings import get_settings

# What lgadata.queries re-exports (it reads this list from every module here).
__all__ = ["fraud_outcomes", "fraud_pilots", "fraud_summary", "outcomes_over"]

OUTCOME_MEASURES = {
    "referrals": "Referrals",
    "investigations_opened": "Investigations opened",
    "properties_recovered": "Properties recovered",
    "prosecutions": "Prosecutions",
}
# What the pilots have done, by status, for "No outcomes reported yet: <stage>".
STAGES = {
    "Selected": "the pilots have been selected",
    "Initial meeting held": "the pilots have held initial meetings",
    "Live": "the pilots are live",
    "Complete": "the pilots are complete",
}


def fraud_pilots(*, engine: sa.Engine, known_at: dt.datetime | None = None) -> list[dict]:
    """Return each Housing Tenancy Fraud pilot group with its councils, lead first."""
    pilots = current("tenancy_fraud", "Pilots", known_at=known_at)
    query = (
        sa.select(
            pilots.c.pilot,
            pilots.c.status,
            pilots.c.rag,
            pilots.c.next_milestone,
            pilots.c.lead,
            Council.official_name,
            Council.short_name,
        )
        .join(Council, Council.gss_code == pilots.c.council)
        .order_by(pilots.c.row_no)
    )
    groups: dict[str, dict] = {}
    with engine.connect() as conn:
        for pilot, status, rag, milestone, lead, name, short in conn.execute(query):
            group = groups.setdefault(
                pilot,
                {
                    "pilot": pilot,
                    "status": status,
                    "rag": rag,
                    "next_milestone": milestone,
                    "councils": [],
                    "short_names": [],
                    "lead": None,
                },
            )
            if lead and group["lead"] is None:
                group["lead"] = name
                group["councils"].insert(0, name)
                group["short_names"].insert(0, short)
            else:
                group["councils"].append(name)
                group["short_names"].append(short)
    return list(groups.values())


def fraud_summary(*, engine: sa.Engine) -> dict:
    """Return the number of pilot groups and councils, and of pilots at each status."""
    pilots = current("tenancy_fraud", "Pilots")
    totals = sa.select(
        sa.func.count(sa.distinct(pilots.c.pilot)), sa.func.count(sa.distinct(pilots.c.council))
    )
    by_status = (
        sa.select(pilots.c.status, sa.func.count(sa.distinct(pilots.c.pilot)))
        .group_by(pilots.c.status)
        .order_by(pilots.c.status)
    )
    with engine.connect() as conn:
        groups, councils = conn.execute(totals).one()
        statuses = [{"status": s, "pilots": n} for s, n in conn.execute(by_status)]
    return {
        "pilots": groups,
        "councils": councils,
        "statuses": statuses,
        "stage": pilot_stage(statuses),
    }


def pilot_stage(statuses: list[dict]) -> str | None:
    """Return what the pilots have done so far, in words, from their statuses."""
    if not statuses:
        return None
    if len(statuses) == 1:
        return STAGES.get(statuses[0]["status"], f"the pilots are {statuses[0]['status'].lower()}")
    counts = ", ".join(f"{s['pilots']} {s['status'].lower()}" for s in statuses)
    return f"the pilots are at different stages ({counts})"


def fraud_outcomes(*, engine: sa.Engine, known_at: dt.datetime | None = None) -> dict:
    """Return the pilots' outcomes by quarter and notional savings, with their basis."""
    outcomes = current("tenancy_fraud", "Outcomes", known_at=known_at)
    query = (
        sa.select(
            outcomes.c.period_key,
            sa.func.sum(outcomes.c.referrals),
            sa.func.sum(outcomes.c.investigations_opened),
            sa.func.sum(outcomes.c.properties_recovered),
            sa.func.sum(outcomes.c.prosecutions),
            sa.func.count(sa.distinct(outcomes.c.pilot)),
        )
        .group_by(outcomes.c.period_key)
        .order_by(outcomes.c.period_key)
    )
    settings = get_settings()
    value = settings.fraud_value_per_property_gbp
    with engine.connect() as conn:
        quarters = [
            {
                "quarter": quarter,
                "label": quarter_label(quarter),
                "pilots_reporting": reporting,
                "referrals": int(referrals or 0),
                "investigations_opened": int(opened or 0),
                "properties_recovered": int(recovered or 0),
                "prosecutions": int(prosecutions or 0),
                "notional_savings_gbp": int(recovered or 0) * value,
            }
            for quarter, referrals, opened, recovered, prosecutions, reporting in conn.execute(
                query
            )
        ]
    recovered = sum(q["properties_recovered"] for q in quarters)
    return {
        "quarters": quarters,
        **{key: sum(q[key] for q in quarters) for key in OUTCOME_MEASURES},
        "notional_savings_gbp": recovered * value,
        "value_per_property_gbp": value,
        "basis": settings.fraud_value_basis,
    }


def outcomes_over(outcomes: dict, quarters: list[dict]) -> dict:
    """Return the outcomes summed over some of their quarters (those a paper may quote)."""
    keys = (*OUTCOME_MEASURES, "notional_savings_gbp")
    return {
        **outcomes,
        "quarters": quarters,
        **{key: sum(q[key] for q in quarters) for key in keys},
    }
