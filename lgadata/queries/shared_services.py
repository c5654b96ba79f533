"""Shared Services Map: councils sharing, arrangements and savings per edition.

Within one edition every current row comes from the same upload (period_state holds one
upload per period), so a row is identified by its edition and row number alone.
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from lgadata.models import Council
from lgadata.queries.base import as_date, council_count, current, current_council_links

# What lgadata.queries re-exports (it reads this list from every module here).
__all__ = [
    "shared_services_arrangements",
    "shared_services_categories",
    "shared_services_council_figures",
    "shared_services_councils",
    "shared_services_editions",
    "shared_services_links",
    "shared_services_partners",
    "shared_services_regions",
]

WORKSTREAM, SHEET = "shared_services", "Arrangements"
LEAD, PARTNERS = "lead_council", "partner_councils"
COUNCIL = Council.__table__


def shared_services_editions(
    *, engine: sa.Engine, known_at: dt.datetime | None = None
) -> list[dict]:
    """Return each Shared Services Map edition's totals, oldest first."""
    rows = current(WORKSTREAM, SHEET, known_at=known_at)
    links = current_council_links(WORKSTREAM, SHEET, known_at=known_at)
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


def shared_services_regions(*, engine: sa.Engine, as_at: str) -> list[dict]:
    """Return each region's councils and how many of them share services in an edition."""
    links = current_council_links(WORKSTREAM, SHEET)
    sharing = (
        sa.select(COUNCIL.c.region, sa.func.count(sa.distinct(links.c.gss_code)).label("sharing"))
        .join(COUNCIL, COUNCIL.c.gss_code == links.c.gss_code)
        .where(links.c.period_key == as_at)
        .group_by(COUNCIL.c.region)
        .subquery("sharing")
    )
    register = (
        sa.select(COUNCIL.c.region, sa.func.count().label("councils"))
        .group_by(COUNCIL.c.region)
        .subquery("register")
    )
    query = (
        sa.select(register.c.region, register.c.councils, sa.func.coalesce(sharing.c.sharing, 0))
        .outerjoin(sharing, sharing.c.region == register.c.region)
        .order_by(register.c.region)
    )
    with engine.connect() as conn:
        return [
            {
                "region": region,
                "councils": councils,
                "sharing": sharing,
                "share": sharing / councils,
            }
            for region, councils, sharing in conn.execute(query)
        ]


def shared_services_categories(*, engine: sa.Engine, as_at: str) -> list[dict]:
    """Return the arrangements and savings of each service category in an edition."""
    rows = current(WORKSTREAM, SHEET)
    query = (
        sa.select(
            rows.c.category,
            sa.func.count().label("arrangements"),
            sa.func.coalesce(sa.func.sum(rows.c.savings_gbp), 0),
            sa.func.count(rows.c.savings_gbp),
        )
        .where(rows.c.period_key == as_at)
        .group_by(rows.c.category)
        .order_by(sa.desc("arrangements"), rows.c.category)
    )
    with engine.connect() as conn:
        return [
            {
                "category": category,
                "arrangements": arrangements,
                "savings_gbp": float(savings),
                "savings_not_reported": arrangements - with_savings,
            }
            for category, arrangements, savings, with_savings in conn.execute(query)
        ]


def shared_services_councils(*, engine: sa.Engine, as_at: str) -> list[dict]:
    """Return every council in the register and how many arrangements it is in, by name."""
    links = current_council_links(WORKSTREAM, SHEET)
    in_edition = sa.and_(links.c.gss_code == COUNCIL.c.gss_code, links.c.period_key == as_at)
    query = (
        sa.select(
            COUNCIL.c.gss_code,
            COUNCIL.c.short_name,
            COUNCIL.c.region,
            sa.func.count(sa.distinct(links.c.row_no)),
        )
        .outerjoin(links, in_edition)
        .group_by(COUNCIL.c.gss_code, COUNCIL.c.short_name, COUNCIL.c.region)
        .order_by(COUNCIL.c.short_name)
    )
    with engine.connect() as conn:
        return [
            {"gss_code": code, "name": name, "region": region, "arrangements": arrangements}
            for code, name, region, arrangements in conn.execute(query)
        ]


