"""The figures and wording the samples are built from, mostly the board report's.

Tables are written a row a line, cells separated by " | ", to read like the sheets.
"""

import datetime as dt

from lgadata.workstreams import SHARED_SERVICE_CATEGORIES

# Each Shared Services Map edition: (as_at, arrangements, councils sharing, savings in £k).
EDITIONS = ((dt.date(2011, 11, 30), 170, 220, 165_000), (dt.date(2013, 1, 31), 325, 337, 278_000))


def table(text: str) -> list[list[str]]:
    """Return the rows of a table written a row a line, cells separated by " | "."""
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


WEIGHTS = dict(
    zip(SHARED_SERVICE_CATEGORIES, (14, 10, 8, 9, 7, 7, 9, 6, 6, 4, 4, 4, 8, 4), strict=True)
)
PHRASES = table("""
Back office and ICT | shared ICT service | ICT infrastructure, service desk and applications
Back office and ICT | shared back office | Finance, exchequer and ICT support
Revenues and benefits | shared revenues and benefits | Council tax, business rates and benefits
Revenues and benefits | revenues and benefits partnership | Council tax and business rates recovery
Legal | shared legal service | Legal advice, litigation, property and contracts work
Legal | legal partnership | Legal advice and committee services
Audit and fraud | internal audit partnership | Internal audit and risk management
Audit and fraud | counter-fraud partnership | Benefit and corporate fraud investigation
HR and payroll | HR and payroll partnership | Payroll, HR advice and recruitment administration
HR and payroll | shared payroll service | Payroll and pensions administration
Procurement | procurement partnership | Category management, tendering and contract management
Procurement | joint procurement service | Joint tendering of common goods and services
Environment, transport and waste | waste partnership | Joint waste collection and recycling
Environment, transport and waste | shared parking service | Parking enforcement and car parks
Planning and building control | building control partnership | Building control and land charges
Planning and building control | shared planning policy team | Local plan policy and enforcement
Regulatory services | regulatory services partnership | Environmental health and trading standards
Regulatory services | shared licensing service | Taxi, alcohol and entertainment licensing
Adult social care | adult social care | Joint management and commissioning of adult social care
Adult social care | joint care commissioning | Joint commissioning of home and residential care
Children's services | children's services | Fostering, adoption and youth offending services
Children's services | fostering and adoption service | Shared fostering and adoption service
Culture, leisure and tourism | leisure trust | Leisure centres and sports development
Culture, leisure and tourism | shared library service | Libraries and heritage services
Management teams | shared management team | Shared chief executive and senior management team
Management teams | joint chief executive | Joint chief executive and directors
Other | emergency planning partnership | Emergency planning and business continuity
Other | shared CCTV service | CCTV monitoring and community safety
""")
# Arrangements named in full, with the edition they first appear in; their councils below.
FEATURED = table("""
2011 | 2010-10-01 | Back office and ICT | LGSS
2011 | 2008-04-01 | Management teams | Adur and Worthing shared services
2011 | 2010-06-01 | Management teams | South Holland and Breckland shared management team
2011 | 2009-04-01 | Revenues and benefits | Gloucestershire shared revenues and benefits
2011 | 2009-10-01 | Procurement | Lincolnshire Procurement Partnership
2013 | 2012-04-01 | Adult social care | Tri-borough adult social care
2013 | 2012-04-01 | Children's services | Tri-borough children's services
2013 | 2012-04-01 | HR and payroll | GO Shared Services
""")
FEATURED_COUNCILS = {
    "LGSS": "Northamptonshire CC; Cambridgeshire County Council",
    "Adur and Worthing shared services": "Worthing BC; Adur DC",
    "South Holland and Breckland shared management team": "Breckland DC; South Holland DC",
    "Gloucestershire shared revenues and benefits": "Stroud DC; Gloucester City; Tewkesbury BC",
    "Lincolnshire Procurement Partnership": (
        "Lincolnshire County Council; City of Lincoln; North Kesteven DC; West Lindsey DC"
    ),
    "Tri-borough adult social care": "Westminster City Council; LB Hammersmith & Fulham; RBKC",
    "Tri-borough children's services": "RBKC; Hammersmith and Fulham; City of Westminster",
    "GO Shared Services": "Cotswold DC; Cheltenham BC; Forest of Dean DC; West Oxfordshire DC",
}
# Councils named elsewhere in the samples are kept among those sharing.
KEEP = "LB Camden; Three Rivers DC; Watford BC; Huntingdonshire DC; Fenland DC; Peterborough"
# ONS numbers districts (E07000nnn) county by county: the first of each county, in the order
# of the counties' codes. Four Hertfordshire districts were renumbered from 240 in 2012.
# fmt: off
FIRST_DISTRICT = (
    4, 8, 26, 32, 40, 48, 61, 66, 78, 84, 95, 105, 117, 129,
    136, 143, 150, 163, 170, 177, 187, 192, 200, 207, 218, 223, 234,
)
# fmt: on
HERTFORDSHIRE, RENUMBERED = "E10000015", 240
FIRST_METROPOLITAN = {
    "Greater Manchester": 1,
    "Merseyside": 11,
    "South Yorkshire": 16,
    "Tyne and Wear": 20,
    "West Midlands": 25,
    "West Yorkshire": 32,
}
GATESHEAD = 37  # numbered after the rest, but in Tyne and Wear
# Social care is for upper-tier councils; counties neither collect council tax nor share a
# chief executive with their districts.
UPPER_TIER_ONLY = ("Adult social care", "Children's services")
NOT_COUNTIES = ("Revenues and benefits", "Management teams")


