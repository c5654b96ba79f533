"""The Shared Services Map's two editions: neighbours share with neighbours, and sharing grows."""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace

from lgadata.councils import Council, CouncilRegister, split_council_list
from lgadata.samples.council_names import officer_name
from lgadata.samples.tables import (
    EDITIONS,
    FEATURED,
    FEATURED_COUNCILS,
    FIRST_DISTRICT,
    FIRST_METROPOLITAN,
    GATESHEAD,
    HERTFORDSHIRE,
    KEEP,
    NOT_COUNTIES,
    PHRASES,
    RENUMBERED,
    UPPER_TIER_ONLY,
    WEIGHTS,
)
from lgadata.workstreams import SHARED_SERVICE_CATEGORIES

# The About sheet's notes, under the sample notice.
NOTES = (
    "Both Shared Services Map editions are in the Arrangements sheet, told apart by as_at: "
    "31 January 2013 (325 arrangements, 337 councils sharing, £278m efficiency savings) "
    "and 30 November 2011 (170 arrangements, 220 councils, £165m). The report gives no "
    "day for the 2011 edition, so 30 November 2011 is illustrative.",
    "Which councils share what, and each arrangement's savings, are illustrative; the "
    "totals are the report's. A blank saving means not reported, not nothing saved.",
)


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
        self.first_district = list(zip(FIRST_DISTRICT, counties, strict=True))
        self.area = {code: self._area(c) for code, c in self.councils.items()}
        self.areas: dict[str, list[str]] = defaultdict(list)
        for code in sorted(self.councils):
            self.areas[self.area[code]].append(code)
        self.taken: set[str] = set()

    def _area(self, council: Council) -> str:
        number = int(council.gss_code[3:])
        if council.type == "Non-metropolitan district":
            county = HERTFORDSHIRE
            if number < RENUMBERED:
                county = max(pair for pair in self.first_district if pair[0] <= number)[1]
            return self._place(self.councils[county])
        if council.type == "Metropolitan district":
            number = FIRST_METROPOLITAN["Tyne and Wear"] if number == GATESHEAD else number
            return max((n, m) for m, n in FIRST_METROPOLITAN.items() if n <= number)[1]
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
        featured = [(first == "2011", self._featured(*row)) for first, *row in FEATURED]
        everyone = set(self.councils)
        keep = {c for _, a in featured for c in a.councils} | set(self.codes(KEEP))
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
        names = FEATURED_COUNCILS[name]
        codes = self.codes(names)
        services = next(s for c, _, s in PHRASES if c == category)
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
            if not (name in UPPER_TIER_ONLY and "Non-metropolitan district" in types)
            and not (name in NOT_COUNTIES and "County" in types)
            and not (name == "Management teams" and len(codes) > 3)
        ]
        category = self.rng.choices(fits, [WEIGHTS[f] for f in fits])[0]
        options = [(phrase, services) for c, phrase, services in PHRASES if c == category]
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


def rows(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return both map editions' arrangements, checked against the report's totals."""
    arrangements = _MapMaker(register, rng).editions()
    for edition in EDITIONS:
        _check_edition(arrangements, register, *edition)
    return {"Arrangements": arrangements}