def shared_services_arrangements(
    *,
    engine: sa.Engine,
    as_at: str,
    region: str | None = None,
    category: str | None = None,
    council: str | None = None,
    search: str | None = None,
    councils: Sequence[str] = (),
    limit: int = 50,
    offset: int = 0,
) -> dict:
    """Return one page of an edition's arrangements that pass the filters, and their totals.

    A council (GSS code) or a region matches an arrangement it leads or is a partner in, as
    do `councils` (any one of them: a metropolitan county's districts, which no region is);
    the search looks for the text in the arrangement's name and its services. `limit=0`
    gives the totals alone.
    """
    rows = current(WORKSTREAM, SHEET)
    links = current_council_links(WORKSTREAM, SHEET)
    where = _filters(
        rows,
        links,
        as_at=as_at,
        region=region,
        category=category,
        council=council,
        search=search,
        councils=councils,
    )
    led = sa.case((rows.c.lead_council == council, 1), else_=0)
    totals = sa.select(
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(rows.c.savings_gbp), 0),
        sa.func.count(rows.c.savings_gbp),
        sa.func.coalesce(sa.func.sum(led), 0),
    ).where(*where)
    lead = COUNCIL.alias("lead")
    page = (
        sa.select(
            rows.c.row_no,
            rows.c.arrangement,
            rows.c.lead_council,
            sa.func.coalesce(lead.c.short_name, rows.c.lead_council),
            rows.c.category,
            rows.c.services,
            rows.c.start_date,
            rows.c.savings_gbp,
            rows.c.savings_note,
            rows.c.status,
        )
        .outerjoin(lead, lead.c.gss_code == rows.c.lead_council)
        .where(*where)
        .order_by(sa.func.lower(rows.c.arrangement), rows.c.row_no)
        .limit(limit)
        .offset(offset)
    )
    with engine.connect() as conn:
        count, savings, with_savings, led_count = conn.execute(totals).one()
        found = conn.execute(page).all()
        partners = _partner_names(conn, links, as_at=as_at, row_nos=[r.row_no for r in found])
    return {
        "total": count,
        "savings_gbp": float(savings),
        "savings_not_reported": count - with_savings,
        "led": int(led_count) if council else None,
        "rows": [_arrangement(row, partners.get(row[0], []), council) for row in found],
    }


def _filters(
    rows: sa.Subquery,
    links: sa.Subquery,
    *,
    as_at: str,
    region: str | None,
    category: str | None,
    council: str | None,
    search: str | None,
    councils: Sequence[str] = (),
) -> list[sa.ColumnElement]:
    where = [rows.c.period_key == as_at]
    partners = sa.select(links.c.row_no).where(
        links.c.period_key == as_at, links.c.column_name == PARTNERS
    )
    # Each filter reads "leads it, or is a partner in it". Said with OR, the partner subquery
    # is hashed once on PostgreSQL; as a bare IN it became a semi-join that, on rows not yet
    # analysed after an upload, was planned as a nested loop and took minutes on 10,000 rows.
    if council:
        is_partner = rows.c.row_no.in_(partners.where(links.c.gss_code == council))
        where.append(sa.or_(rows.c.lead_council == council, is_partner))
    if region:
        in_region = sa.select(COUNCIL.c.gss_code).where(COUNCIL.c.region == region)
        partner_in_region = partners.join(COUNCIL, COUNCIL.c.gss_code == links.c.gss_code).where(
            COUNCIL.c.region == region
        )
        where.append(
            sa.or_(rows.c.lead_council.in_(in_region), rows.c.row_no.in_(partner_in_region))
        )
    if councils:
        is_partner = rows.c.row_no.in_(partners.where(links.c.gss_code.in_(list(councils))))
        where.append(sa.or_(rows.c.lead_council.in_(list(councils)), is_partner))
    if category:
        where.append(rows.c.category == category)
    if search and search.strip():
        term = search.strip()
        where.append(
            sa.or_(
                rows.c.arrangement.icontains(term, autoescape=True),
                rows.c.services.icontains(term, autoescape=True),
            )
        )
    return where


def _partner_names(
    conn: sa.Connection, links: sa.Subquery, *, as_at: str, row_nos: list[int]
) -> dict[int, list[str]]:
    if not row_nos:
        return {}
    query = (
        sa.select(links.c.row_no, sa.func.coalesce(COUNCIL.c.short_name, links.c.gss_code))
        .outerjoin(COUNCIL, COUNCIL.c.gss_code == links.c.gss_code)
        .where(
            links.c.period_key == as_at,
            links.c.column_name == PARTNERS,
            links.c.row_no.in_(row_nos),
        )
        .order_by(links.c.row_no, COUNCIL.c.short_name)
    )
    names: dict[int, list[str]] = {}
    for row_no, name in conn.execute(query):
        names.setdefault(row_no, []).append(name)
    return names


