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


def metrics(
    *, engine: sa.Engine, today: dt.date | None = None, known_at: dt.datetime | None = None
) -> dict:
    """Return the headline figures of every workstream, as plain data (as known at a moment)."""
    # Imported here: the sections draw on these queries, so they load after this package.
    from lgadata.sections import registry

    figures = {"data_version": data_version(engine=engine)}
    for summary in registry.summaries():
        figures[summary.workstream] = summary.figures(engine=engine, today=today, known_at=known_at)
    figures["workstreams"] = list(WORKSTREAMS)
    return figures


def edition_figures(editions: list[dict]) -> dict:
    """Return the Shared Services Map's figures from its editions: the latest, the one before."""
    return {
        "latest": editions[-1] if editions else None,
        "previous": editions[-2] if len(editions) > 1 else None,
        "editions": editions,
    }
