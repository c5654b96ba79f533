"""Housing Tenancy Fraud Pilot: the pilot groups and their outcomes."""

import sqlalchemy as sa

from lgadata.models import Council
from lgadata.queries.base import current
from lgadata.settings import get_settings


def fraud_pilots(*, engine: sa.Engine) -> list[dict]:
    """Return each Housing Tenancy Fraud pilot group with its councils, lead first."""
    pilots = current("tenancy_fraud", "Pilots")
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
                },
            )
            group["councils"].insert(0, name) if lead else group["councils"].append(name)
            group["short_names"].insert(0, short) if lead else group["short_names"].append(short)
    return list(groups.values())


def fraud_outcomes(*, engine: sa.Engine) -> dict:
    """Return the pilots' outcomes by quarter and notional savings, with their basis."""
    outcomes = current("tenancy_fraud", "Outcomes")
    query = (
        sa.select(
            outcomes.c.period_key,
            sa.func.sum(outcomes.c.referrals),
            sa.func.sum(outcomes.c.investigations_opened),
            sa.func.sum(outcomes.c.properties_recovered),
            sa.func.sum(outcomes.c.prosecutions),
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
                "referrals": int(referrals or 0),
                "investigations_opened": int(opened or 0),
                "properties_recovered": int(recovered or 0),
                "prosecutions": int(prosecutions or 0),
                "notional_savings_gbp": int(recovered or 0) * value,
            }
            for quarter, referrals, opened, recovered, prosecutions in conn.execute(query)
        ]
    recovered = sum(q["properties_recovered"] for q in quarters)
    return {
        "quarters": quarters,
        "properties_recovered": recovered,
        "notional_savings_gbp": recovered * value,
        "value_per_property_gbp": value,
        "basis": settings.fraud_value_basis,
    }
