"""The data a board paper quotes, as known on the meeting date, with the uploads it came from."""

import datetime as dt
import re

import sqlalchemy as sa

from lgadata import queries
from lgadata.models import PeriodState, Upload
from lgadata.paper.model import Source
from lgadata.queries.base import as_date
from lgadata.queries.history import format_when
from lgadata.queries.programme import EU_REFORM, PROCUREMENT_STRATEGY
from lgadata.queries.tenancy_fraud import OUTCOME_MEASURES
from lgadata.workstreams import WORKSTREAMS

CAPITAL_ASSETS = "Capital and Assets Programme"
COMMISSIONING_ACADEMY = "Commissioning Academy"
_FINANCIAL_YEAR = re.compile(r"^(\d{4})/")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def financial_year_start(year: str) -> dt.date | None:
    """Return the 1 April a financial year such as '2013/14' starts on, or None if unreadable."""
    match = _FINANCIAL_YEAR.match(year or "")
    return dt.date(int(match.group(1)), 4, 1) if match else None


def quarter_start(quarter: str) -> dt.date | None:
    """Return the first day of a calendar quarter such as '2013-Q2', or None if unreadable."""
    match = _QUARTER.match(quarter or "")
    if not match:
        return None
    return dt.date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1)


def gather(*, engine: sa.Engine, meeting_date: dt.date) -> dict:
    """Return every figure the paper quotes, leaving out periods dated after the meeting."""
    editions = queries.shared_services_editions(engine=engine)
    all_bulletins = queries.bulletins(engine=engine)
    outcomes = queries.fraud_outcomes(engine=engine)
    milestones = queries.milestones(engine=engine, today=meeting_date)
    shown_editions = [e for e in editions if as_date(e["as_at"]) <= meeting_date]
    shown_bulletins = [
        b for b in all_bulletins if b["sent_on"] is None or as_date(b["sent_on"]) <= meeting_date
    ]
    quarters = [
        q
        for q in outcomes["quarters"]
        if (quarter_start(q["quarter"]) or meeting_date) <= meeting_date
    ]
    years = queries.capital_assets_years(engine=engine)
    latest_edition = shown_editions[-1] if shown_editions else None
    # Spend is charted for the latest year under way by the meeting, not for one yet to start.
    started = [
        y["financial_year"]
        for y in years
        if (financial_year_start(y["financial_year"]) or meeting_date) <= meeting_date
    ]
    spend_year = started[-1] if started else None
    return {
        "meeting_date": meeting_date,
        "editions": shown_editions,
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
        "register": queries.council_count(engine=engine),
        "years": years,
        "spend_year": spend_year,
        "year_categories": (
            queries.capital_assets_categories(engine=engine, financial_year=spend_year)
            if spend_year
            else []
        ),
        "waves": queries.capital_assets_councils(engine=engine),
        "wave_status": queries.capital_assets_wave_status(engine=engine),
        "pilots": queries.fraud_pilots(engine=engine),
        "fraud_stage": queries.fraud_summary(engine=engine)["stage"],
        "outcomes": _totals(outcomes, quarters),
        "bulletins": shown_bulletins,
        "milestones": milestones,
        "reform": queries.eu_reform_timeline(engine=engine, today=meeting_date),
        "deep_dives": queries.deep_dives(engine=engine),
        "deep_dive_totals": queries.deep_dive_totals(engine=engine),
        "left_out": {
            "editions": [e for e in editions if e not in shown_editions],
            "bulletins": [b for b in all_bulletins if b not in shown_bulletins],
            "quarters": [q for q in outcomes["quarters"] if q not in quarters],
        },
        "current_uploads": _current_uploads(engine),
    }


def _totals(outcomes: dict, quarters: list[dict]) -> dict:
    """Return the outcomes summed over the quarters the paper may quote."""
    keys = (*OUTCOME_MEASURES, "notional_savings_gbp")
    return {
        **outcomes,
        "quarters": quarters,
        **{key: sum(q[key] for q in quarters) for key in keys},
    }


def milestones_of(facts: dict, workstream: str) -> list[dict]:
    """Return the milestones of one programme workstream, by due date."""
    return [m for m in facts["milestones"] if m["workstream"] == workstream]


def procurement_milestones(facts: dict) -> list[dict]:
    """Return the National Procurement Strategy milestones."""
    return milestones_of(facts, PROCUREMENT_STRATEGY)


def reform_milestones(facts: dict) -> list[dict]:
    """Return the EU procurement reform milestones, each with the months since the one before."""
    return [m for m in facts["reform"] if m["workstream"] == EU_REFORM]


def _current_uploads(engine: sa.Engine) -> dict[str, list[int]]:
    """Return, for each workstream, the uploads that hold its current rows."""
    query = (
        sa.select(PeriodState.workstream, PeriodState.upload_id)
        .where(PeriodState.upload_id.is_not(None))
        .distinct()
        .order_by(PeriodState.workstream, PeriodState.upload_id)
    )
    found: dict[str, list[int]] = {}
    with engine.connect() as conn:
        for workstream, upload_id in conn.execute(query):
            found.setdefault(workstream, []).append(upload_id)
    return found


def sources(*, engine: sa.Engine, upload_ids: set[int]) -> tuple[Source, ...]:
    """Return the uploads with these ids as the paper's sources, oldest first."""
    if not upload_ids:
        return ()
    query = sa.select(Upload).where(Upload.id.in_(sorted(upload_ids))).order_by(Upload.id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return tuple(
        Source(
            upload_id=row.id,
            workstream=WORKSTREAMS[row.workstream].title
            if row.workstream in WORKSTREAMS
            else row.workstream,
            filename=row.file_name,
            uploaded_by=row.uploaded_by,
            uploaded_at=format_when(row.uploaded_at),
            sha256=row.sha256,
        )
        for row in rows
    )
