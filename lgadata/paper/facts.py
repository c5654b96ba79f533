"""The data a board paper quotes, as known on the meeting date, with the uploads it came from."""

import datetime as dt

import sqlalchemy as sa

from lgadata import queries
from lgadata.models import PeriodState
from lgadata.paper.model import Source
from lgadata.periods import dated_by_meeting, financial_year_start
from lgadata.workstreams import (
    EBULLETIN,
    EU_REFORM,
    PROCUREMENT_STRATEGY,
    SHARED_SERVICES,
    TENANCY_FRAUD,
)

CAPITAL_ASSETS = "Capital and Assets Programme"
COMMISSIONING_ACADEMY = "Commissioning Academy"
_EDITIONS = SHARED_SERVICES.sheet("Arrangements")
_BULLETINS = EBULLETIN.sheet("Links")
_QUARTERS = TENANCY_FRAUD.sheet("Outcomes")


def dated_by(
    meeting_date: dt.date, *, editions: list[dict], bulletins: list[dict], outcomes: dict
) -> dict:
    """Return the map editions, bulletins and fraud outcomes dated by the meeting, and the rest.

    The one rule for "periods dated after the meeting are left out", for the paper and the
    figures workbook alike, each period dated as its sheet declares (lgadata.periods): an
    edition by its date, a bulletin by the day it was sent, a quarter by its first day. A
    bulletin without a date cannot be placed after the meeting, so it stays.
    """
    shown_editions = [e for e in editions if dated_by_meeting(_EDITIONS, e["as_at"], meeting_date)]
    shown_bulletins = [
        b for b in bulletins if dated_by_meeting(_BULLETINS, b["sent_on"], meeting_date)
    ]
    quarters = [
        q for q in outcomes["quarters"] if dated_by_meeting(_QUARTERS, q["quarter"], meeting_date)
    ]
    return {
        "editions": shown_editions,
        "bulletins": shown_bulletins,
        "outcomes": queries.outcomes_over(outcomes, quarters),
        "left_out": {
            "editions": [e for e in editions if e not in shown_editions],
            "bulletins": [b for b in bulletins if b not in shown_bulletins],
            "quarters": [q for q in outcomes["quarters"] if q not in quarters],
        },
    }


def gather(*, engine: sa.Engine, meeting_date: dt.date) -> dict:
    """Return every figure the paper quotes, leaving out periods dated after the meeting."""
    dated = dated_by(
        meeting_date,
        editions=queries.shared_services_editions(engine=engine),
        bulletins=queries.bulletins(engine=engine),
        outcomes=queries.fraud_outcomes(engine=engine),
    )
    years = queries.capital_assets_years(engine=engine)
    latest_edition = dated["editions"][-1] if dated["editions"] else None
    # Spend is quoted for the latest year under way by the meeting, not for one yet to start.
    started = [
        y["financial_year"]
        for y in years
        if (financial_year_start(y["financial_year"]) or meeting_date) <= meeting_date
    ]
    spend_year = started[-1] if started else None
    # Figure 1 is the year the text leads on (the newest budget), with what it has spent by
    # the meeting: nothing yet, for a year that has not begun.
    lead_year = years[-1]["financial_year"] if years else None
    lead_categories = (
        queries.capital_assets_categories(engine=engine, financial_year=lead_year)
        if lead_year
        else []
    )
    if lead_year not in started:
        lead_categories = [row | {"spent_gbp": 0} for row in lead_categories]
    return {
        **dated,
        "meeting_date": meeting_date,
        "regions": (
            queries.shared_services_regions(engine=engine, as_at=latest_edition["as_at"])
            if latest_edition
            else []
        ),
        "categories": (
            queries.shared_services_categories(engine=engine, as_at=latest_edition["as_at"])
            if latest_edition
            else []
        ),
        "council_figures": (
            queries.shared_services_council_figures(engine=engine, as_at=latest_edition["as_at"])
            if latest_edition
            else []
        ),
        "register": queries.council_count(engine=engine),
        "years": years,
        "spend_year": spend_year,
        "lead_year": lead_year,
        "year_categories": lead_categories,
        "waves": queries.capital_assets_councils(engine=engine),
        "wave_status": queries.capital_assets_wave_status(engine=engine),
        "pilots": queries.fraud_pilots(engine=engine),
        "fraud_stage": queries.fraud_summary(engine=engine)["stage"],
        "milestones": queries.milestones(engine=engine, today=meeting_date),
        "reform": queries.eu_reform_timeline(engine=engine, today=meeting_date),
        "deep_dives": queries.deep_dives(engine=engine),
        "deep_dive_totals": queries.deep_dive_totals(engine=engine),
        "current_uploads": _by_workstream(current_uploads(engine=engine)),
        **sections_facts(engine=engine, meeting_date=meeting_date),
    }