# 2013/14 is the report's (£700,000, half for secondees); 2012/13 and spend are illustrative.
BUDGET = table("""
2012/13 | Secondee placements, wave 3 | Secondees | 180000 | 176500
2012/13 | Secondee travel and expenses | Secondees | 20000 | 18240
2012/13 | Programme manager and support | Programme management | 150000 | 148900
2012/13 | Learning events and network | Events and support | 70000 | 64310
2012/13 | Evaluation and case studies | Other | 30000 | 27750
2013/14 | Secondee placements, wave 4 (12 councils) | Secondees | 300000 | 75000
2013/14 | Secondee travel and expenses | Secondees | 50000 | 9860
2013/14 | Programme manager and support | Programme management | 180000 | 45000
2013/14 | Learning events and network | Events and support | 60000 | 12400
2013/14 | Expert advice and challenge sessions | Events and support | 70000 | 15250
2013/14 | Evaluation and case studies | Other | 40000 | 0
""")
WAVE_SIZES = {1: 11, 2: 10, 3: 12, 4: 12}


# (pilot, RAG, next milestone, councils with the lead first, as officers write them)
PILOTS = (
    (
        "Stroud and Gloucester",
        "Amber",
        "Agree data-sharing protocol",
        "Stroud DC; Gloucester City Council",
    ),
    (
        "Three Rivers and Watford",
        "Green",
        "Agree data matching with housing associations",
        "Three Rivers District Council; Watford BC",
    ),
    (
        "Huntingdonshire, Fenland and Peterborough",
        "Amber",
        "Appoint a pilot lead officer",
        "Huntingdonshire DC; Fenland District Council; Peterborough City Council",
    ),
)


LGA = "https://www.local.gov.uk/"
# Each month's most viewed link, a Productivity Programme page, then the other pages.
TOP_LINKS = table("""
productivity/shared-services-map | Shared Services Map: tell us what you share
productivity/capital-and-assets-pathfinder | Capital and Assets Programme: wave 4 councils
productivity | Productivity Programme: what is new this spring
productivity/commissioning-academy | Commissioning Academy: apply for the next cohort
productivity/tenancy-fraud | Housing tenancy fraud pilots under way
""")
OTHER_LINKS = table("""
community-budgets | Community Budgets: what the pilots found
peer-challenge | Corporate peer challenge
lg-inform | LG Inform: compare your council
leadership-academy | Leadership Academy for councillors
health-and-wellbeing-boards | Health and wellbeing boards
welfare-reform | Preparing for welfare reform
transparency | The local government transparency code
events | LGA events
knowledge-hub | Knowledge Hub
digital-councils | Digital councils
troubled-families | Troubled families programme
sector-led-improvement | Sector-led improvement
localism-act | The Localism Act: what it means for councils
public-health-transfer | Public health transfer
research | LGA research and surveys
""")
SENT_ON = tuple(dt.date(2013, m, d) for m, d in ((1, 24), (2, 21), (3, 21), (4, 25), (5, 23)))


# Milestones as the programme stood on 20 March 2013: (workstream, owner) -> due | status |
# milestone | notes. Dates the report does not give are illustrative.
MILESTONES = {
    ("Capital and Assets Programme", "CAP programme manager"): """
2013-01-22 | Done | Steering committee quarterly meeting
2013-02-12 | Done | Officer group monthly meeting
2013-02-15 | Done | Wave 4 councils announced
2013-03-12 | Done | Officer group monthly meeting
2013-04-23 | Planned | Steering committee quarterly meeting
2013-07-16 | Planned | Steering committee quarterly meeting
2013-12-10 | Planned | Officer group meets monthly to the end of 2013
""",
    ("Commissioning Academy", "Commissioning Academy lead"): """
2013-03-15 | Done | First cohort completes
2013-05-14 | Planned | Second cohort begins
2013-09-17 | Planned | Third cohort begins
2013-12-16 | Planned | Evaluation of the first cohorts published
""",
    ("National Procurement Strategy", "Head of procurement"): """
2013-02-28 | Done | Councils consulted on refreshing the strategy
2013-03-14 | Missed | Refreshed strategy drafted for the board | Moved to May, after the deep dives
2013-09-30 | Planned | Procurement deep dives report | Energy, construction and ICT
2014-07-01 | Planned | Refreshed National Procurement Strategy published
""",
    ("EU procurement reform", "Head of procurement"): """
2013-09-30 | At risk | EU procurement directives agreed | Agreement expected in September 2013
2015-09-30 | Planned | Transposition into UK law | Within 24 months of the directives
""",
    ("Shared Services Map", "Productivity team"): """
2013-02-05 | Done | Shared Services Map refreshed (January 2013 edition)
2013-11-29 | Planned | Next Shared Services Map refresh
""",
    ("Housing Tenancy Fraud Pilot", "Productivity team"): """
2013-03-08 | Done | Initial meetings with the three pilot groups
2013-06-28 | Planned | Data-sharing protocols agreed in all three pilots
""",
    ("Productivity Programme", "Productivity team"): """
2013-03-20 | Done | Programme report to the Improvement and Innovation Board
2014-03-31 | Planned | Productivity Programme business plan for 2014/15
""",
}
# (organisation, category, status, planned spend, next step); spend and steps illustrative.
DEEP_DIVES = (
    (
        "Gloucestershire County Council",
        "Energy",
        "Scoping",
        12_500_000,
        "Agree the scope and the data to share",
    ),
    (
        "Lincolnshire Procurement Partnership",
        "Construction",
        "Spend analysis under way",
        48_000_000,
        "Workshop on the construction pipeline",
    ),
    (
        "London Borough of Camden",
        "ICT",
        "Initial meeting held",
        21_000_000,
        "Review ICT contracts due for renewal",
    ),
)
