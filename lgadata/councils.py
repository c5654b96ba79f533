"""The council register and council-name matching."""

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "councils.csv"

_GSS_CODE = re.compile(r"E\d{8}")
# Apostrophes vanish rather than split words, so "King's Lynn" and "Kings Lynn" agree.
_APOSTROPHES = re.compile(r"['`\u2018\u2019]")
_PUNCTUATION = re.compile(r"[\W_]+")
_LIST_SEPARATORS = re.compile(r"[;\r\n]+")
# ONS writes some names inverted ("Bristol, City of"): a comma before these is not a separator.
_INVERTED_TAILS = frozenset({"city of", "county of"})


def _phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(text.split()) for text in texts)


# Generic words around a place name, in normalised form, longest first so that
# "district council" goes before "council". Stripping them leaves the place.
_GENERIC_PREFIXES = _phrases(
    "london borough of",
    "royal borough of",
    "borough council of",
    "council of the",
    "borough of",
    "county of",
    "county",
    "the",
    "lb",
    "rb",
)
_GENERIC_SUFFIXES = _phrases(
    "metropolitan borough council",
    "metropolitan district council",
    "city and district council",
    "london borough council",
    "unitary authority",
    "district council",
    "borough council",
    "county council",
    "city council",
    "metropolitan borough",
    "metropolitan district",
    "london borough",
    "london boro",
    "royal borough",
    "council",
    "corporation",
    "city of",
    "county of",
    "district",
    "borough",
    "county",
    "city",
    "mbc",
    "mdc",
    "lbc",
    "rbk",
    "dc",
    "bc",
    "cc",
    "ua",
)