def sections_facts(*, engine: sa.Engine, meeting_date: dt.date) -> dict:
    """Return each registered section's own facts: what its `facts` returns, or else its
    summary's figures at the meeting under its key, so that a new section needs no edit here."""
    # Imported here: the sections import the paper's writers, which import this module.
    from lgadata.sections import registry

    found = {}
    for section in registry.SECTIONS:
        if section.facts:
            found |= section.facts(engine=engine, meeting_date=meeting_date)
        elif section.summary and section.key == section.summary.workstream:
            found[section.key] = section.summary.figures(engine=engine, today=meeting_date)
    return found


def milestones_of(facts: dict, workstream: str) -> list[dict]:
    """Return the milestones of one programme workstream, by due date."""
    return [m for m in facts["milestones"] if m["workstream"] == workstream]


def procurement_milestones(facts: dict) -> list[dict]:
    """Return the National Procurement Strategy milestones."""
    return milestones_of(facts, PROCUREMENT_STRATEGY)


def reform_milestones(facts: dict) -> list[dict]:
    """Return the EU procurement reform milestones, each with the months since the one before."""
    return [m for m in facts["reform"] if m["workstream"] == EU_REFORM]


CurrentUploads = dict[tuple[str, str], dict[str, int]]


def current_uploads(*, engine: sa.Engine) -> CurrentUploads:
    """Return the upload that holds each period's current rows, by (workstream, sheet)."""
    query = sa.select(
        PeriodState.workstream, PeriodState.sheet, PeriodState.period, PeriodState.upload_id
    ).where(PeriodState.upload_id.is_not(None))
    current: CurrentUploads = {}
    with engine.connect() as conn:
        for workstream, sheet, period, upload_id in conn.execute(query):
            current.setdefault((workstream, sheet), {})[period] = upload_id
    return current


def _by_workstream(current: CurrentUploads) -> dict[str, list[int]]:
    """Return, for each workstream, the uploads that hold its current rows."""
    found: dict[str, set[int]] = {}
    for (workstream, _), periods in current.items():
        found.setdefault(workstream, set()).update(periods.values())
    return {workstream: sorted(ids) for workstream, ids in found.items()}


def uploads_cited(*, engine: sa.Engine, upload_ids: set[int]) -> list[dict]:
    """Return the upload history entries with these ids, oldest first."""
    if not upload_ids:
        return []
    entries = queries.history(engine=engine, limit=None)
    return sorted((e for e in entries if e["id"] in upload_ids), key=lambda e: e["id"])


def sources(*, engine: sa.Engine, upload_ids: set[int]) -> tuple[Source, ...]:
    """Return the uploads with these ids as the paper's sources, oldest first."""
    return tuple(
        Source(
            upload_id=entry["id"],
            workstream=entry["title"],
            filename=entry["file_name"],
            uploaded_by=entry["uploaded_by"],
            uploaded_at=entry["when"],
            sha256=entry["sha256"],
        )
        for entry in uploads_cited(engine=engine, upload_ids=upload_ids)
    )
