"""Keyword-only read functions: headline figures and breakdowns, aggregated in SQL.

One module per workstream; everything is re-exported here, so callers write
`queries.shared_services_editions(engine=engine)`.
"""

import datetime as dt

import sqlalchemy as sa

from lgadata.queries.base import (
    council_count,
    current,
    current_council_links,
    current_uploads,
    data_version,
)
from lgadata.queries.capital_assets import (
    capital_assets_categories,
    capital_assets_council_list,
    capital_assets_councils,
    capital_assets_wave_status,
    capital_assets_year,
    capital_assets_years,
)
from lgadata.queries.ebulletin import bulletin_links, bulletins
from lgadata.queries.history import (
    changed_cells,
    diff_rows,
    download_name,
    history,
    rollback_preview,
    upload_file,
)
from lgadata.queries.programme import (
    deep_dive_totals,
    deep_dives,
    eu_reform_timeline,
    milestone_facets,
    milestones,
)
from lgadata.queries.shared_services import (
    shared_services_arrangements,
    shared_services_categories,
    shared_services_council_figures,
    shared_services_councils,
    shared_services_editions,
    shared_services_links,
    shared_services_partners,
    shared_services_regions,
)
from lgadata.queries.tenancy_fraud import fraud_outcomes, fraud_pilots, fraud_summary
from lgadata.summaries import PROGRAMME_URL_MARK
from lgadata.workstreams import WORKSTREAMS

RECENT_BULLETINS = 5  # the bulletins the headline figures show

__all__ = [
    "PROGRAMME_URL_MARK",
    "RECENT_BULLETINS",
    "bulletin_links",
    "bulletins",
    "capital_assets_categories",
    "capital_assets_council_list",
    "capital_assets_councils",
    "capital_assets_wave_status",
    "capital_assets_year",
    "capital_assets_years",
    "changed_cells",
    "council_count",
    "current",
    "current_council_links",
    "current_uploads",
    "data_version",
    "deep_dive_totals",
    "deep_dives",
    "diff_rows",
    "download_name",
    "edition_figures",
    "eu_reform_timeline",
    "fraud_outcomes",
    "fraud_pilots",
    "fraud_summary",
    "history",
    "metrics",
    "milestone_facets",
    "milestones",
    "rollback_preview",
    "shared_services_arrangements",
    "shared_services_categories",
    "shared_services_council_figures",
    "shared_services_councils",
    "shared_services_editions",
    "shared_services_links",
    "shared_services_partners",
    "shared_services_regions",
    "upload_file",
]


def metrics(*, engine: sa.Engine, today: dt.date | None = None) -> dict:
    """Return the headline figures of every workstream, as plain data."""
    editions = shared_services_editions(engine=engine)
    years = capital_assets_years(engine=engine)
    milestone_rows = milestones(engine=engine, today=today)
    return {
        "data_version": data_version(engine=engine),
        "shared_services": edition_figures(editions),
        "capital_assets": {
            "latest": years[-1] if years else None,
            "years": years,
            "councils": capital_assets_councils(engine=engine),
        },
        "tenancy_fraud": {
            "pilots": fraud_pilots(engine=engine),
            "outcomes": fraud_outcomes(engine=engine),
        },
        "ebulletin": {"bulletins": bulletins(engine=engine, limit=RECENT_BULLETINS)},
        "programme": {
            "milestones": len(milestone_rows),
            "overdue": sum(m["overdue"] for m in milestone_rows),
            "by_status": _count_by(milestone_rows, "status"),
            "deep_dives": deep_dives(engine=engine),
        },
        "workstreams": list(WORKSTREAMS),
    }


def edition_figures(editions: list[dict]) -> dict:
    """Return the Shared Services Map's figures from its editions: the latest, the one before."""
    return {
        "latest": editions[-1] if editions else None,
        "previous": editions[-2] if len(editions) > 1 else None,
        "editions": editions,
    }


def _count_by(rows: list[dict], key: str) -> dict:
    counts: dict = {}
    for row in rows:
        counts[row[key]] = counts.get(row[key], 0) + 1
    return counts