def _arrangement(row: sa.Row, partners: list[str], council: str | None) -> dict:
    (_, name, lead_code, lead_name, category, services, start, savings, note, status) = row
    return {
        "arrangement": name,
        "lead_council": lead_name,
        "partner_councils": partners,
        "category": category,
        "services": services,
        "start_date": as_date(start) if start is not None else None,
        "savings_gbp": None if savings is None else float(savings),
        "savings_note": note,
        "status": status,
        "role": ("Lead" if lead_code == council else "Partner") if council else None,
    }


def shared_services_council_figures(*, engine: sa.Engine, as_at: str) -> list[dict]:
    """Return every council's figures in an edition: arrangements, those it leads, savings.

    A council's savings are those of every arrangement it leads or is a partner in, as the
    page's "A council's arrangements" view adds them up; its partners are the other councils
    of those arrangements.
    """
    rows = current(WORKSTREAM, SHEET)
    member = _members(as_at)
    edition = sa.select(rows.c.row_no, rows.c.lead_council, rows.c.savings_gbp).where(
        rows.c.period_key == as_at
    )
    councils = sa.select(
        COUNCIL.c.gss_code, COUNCIL.c.short_name, COUNCIL.c.region, COUNCIL.c.type
    ).order_by(COUNCIL.c.short_name)
    # The edition's rows and its (council, row) pairs are read as they are and added up
    # here: joined by row number in SQL (which no index holds), SQLite looped over every
    # pair for each pair, a second at 1,000 arrangements; here it is a few milliseconds.
    with engine.connect() as conn:
        arrangements = {row_no: (lead, savings) for row_no, lead, savings in conn.execute(edition)}
        pairs = [(code, row_no) for code, row_no in conn.execute(sa.select(member))]
        register = conn.execute(councils).all()
    members: dict[int, set[str]] = {}
    for code, row_no in pairs:
        members.setdefault(row_no, set()).add(code)
    partners: dict[str, set[str]] = {}
    totals: dict[str, list] = {}  # code: [arrangements, led, savings, with savings]
    for code, row_no in pairs:
        partners.setdefault(code, set()).update(members[row_no])
        if row_no not in arrangements:
            continue
        lead, savings = arrangements[row_no]
        found = totals.setdefault(code, [0, 0, 0.0, 0])
        found[0] += 1
        found[1] += lead == code
        if savings is not None:
            found[2] += savings
            found[3] += 1
    figures = []
    for code, name, region, kind in register:
        count, led, savings, with_savings = totals.get(code, (0, 0, 0.0, 0))
        figures.append(
            {
                "gss_code": code,
                "name": name,
                "region": region,
                "type": kind,
                "sharing": count > 0,
                "arrangements": count,
                "led": int(led),
                "savings_gbp": float(savings),
                "savings_not_reported": count - with_savings,
                "partners": len(partners.get(code, set()) - {code}),
            }
        )
    return figures


def shared_services_partners(*, engine: sa.Engine, as_at: str, council: str) -> list[str]:
    """Return the GSS codes of the councils that share an arrangement with a council."""
    member, other = _members(as_at), _members(as_at).alias("other")
    query = (
        sa.select(sa.distinct(other.c.gss_code))
        .join(member, member.c.row_no == other.c.row_no)
        .where(member.c.gss_code == council, other.c.gss_code != council)
        .order_by(other.c.gss_code)
    )
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def shared_services_links(
    *, engine: sa.Engine, as_at: str, region: str | None = None, category: str | None = None
) -> list[dict]:
    """Return each lead council and partner joined by the arrangements that pass the filters.

    One row per (lead, partner) pair, with how many of the arrangements join them: the lines
    of the map's networks. The region filter is the arrangements list's own.
    """
    rows = current(WORKSTREAM, SHEET)
    links = current_council_links(WORKSTREAM, SHEET)
    where = _filters(
        rows, links, as_at=as_at, region=region, category=category, council=None, search=None
    )
    query = (
        sa.select(rows.c.lead_council, links.c.gss_code, sa.func.count())
        .join(links, sa.and_(links.c.row_no == rows.c.row_no, links.c.period_key == as_at))
        .where(*where, links.c.column_name == PARTNERS, links.c.gss_code != rows.c.lead_council)
        .group_by(rows.c.lead_council, links.c.gss_code)
        .order_by(rows.c.lead_council, links.c.gss_code)
    )
    with engine.connect() as conn:
        return [
            {"lead": lead, "partner": partner, "arrangements": count}
            for lead, partner, count in conn.execute(query)
        ]


def _members(as_at: str) -> sa.Subquery:
    """Return each (council, arrangement) of an edition once, lead or partner."""
    links = current_council_links(WORKSTREAM, SHEET)
    query = sa.select(links.c.gss_code, links.c.row_no).where(links.c.period_key == as_at)
    return query.distinct().subquery("member")
