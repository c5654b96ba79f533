"""The shipped sample workbooks, built from the figures in the board's report.

`python -m lgadata.samples` rewrites data/samples/. The output is deterministic: the same
code and council register give the same cells and, with fixed times, the same bytes.
Data tables are written a row a line, cells separated by " | ", to read like the sheets.
"""

import datetime as dt
import io
import random
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from lgadata.councils import Council, CouncilRegister, load_register, split_council_list
from lgadata.settings import DATA_DIR
from lgadata.workstreams import SHARED_SERVICE_CATEGORIES, Workstream, get_workstream

SEED = 2013
SAMPLES_DIR = DATA_DIR / "samples"
BUILT_AT = dt.datetime(2013, 3, 20, 9, 0)
NOTICE = (
    "SAMPLE DATA for demonstration. Built from the LGA Improvement and Innovation Board's "
    "Productivity Programme report; arrangement names, splits and per-council figures are "
    "illustrative where the report gives only totals."
)
# Each Shared Services Map edition: (as_at, arrangements, councils sharing, savings in £k).
EDITIONS = ((dt.date(2011, 11, 30), 170, 220, 165_000), (dt.date(2013, 1, 31), 325, 337, 278_000))


def _table(text: str) -> list[list[str]]:
    """Return the rows of a table written a row a line, cells separated by " | "."""
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


