"""Shared Services Map: councils sharing, arrangements and savings per edition."""

import sqlalchemy as sa

from lgadata.queries.base import council_count, current, current_council_links

WORKSTREAM, SHEET = "shared_services", "Arrangements"


def shared_services_editions(*, engine: sa.Engine) -> list[dict]:
    """Return each Shared Services Map edition's totals, oldest first."""
    rows = current(WORKSTREAM, SHEET)
    links = current_council_links(WORKSTREAM, SHEET)
    totals = (
        sa.select(
            rows.c.period_key,
            sa.func.count().label("arrangements"),
            sa.func.coalesce(sa.func.sum(rows.c.savings_gbp), 0).label("savings_gbp"),
            sa.func.count(rows.c.savings_gbp).label("with_savings"),
            sa.func.max(rows.c.upload_id).label("upload_id"),
        )
        .group_by(rows.c.period_key)
        .order_by(rows.c.period_key)
    )
    councils = sa.select(links.c.period_key, sa.func.count(sa.distinct(links.c.gss_code))).group_by(
        links.c.period_key
    )
    register = council_count(engine=engine)
    with engine.connect() as conn:
        by_period = dict(conn.execute(councils).all())
        editions = []
        for period, arrangements, savings, with_savings, upload_id in conn.execute(totals):
            sharing = by_period.get(period, 0)
            editions.append(
                {
                    "as_at": period,
                    "arrangements": arrangements,
                    "councils": sharing,
                    "savings_gbp": float(savings),
                    "savings_not_reported": arrangements - with_savings,
                    "share_of_councils": sharing / register if register else None,
                    "upload_id": upload_id,
                }
            )
    return editions