@dataclass(frozen=True)
class Council:
    """An English principal council as it stood in 2013."""

    gss_code: str
    official_name: str
    short_name: str
    type: str
    region: str
    # The county council whose area holds a non-metropolitan district; blank for the rest.
    county_gss_code: str = ""


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Return a name casefolded, "&" as "and", punctuation as spaces and "saint" as "st"."""
    text = _APOSTROPHES.sub("", text.casefold()).replace("&", " and ")
    words = _PUNCTUATION.sub(" ", text).split()
    return " ".join("st" if word == "saint" else word for word in words)


def _strip_phrases(words: list[str], phrases: Sequence[tuple[str, ...]], *, at_end: bool) -> bool:
    for phrase in phrases:
        size = len(phrase)
        # Never strip a name down to nothing: "Council" alone stays "council".
        if len(words) <= size:
            continue
        start = len(words) - size if at_end else 0
        if tuple(words[start : start + size]) == phrase:
            del words[start : start + size]
            return True
    return False


@lru_cache(maxsize=65536)
def core_name(text: str) -> str:
    """Return the normalised place name left after removing words like "District Council"."""
    words = normalise_name(text).split()
    while _strip_phrases(words, _GENERIC_PREFIXES, at_end=False) or _strip_phrases(
        words, _GENERIC_SUFFIXES, at_end=True
    ):
        pass
    return " ".join(words)


def _add_key(index: dict[str, str | None], key: str, gss_code: str) -> None:
    # None marks a key that more than one council answers to.
    if key and index.setdefault(key, gss_code) != gss_code:
        index[key] = None


class CouncilRegister:
    """The councils, found by code or by any of the names people write for them."""

    def __init__(
        self,
        councils: Iterable[Council],
        *,
        aliases: Mapping[str, Sequence[str]] | None = None,
        former_codes: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        aliases = aliases or {}
        former_codes = former_codes or {}
        self._councils = {c.gss_code: c for c in sorted(councils, key=lambda c: c.gss_code)}
        self._by_code = dict(self._councils)
        self._exact: dict[str, str | None] = {}
        self._core: dict[str, str | None] = {}
        self._names_by_core: dict[str, set[str]] = {}
        for code, council in self._councils.items():
            for former in former_codes.get(code, ()):
                self._by_code.setdefault(former, council)
            for name in (council.official_name, council.short_name, *aliases.get(code, ())):
                core = core_name(name)
                _add_key(self._exact, normalise_name(name), code)
                _add_key(self._core, core, code)
                self._names_by_core.setdefault(core, set()).add(code)
        self._cores = sorted(self._names_by_core)

    @classmethod
    def load(cls, path: Path | str | None = None) -> "CouncilRegister":
        """Read a register from a councils.csv file, the shipped one by default."""
        councils, aliases, former_codes = [], {}, {}
        with open(path or DEFAULT_PATH, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = row["gss_code"]
                councils.append(
                    Council(
                        gss_code=code,
                        official_name=row["official_name"],
                        short_name=row["short_name"],
                        type=row["type"],
                        region=row["region"],
                        county_gss_code=row.get("county_gss_code", ""),
                    )
                )
                aliases[code] = _split_field(row["aliases"])
                former_codes[code] = _split_field(row["former_gss_codes"])
        return cls(councils, aliases=aliases, former_codes=former_codes)

    def __len__(self) -> int:
        return len(self._councils)

    def __iter__(self) -> Iterator[Council]:
        return iter(self._councils.values())

    def by_code(self, gss_code: str) -> Council | None:
        """Return the council with this GSS code, current or former."""
        return self._by_code.get(gss_code.strip().upper())

    def resolve(self, name: str) -> Council | None:
        """Return the one council a name, abbreviation or GSS code means, or None."""
        if not isinstance(name, str):
            return None
        key = normalise_name(name)
        if key in self._exact:
            code = self._exact[key]
        elif _GSS_CODE.fullmatch(candidate := key.upper()):
            return self._by_code.get(candidate)
        else:
            code = self._core.get(core_name(name))
        return self._councils[code] if code else None

    def suggest(self, name: str, limit: int = 3) -> list[Council]:
        """Return up to limit councils whose names look like this one, best first."""
        query = core_name(name) if isinstance(name, str) else ""
        if not query or limit < 1:
            return []
        matches = process.extract(
            query, self._cores, scorer=fuzz.WRatio, processor=None, limit=None, score_cutoff=70
        )
        # WRatio scores every name that contains the query alike ("Stoke" in "Basingstoke
        # and Deane" and "Stoke on Trent"), so the plain ratio breaks ties.
        matches.sort(key=lambda match: (-match[1], -fuzz.ratio(query, match[0]), match[0]))
        found: list[Council] = []
        for core, _score, _index in matches:
            found += [self._councils[code] for code in sorted(self._names_by_core[core])]
        return list(dict.fromkeys(found))[:limit]

    def ambiguous_names(self) -> list[str]:
        """Return the normalised names that more than one council answers to."""
        return sorted(
            {key for index in (self._exact, self._core) for key, code in index.items() if not code}
        )


@lru_cache(maxsize=1)
def load_register() -> CouncilRegister:
    """Return the shipped register, read once."""
    return CouncilRegister.load()


def split_council_list(text: str) -> list[str]:
    """Split a cell naming several councils on semicolons, commas or new lines."""
    if not isinstance(text, str):
        return []
    names: list[str] = []
    for line in _LIST_SEPARATORS.split(text):
        parts: list[str] = []
        for part in (part.strip() for part in line.split(",")):
            if parts and normalise_name(part) in _INVERTED_TAILS:
                parts[-1] = f"{parts[-1]}, {part}"
            elif part:
                parts.append(part)
        names.extend(parts)
    return names


def _split_field(text: str) -> list[str]:
    return [part for part in (text or "").split("|") if part]


BOUNDARIES_PATH = DEFAULT_PATH.with_name("boundaries.topojson")


@lru_cache(maxsize=1)
def load_boundaries() -> dict:
    """Return the council shapes as TopoJSON (districts and counties), read once."""
    return json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))