_WEIGHTS = dict(
    zip(SHARED_SERVICE_CATEGORIES, (14, 10, 8, 9, 7, 7, 9, 6, 6, 4, 4, 4, 8, 4), strict=True)
)
_PHRASES = _table("""
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
_FEATURED = _table("""
2011 | 2010-10-01 | Back office and ICT | LGSS
2011 | 2008-04-01 | Management teams | Adur and Worthing shared services
2011 | 2010-06-01 | Management teams | South Holland and Breckland shared management team
2011 | 2009-04-01 | Revenues and benefits | Gloucestershire shared revenues and benefits
2011 | 2009-10-01 | Procurement | Lincolnshire Procurement Partnership
2013 | 2012-04-01 | Adult social care | Tri-borough adult social care
2013 | 2012-04-01 | Children's services | Tri-borough children's services
2013 | 2012-04-01 | HR and payroll | GO Shared Services
""")
_FEATURED_COUNCILS = {
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
_KEEP = "LB Camden; Three Rivers DC; Watford BC; Huntingdonshire DC; Fenland DC; Peterborough"
# ONS numbers districts (E07000nnn) county by county: the first of each county, in the order
# of the counties' codes. Four Hertfordshire districts were renumbered from 240 in 2012.
# fmt: off
_FIRST_DISTRICT = (
    4, 8, 26, 32, 40, 48, 61, 66, 78, 84, 95, 105, 117, 129,
    136, 143, 150, 163, 170, 177, 187, 192, 200, 207, 218, 223, 234,
)
# fmt: on
_HERTFORDSHIRE, _RENUMBERED = "E10000015", 240
_FIRST_METROPOLITAN = {
    "Greater Manchester": 1,
    "Merseyside": 11,
    "South Yorkshire": 16,
    "Tyne and Wear": 20,
    "West Midlands": 25,
    "West Yorkshire": 32,
}
_GATESHEAD = 37  # numbered after the rest, but in Tyne and Wear
# Social care is for upper-tier councils; counties neither collect council tax nor share a
# chief executive with their districts.
_UPPER_TIER_ONLY = ("Adult social care", "Children's services")
_NOT_COUNTIES = ("Revenues and benefits", "Management teams")
_ABBREVIATIONS = (
    (" Metropolitan Borough Council", " MBC"),
    (" District Council", " DC"),
    (" Borough Council", " BC"),
    (" County Council", " CC"),
    (" City Council", " City"),
)


def officer_name(
    council: Council, register: CouncilRegister, rng: random.Random, *, official: int = 1
) -> str:
    """Return a name officers write for a council: official (weighted), short or abbreviated."""
    forms = [council.official_name] * official + [council.short_name]
    for suffix, short in _ABBREVIATIONS:
        if council.official_name.endswith(suffix):
            forms.append(council.official_name.removesuffix(suffix) + short)
            break
    if council.official_name.startswith("London Borough of "):
        forms.append("LB " + council.official_name.removeprefix("London Borough of "))
    return rng.choice([f for f in forms if register.resolve(f) == council])


@dataclass
class _Arrangement:
    name: str
    councils: list[str]  # GSS codes, lead first
    category: str
    services: str
    start: dt.date
    status: str = "Operational"
    savings_k: int | None = None
    note: str | None = None
    written: dict[str, str] = field(default_factory=dict)  # fixed ways of writing councils
    weight: float = 1.0  # how large its savings are, against the others


class _MapMaker:
    """Makes the two map editions: neighbours share with neighbours, and sharing grows."""

    def __init__(self, register: CouncilRegister, rng: random.Random):
        self.register, self.rng = register, rng
        self.councils = {c.gss_code: c for c in register}
        counties = sorted(c.gss_code for c in register if c.type == "County")
        self.first_district = list(zip(_FIRST_DISTRICT, counties, strict=True))
        self.area = {code: self._area(c) for code, c in self.councils.items()}
        self.areas: dict[str, list[str]] = defaultdict(list)
        for code in sorted(self.councils):
            self.areas[self.area[code]].append(code)
        self.taken: set[str] = set()

    def _area(self, council: Council) -> str:
        number = int(council.gss_code[3:])
        if council.type == "Non-metropolitan district":
            county = _HERTFORDSHIRE
            if number < _RENUMBERED:
                county = max(pair for pair in self.first_district if pair[0] <= number)[1]
            return self._place(self.councils[county])
        if council.type == "Metropolitan district":
            number = _FIRST_METROPOLITAN["Tyne and Wear"] if number == _GATESHEAD else number
            return max((n, m) for m, n in _FIRST_METROPOLITAN.items() if n <= number)[1]
        if council.type == "County":
            return self._place(council)
        return council.region  # London, and each region's unitary councils

    @staticmethod
    def _place(council: Council) -> str:
        return council.official_name.removesuffix(" County Council")

    def codes(self, names: str) -> list[str]:
        """Return the GSS codes of "; "-separated council names, refusing unknown ones."""
        found = [self.register.resolve(name) for name in names.split("; ")]
        if None in found:
            raise ValueError(f"a council in {names!r} is not in the register")
        return [c.gss_code for c in found]

    def editions(self) -> list[dict]:
        """Return the rows of both editions, with the report's totals exactly."""
        (as_at_11, count_11, sharing_11, total_11), (as_at_13, count_13, sharing_13, total_13) = (
            EDITIONS
        )
        featured = [(first == "2011", self._featured(*row)) for first, *row in _FEATURED]
        everyone = set(self.councils)
        keep = {c for _, a in featured for c in a.councils} | set(self.codes(_KEEP))
        not_sharing = sorted(everyone - keep)
        self.rng.shuffle(not_sharing)
        active_13 = everyone - set(not_sharing[: len(everyone) - sharing_13])
        old = [a for early, a in featured if early]
        must_11 = {c for a in old for c in a.councils}
        extra = sorted(active_13 - must_11)
        self.rng.shuffle(extra)
        active_11 = must_11 | set(extra[: sharing_11 - len(must_11)])
        old = self._grow(old, [], active_11, count_11, dt.date(2005, 1, 1), as_at_11)
        _share_savings(old, total_11, self.rng)
        carried = [self._carry(a, active_13) for a in old]
        new = [a for early, a in featured if not early]
        new = self._grow(new, carried, active_13, count_13, as_at_11 - dt.timedelta(180), as_at_13)
        fixed = sum(a.savings_k for a in carried if a.savings_k)
        _share_savings(
            new + [a for a in carried if a.savings_k is None], total_13 - fixed, self.rng
        )
        return self._rows(as_at_11, old) + self._rows(as_at_13, carried + new)

    def _featured(self, start: str, category: str, name: str) -> _Arrangement:
        names = _FEATURED_COUNCILS[name]
        codes = self.codes(names)
        services = next(s for c, _, s in _PHRASES if c == category)
        self.taken.add(name)
        written = dict(zip(codes, names.split("; "), strict=True))
        start_date = dt.date.fromisoformat(start)
        # The arrangements the sector knows by name are among the largest.
        return _Arrangement(
            name, codes, category, services, start_date, written=written, weight=5.0
        )

    def _grow(self, arrangements, carried, active, count, first, as_at) -> list[_Arrangement]:
        """Add arrangements until every active council shares and there are count in all."""
        covered = {c for a in arrangements + carried for c in a.councils}
        groups = self._covering(active - covered, active)
        last = as_at - dt.timedelta(45)
        while len(arrangements) + len(carried) < count:
            group = groups.pop(0) if groups else self._filler(active)
            arrangement = self._arrangement(group, self._date_between(first, last))
            if self.rng.random() < 0.06:
                arrangement.status = "In development"
                arrangement.start = self._date_between(last - dt.timedelta(300), last)
            arrangements.append(arrangement)
        return arrangements

    def _carry(self, old: _Arrangement, active: set[str]) -> _Arrangement:
        """Return an arrangement as the next edition has it: operational, savings grown."""
        later = replace(old, councils=list(old.councils), status="Operational", note=None)
        later.savings_k = (
            round(old.savings_k * self.rng.uniform(1.1, 1.45)) if old.savings_k else None
        )
        joining = [c for c in self._neighbours(old.councils[0], active) if c not in old.councils]
        if joining and self.rng.random() < 0.15:
            later.councils.append(self.rng.choice(joining))
        return later

    def _arrangement(self, codes: list[str], start: dt.date) -> _Arrangement:
        types = {self.councils[c].type for c in codes}
        fits = [
            name
            for name in SHARED_SERVICE_CATEGORIES
            if not (name in _UPPER_TIER_ONLY and "Non-metropolitan district" in types)
            and not (name in _NOT_COUNTIES and "County" in types)
            and not (name == "Management teams" and len(codes) > 3)
        ]
        category = self.rng.choices(fits, [_WEIGHTS[f] for f in fits])[0]
        options = [(phrase, services) for c, phrase, services in _PHRASES if c == category]
        self.rng.shuffle(options)
        counties = [c for c in codes if self.councils[c].type == "County"]
        if counties and self.rng.random() < 0.6:
            codes = [counties[0], *(c for c in codes if c != counties[0])]
        name, phrase = self._name([self.councils[c] for c in codes], [p for p, _ in options])
        return _Arrangement(name, codes, category, dict(options)[phrase], start)

    def _name(self, members: list[Council], phrases: list[str]) -> tuple[str, str]:
        short = [self._place(c) if c.type == "County" else c.short_name for c in members]
        areas = [self.area[c.gss_code] for c in members]
        area = max(areas, key=areas.count)
        if len(members) == 2:
            places = [f"{short[0]} and {short[1]}"]
        elif len(members) == 3:
            places = [area, f"{short[0]}, {short[1]} and {short[2]}"]
        else:
            places = [area, f"{short[0]} and partners"]
        candidates = [(f"{place} {phrase}", phrase) for place in places for phrase in phrases]
        candidates += [(f"{c} (phase {n})", p) for n in range(2, 9) for c, p in candidates]
        name, phrase = next(c for c in candidates if c[0] not in self.taken)
        self.taken.add(name)
        return name, phrase

    def _covering(self, codes: set[str], active: set[str]) -> list[list[str]]:
        """Return groups of neighbours that between them include every code in codes."""
        groups = []
        for members in self.areas.values():
            todo = [c for c in members if c in codes]
            self.rng.shuffle(todo)
            while todo:
                size = self.rng.choice((2, 2, 3, 3, 4, 5))
                group, todo = todo[:size], todo[size:]
                if len(group) == 1:
                    group.append(self.rng.choice(self._neighbours(group[0], active)))
                groups.append(group)
        return groups

    def _filler(self, active: set[str]) -> list[str]:
        """Return two to five neighbours, sometimes with one from further off in the region."""
        areas = [v for v in self.areas.values() if sum(c in active for c in v) > 1]
        members = [c for c in self.rng.choice(areas) if c in active]
        group = self.rng.sample(members, min(len(members), self.rng.choice((2, 2, 3, 4, 5))))
        further = [c for c in self._neighbours(group[0], active, region=True) if c not in group]
        if further and self.rng.random() < 0.15:
            group.append(self.rng.choice(further))
        return group

    def _neighbours(self, code: str, active: set[str], *, region: bool = False) -> list[str]:
        near = [c for c in self.areas[self.area[code]] if c in active and c != code]
        if near and not region:
            return near
        same = self.councils[code].region
        return [c for c in sorted(active) if self.councils[c].region == same and c != code]

    def _date_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randrange((last - first).days))

    def _rows(self, as_at: dt.date, arrangements: list[_Arrangement]) -> list[dict]:
        rows = []
        for a in sorted(arrangements, key=lambda a: a.name):
            lead, *partners = (self._written(a, c, lead=i == 0) for i, c in enumerate(a.councils))
            separator = self.rng.choices(("; ", "\n", ";\n"), (8, 2, 1))[0]
            rows.append(
                {
                    "as_at": as_at,
                    "arrangement": a.name,
                    "lead_council": lead,
                    "partner_councils": separator.join(partners) or None,
                    "category": a.category,
                    "services": a.services,
                    "start_date": a.start,
                    "savings_gbp": None if a.savings_k is None else a.savings_k * 1000,
                    "savings_note": a.note,
                    "status": a.status,
                }
            )
        return rows

    def _written(self, arrangement: _Arrangement, code: str, *, lead: bool) -> str:
        if code in arrangement.written:
            return arrangement.written[code]
        return officer_name(self.councils[code], self.register, self.rng, official=4 if lead else 1)


