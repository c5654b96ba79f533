"""Keyword-only read functions: headline figures and breakdowns, aggregated in SQL."""

import datetime as dt
import json

import sqlalchemy as sa

from lgadata.models import COUNCIL_LINK_TABLES, DATA_TABLES, Council, PeriodState, Upload
from lgadata.settings import get_settings
from lgadata.workstreams import WORKSTREAMS, get_workstream


def current(workstream: str, sheet: str) -> sa.Subquery:
    """Return the current rows of one sheet of a workstream, as a subquery."""
    declared = get_workstream(workstream).sheet(sheet)
    table = DATA_TABLES[declared.table]
    return (
        sa.select(table)
        .join(
            PeriodState,
            sa.and_(
                PeriodState.upload_id == table.c.upload_id,
                PeriodState.period == table.c.period_key,
                PeriodState.workstream == workstream,
                PeriodState.sheet == sheet,
            ),
        )
        .subquery(declared.table)
    )


def data_version(*, engine: sa.Engine) -> int:
    """Return a number that grows with every upload and rollback, for caches and polling."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.max(Upload.id), 0))).scalar_one()


def council_count(*, engine: sa.Engine) -> int:
    """Return how many councils the register holds."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(Council)).scalar_one()


def shared_services_editions(*, engine: sa.Engine) -> list[dict]:
    """Return each Shared Services Map edition's totals, oldest first."""
    rows = current("shared_services", "Arrangements")
    links = COUNCIL_LINK_TABLES[DATA_TABLES["shared_service_arrangement"].name]
    current_links = (
        sa.select(links.c.period_key, links.c.gss_code)
        .join(
            PeriodState,
            sa.and_(
                PeriodState.upload_id == links.c.upload_id,
                PeriodState.period == links.c.period_key,
                PeriodState.workstream == "shared_services",
                PeriodState.sheet == "Arrangements",
            ),
        )
        .subquery()
    )
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
    councils = sa.select(
        current_links.c.period_key, sa.func.count(sa.distinct(current_links.c.gss_code))
    ).group_by(current_links.c.period_key)
    with engine.connect() as conn:
        register = conn.execute(sa.select(sa.func.count()).select_from(Council)).scalar_one()
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


PROGRAMME_URL_MARK = "productivity"


def bulletins(*, engine: sa.Engine, limit: int | None = None) -> list[dict]:
    """Return each bulletin's views and its top URL, newest first."""
    links = current("ebulletin", "Links")
    totals = (
        sa.select(
            links.c.period_key,
            sa.func.max(links.c.sent_on).label("sent_on"),
            sa.func.sum(links.c.views).label("views"),
            sa.func.count().label("links"),
            sa.func.max(links.c.upload_id).label("upload_id"),
        )
        .group_by(links.c.period_key)
        .subquery()
    )
    ranked = sa.select(
        links.c.period_key,
        links.c.url,
        links.c.link_text,
        links.c.views,
        sa.func.row_number()
        .over(partition_by=links.c.period_key, order_by=(links.c.views.desc(), links.c.row_no))
        .label("rank"),
    ).subquery()
    query = (
        sa.select(totals, ranked.c.url, ranked.c.link_text, ranked.c.views.label("top_views"))
        .join(ranked, sa.and_(ranked.c.period_key == totals.c.period_key, ranked.c.rank == 1))
        .order_by(totals.c.sent_on.desc().nulls_last(), totals.c.period_key.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [
            {
                "bulletin": row.period_key,
                "sent_on": _iso(row.sent_on),
                "views": int(row.views or 0),
                "links": row.links,
                "top_url": row.url,
                "top_link_text": row.link_text,
                "top_views": int(row.top_views or 0),
                "top_share": (row.top_views or 0) / row.views if row.views else None,
                "top_is_programme": PROGRAMME_URL_MARK in (row.url or "").casefold(),
                "upload_id": row.upload_id,
            }
            for row in conn.execute(query)
        ]


def milestones(*, engine: sa.Engine, today: dt.date | None = None) -> list[dict]:
    """Return every current milestone by due date, flagging overdue ones."""
    today = today or dt.date.today()
    rows = current("programme", "Milestones")
    query = sa.select(
        rows.c.workstream, rows.c.milestone, rows.c.due, rows.c.status, rows.c.owner, rows.c.notes
    ).order_by(rows.c.due, rows.c.row_no)
    with engine.connect() as conn:
        return [
            {
                **row._asdict(),
                "due": _iso(row.due),
                "overdue": row.status not in ("Done", "Missed") and _date(row.due) < today,
            }
            for row in conn.execute(query)
        ]


def deep_dives(*, engine: sa.Engine) -> list[dict]:
    """Return the current procurement deep dives."""
    rows = current("programme", "Deep dives")
    query = sa.select(
        rows.c.organisation,
        rows.c.category,
        rows.c.status,
        rows.c.planned_spend_gbp,
        rows.c.next_step,
    ).order_by(rows.c.row_no)
    with engine.connect() as conn:
        return [row._asdict() for row in conn.execute(query)]


def history(*, engine: sa.Engine, workstream: str | None = None, limit: int = 200) -> list[dict]:
    """Return uploads and rollbacks, newest first."""
    query = sa.select(Upload).order_by(Upload.id.desc()).limit(limit)
    if workstream:
        query = query.where(Upload.workstream == workstream)
    with engine.connect() as conn:
        return [
            {
                "id": row.id,
                "workstream": row.workstream,
                "version": row.version,
                "kind": row.kind,
                "file_name": row.file_name,
                "sha256": row.sha256,
                "uploaded_by": row.uploaded_by,
                "uploaded_at": row.uploaded_at.isoformat(timespec="seconds"),
                "rows": row.row_count,
                "summary": json.loads(row.summary or "{}"),
                "rolls_back": row.rolls_back,
                "note": row.note,
            }
            for row in conn.execute(query)
        ]


def metrics(*, engine: sa.Engine, today: dt.date | None = None) -> dict:
    """Return the headline figures of every workstream, as plain data."""
    editions = shared_services_editions(engine=engine)
    years = capital_assets_years(engine=engine)
    milestone_rows = milestones(engine=engine, today=today)
    return {
        "data_version": data_version(engine=engine),
        "shared_services": {
            "latest": editions[-1] if editions else None,
            "previous": editions[-2] if len(editions) > 1 else None,
            "editions": editions,
        },
        "capital_assets": {
            "latest": years[-1] if years else None,
            "years": years,
            "councils": capital_assets_councils(engine=engine),
        },
        "tenancy_fraud": {
            "pilots": fraud_pilots(engine=engine),
            "outcomes": fraud_outcomes(engine=engine),
        },
        "ebulletin": {"bulletins": bulletins(engine=engine, limit=5)},
        "programme": {
            "milestones": len(milestone_rows),
            "overdue": sum(m["overdue"] for m in milestone_rows),
            "by_status": _count_by(milestone_rows, "status"),
            "deep_dives": deep_dives(engine=engine),
        },
        "workstreams": list(WORKSTREAMS),
    }


def _count_by(rows: list[dict], key: str) -> dict:
    counts: dict = {}
    for row in rows:
        counts[row[key]] = counts.get(row[key], 0) + 1
    return counts


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value