def _share_savings(arrangements: list[_Arrangement], total_k: int, rng: random.Random) -> None:
    """Give most arrangements savings summing to total_k; the rest have not reported."""
    reporting = []
    for arrangement in arrangements:
        if arrangement.status == "In development":
            arrangement.note = "In development: no savings yet"
        elif rng.random() < 0.05:
            arrangement.note = "Not yet reported"
        else:
            reporting.append(arrangement)
    weights = [
        a.weight * rng.lognormvariate(0, 1.0) * (1 + 0.35 * (len(a.councils) - 1))
        for a in reporting
    ]
    for arrangement, amount in zip(reporting, _apportion(total_k, weights, 5), strict=True):
        arrangement.savings_k = amount
        if rng.random() < 0.1:
            arrangement.note = "Estimated by the lead council"


def _apportion(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split total into whole shares in proportion to weights, each at least minimum."""
    spare = total - minimum * len(weights)
    shares = [spare * w / sum(weights) for w in weights]
    whole = [int(s) for s in shares]
    by_fraction = sorted(range(len(shares)), key=lambda i: whole[i] - shares[i])
    for i in by_fraction[: spare - sum(whole)]:
        whole[i] += 1
    return [minimum + w for w in whole]


def _check_edition(rows, register, as_at, arrangements, sharing, total_k) -> None:
    """Refuse to write an edition whose totals differ from the report's."""
    edition = [r for r in rows if r["as_at"] == as_at]
    names = [
        n for r in edition for n in (r["lead_council"], *split_council_list(r["partner_councils"]))
    ]
    councils = {register.resolve(n) for n in names}
    found = (len(edition), len(councils), sum(r["savings_gbp"] or 0 for r in edition))
    if None in councils or found != (arrangements, sharing, total_k * 1000):
        raise RuntimeError(f"the {as_at} edition came out as {found}, not as the report says")


def shared_services(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return both map editions' arrangements, checked against the report's totals."""
    rows = _MapMaker(register, rng).editions()
    for edition in EDITIONS:
        _check_edition(rows, register, *edition)
    return {"Arrangements": rows}


# 2013/14 is the report's (£700,000, half for secondees); 2012/13 and spend are illustrative.
_BUDGET = _table("""
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
_WAVE_SIZES = {1: 11, 2: 10, 3: 12, 4: 12}


def capital_assets(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return the budget lines of two years and the councils of four waves."""
    budget = [
        {"financial_year": year, "line": line, "category": category}
        | {"budget_gbp": int(amount), "spent_gbp": int(spent)}
        for year, line, category, amount, spent in _BUDGET
    ]
    picked = rng.sample(sorted(register, key=lambda c: c.gss_code), sum(_WAVE_SIZES.values()))
    councils = []
    for wave, size in _WAVE_SIZES.items():
        done = wave < max(_WAVE_SIZES)
        for council in sorted(picked[:size], key=lambda c: c.official_name):
            councils.append(
                {
                    "council": officer_name(council, register, rng, official=3),
                    "wave": wave,
                    "status": "Complete" if done else "Under way",
                    "secondee_in_post": "No" if done else "Yes",
                    "capital_receipts_gbp": rng.randrange(300, 6_000) * 1_000 if done else None,
                    "running_cost_savings_gbp": rng.randrange(40, 900) * 1_000 if done else None,
                }
            )
        picked = picked[size:]
    return {"Budget": budget, "Councils": councils}


# (pilot, RAG, next milestone, councils with the lead first, as officers write them)
_PILOTS = (
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


def tenancy_fraud(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return the three pilot groups, which have held initial meetings and report no outcomes."""
    pilots = [
        {"pilot": pilot, "council": council, "lead": "Yes" if index == 0 else "No"}
        | {"status": "Initial meeting held", "next_milestone": milestone, "rag": rag}
        for pilot, rag, milestone, councils in _PILOTS
        for index, council in enumerate(councils.split("; "))
    ]
    return {"Pilots": pilots, "Outcomes": []}


_LGA = "https://www.local.gov.uk/"
# Each month's most viewed link, a Productivity Programme page, then the other pages.
_TOP_LINKS = _table("""
productivity/shared-services-map | Shared Services Map: tell us what you share
productivity/capital-and-assets-pathfinder | Capital and Assets Programme: wave 4 councils
productivity | Productivity Programme: what is new this spring
productivity/commissioning-academy | Commissioning Academy: apply for the next cohort
productivity/tenancy-fraud | Housing tenancy fraud pilots under way
""")
_OTHER_LINKS = _table("""
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
_SENT_ON = tuple(dt.date(2013, m, d) for m, d in ((1, 24), (2, 21), (3, 21), (4, 25), (5, 23)))


def ebulletin(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return five monthly bulletins, each led by a Productivity Programme link."""
    links = []
    for sent_on, top_link in zip(_SENT_ON, _TOP_LINKS, strict=True):
        top = rng.randint(600, 950)
        others = rng.sample(_OTHER_LINKS, rng.randint(7, 14))
        viewed = [(link, rng.randint(40, top - 120)) for link in others]
        viewed.insert(rng.randrange(3), (top_link, top))  # not always first in the e-mail
        for (page, text), views in viewed:
            links.append(
                {
                    "bulletin": f"Improvement and Innovation Board e-bulletin, {sent_on:%B %Y}",
                    "sent_on": sent_on,
                    "url": _LGA + page,
                    "link_text": text,
                    "views": views,
                    "unique_views": round(views * rng.uniform(0.6, 0.9)),
                }
            )
    return {"Links": links}


# Milestones as the programme stood on 20 March 2013: (workstream, owner) -> due | status |
# milestone | notes. Dates the report does not give are illustrative.
_MILESTONES = {
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
_DEEP_DIVES = (
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


def programme(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return the programme's milestones and its three procurement deep dives."""
    milestones = [
        {"workstream": workstream, "milestone": milestone, "due": dt.date.fromisoformat(due)}
        | {"status": status, "owner": owner, "notes": notes[0] if notes else None}
        for (workstream, owner), text in _MILESTONES.items()
        for due, status, milestone, *notes in _table(text)
    ]
    milestones.sort(key=lambda m: m["due"])
    columns = ("organisation", "category", "status", "planned_spend_gbp", "next_step")
    dives = [dict(zip(columns, row, strict=True)) for row in _DEEP_DIVES]
    return {"Milestones": milestones, "Deep dives": dives}


_NOTES = {
    "shared_services": (
        "Both Shared Services Map editions are in the Arrangements sheet, told apart by as_at: "
        "31 January 2013 (325 arrangements, 337 councils sharing, £278m efficiency savings) "
        "and 30 November 2011 (170 arrangements, 220 councils, £165m). The report gives no "
        "day for the 2011 edition, so 30 November 2011 is illustrative.",
        "Which councils share what, and each arrangement's savings, are illustrative; the "
        "totals are the report's. A blank saving means not reported, not nothing saved.",
    ),
    "capital_assets": (
        "The 2013/14 budget of £700,000, about half (£350,000) for secondees, and the 12 "
        "councils of wave 4 are the report's. The 2012/13 budget, the spend to date, the "
        "councils of waves 1 to 3 and their receipts and savings are illustrative.",
    ),
    "tenancy_fraud": (
        "The three pilot groups and their councils are the report's; each has held an "
        "initial meeting. RAG ratings and next milestones are illustrative. There are no "
        "outcomes yet, so the Outcomes sheet has headers only.",
    ),
    "ebulletin": (
        "Five monthly e-bulletins, January to May 2013. The links and their views are "
        "illustrative; in each, a Productivity Programme page is the most viewed link.",
    ),
    "programme": (
        "Milestones as they stood on 20 March 2013; dates the report does not give are "
        "illustrative. The three procurement deep dives are the report's; their spend "
        "and next steps are illustrative.",
    ),
}
_BUILDERS = {
    "shared_services": shared_services,
    "capital_assets": capital_assets,
    "tenancy_fraud": tenancy_fraud,
    "ebulletin": ebulletin,
    "programme": programme,
}


def build_samples(out_dir: Path) -> list[Path]:
    """Write the five sample workbooks into out_dir and return their paths."""
    register = load_register()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for key, build in _BUILDERS.items():
        workstream = get_workstream(key)
        sheets = build(register, random.Random(SEED))
        path = out_dir / workstream.sample_file
        path.write_bytes(_workbook(workstream, sheets, _NOTES[key]))
        paths.append(path)
    return paths


def _workbook(workstream: Workstream, sheets: dict[str, list[dict]], notes: tuple) -> bytes:
    book = Workbook()
    about = book.active
    about.title = "About"
    about.column_dimensions["A"].width = 120
    for row, text in enumerate((NOTICE, *notes), start=1):
        about.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
    for declared in workstream.sheets:
        sheet = book.create_sheet(declared.name)
        names = [c.name for c in declared.columns]
        rows = sheets[declared.name]
        if unknown := {key for row in rows for key in row} - set(names):
            raise ValueError(f"the {declared.name} sheet has no columns {sorted(unknown)}")
        sheet.append(names)
        for row in rows:
            sheet.append([row.get(name) for name in names])
        for index, name in enumerate(names, start=1):
            sheet.cell(row=1, column=index).font = Font(bold=True)
            longest = max([len(name), *(len(str(r.get(name) or "")) for r in rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
        sheet.freeze_panes = "A2"
    book.properties.creator = "lgadata.samples"
    book.properties.created = book.properties.modified = BUILT_AT
    return _with_fixed_times(book)


def _with_fixed_times(book: Workbook) -> bytes:
    """Return the workbook's bytes with every zip entry stamped BUILT_AT, so builds repeat."""
    first = io.BytesIO()
    # ExcelWriter, not Workbook.save, which would stamp the modified time with the clock.
    with zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    stamped = io.BytesIO()
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(stamped, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=BUILT_AT.timetuple()[:6])
            target.writestr(fixed, source.read(entry), compress_type=zipfile.ZIP_DEFLATED)
    return stamped.getvalue()


if __name__ == "__main__":
    for written in build_samples(SAMPLES_DIR):
        print(f"wrote {written}")
