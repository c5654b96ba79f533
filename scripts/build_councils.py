"""Regenerate data/councils.csv from mySociety's English council names, codes and counties."""

import argparse
import csv
import io
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Run as a plain script, the package is not installed, so put the repository on the path.
sys.path.insert(0, str(REPO_ROOT))

from lgadata.councils import (  # noqa: E402
    Council,
    CouncilRegister,
    normalise_name,
    split_council_list,
)

DEFAULT_REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "english_councils_2013.csv"
DEFAULT_PARENTS = DEFAULT_REFERENCE.with_name("english_councils_2013_parents.csv")
DEFAULT_OUTPUT = REPO_ROOT / "data" / "councils.csv"
COLUMNS = (
    "gss_code",
    "former_gss_codes",
    "official_name",
    "short_name",
    "type",
    "region",
    "county_gss_code",
)

# Derbyshire is in the East Midlands (ONS E12000004), as all its districts are.
REGION_CORRECTIONS = {"E10000007": "East Midlands"}

# Forest Heath is a Suffolk district (E10000029); the reference gives it Surrey's code.
COUNTY_CORRECTIONS = {"E07000201": "E10000029"}

# "Adur and Worthing" names the two councils' joint arrangement, not Worthing alone.
DROPPED_ALT_NAMES = {"E07000229": {"adur and worthing borough council"}}

# Names in common use that no rule below produces.
EXTRA_ALIASES = {
    "E06000010": ("Hull",),
    "E06000022": ("BANES", "B&NES"),
    "E06000040": ("RBWM",),
    "E06000011": ("East Riding",),
    "E07000195": ("Newcastle Borough Council", "Newcastle BC"),
    "E09000001": ("Corporation of London",),
    "E09000011": ("LB Greenwich", "London Borough of Greenwich"),
    "E09000020": ("RBKC",),
    "E09000021": ("RB Kingston", "Royal Borough of Kingston", "Kingston upon Thames RBK", "RBK"),
    "E09000027": ("LB Richmond", "London Borough of Richmond", "Richmond LBC"),
    "E09000033": ("Westminster City Council",),
}

# How an official name is built, with the forms people write for each kind of name.
# The first pattern that matches wins, so the longer endings come first.
OFFICIAL_PATTERNS = (
    (r"London Borough of (?P<stem>.+)", ("LB {}", "{} LBC", "{} London Borough")),
    (r"Royal Borough of (?P<stem>.+)", ("RB {}", "{} RB", "Royal Borough of {}")),
    (r"Borough (?:Council )?of (?P<stem>.+)", ("{} BC", "{} Borough", "{} Borough Council")),
    (r"(?:City of )?(?P<stem>.+) Metropolitan District Council", ("{} MDC",)),
    (r"(?P<stem>.+) Metropolitan Borough Council", ("{} MBC", "{} Metropolitan Borough")),
    (
        r"(?P<stem>.+) City and District Council",
        ("{} City Council", "{} District Council", "{} City", "{} DC"),
    ),
    (r"(?P<stem>.+) District Council", ("{} DC", "{} District")),
    (r"(?P<stem>.+) Borough Council", ("{} BC", "{} Borough", "Borough of {}")),
    (r"(?P<stem>.+) County Council", ("{} CC", "{} County")),
    (r"(?P<stem>.+) City Council", ("{} City", "City of {}")),
    (r"City of (?P<stem>.+) Council", ("{} City Council", "{} City")),
    (r"City of (?P<stem>(?!London\b).+)", ("{} City Council", "{} City")),
    (r"Council of the (?P<stem>.+)", ("{} Council",)),
)

SMALL_WORDS = frozenset({"and", "in", "of", "on", "the", "under", "upon", "with"})

# Forms built from the place name, by type of council.
TYPE_FORMS = {
    "County": ("{} County Council", "{} CC", "{} County"),
    "Unitary authority": ("{} UA",),
}


def read_csv(path: Path) -> list[dict[str, str]]:
    """Return a reference file's rows with their whitespace tidied."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            {key: " ".join(value.split()) for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def read_reference(path: Path, parents: Path) -> list[dict[str, str]]:
    """Return the reference rows with their counties, known errors corrected."""
    rows = read_csv(path)
    county_of = {row["gss_code"]: row["county_gss_code"] for row in read_csv(parents)}
    if set(county_of) != {row["gss_code"] for row in rows}:
        raise SystemExit(f"{parents} does not list the same councils as {path}")
    for row in rows:
        row["region"] = REGION_CORRECTIONS.get(row["gss_code"], row["region"])
        code = row["gss_code"]
        row["county_gss_code"] = COUNTY_CORRECTIONS.get(code, county_of[code])
    return sorted(rows, key=lambda row: row["gss_code"])


def place_name(short_name: str) -> str:
    """Return a short name without "County" or "City of" around it, and "St." as "St"."""
    place = re.sub(r"^(?:County |City of (?!London$))|(?: County)$", "", short_name)
    return place.replace("St. ", "St ")


def generated_aliases(row: dict[str, str]) -> list[str]:
    """Return the abbreviations and variants built from a council's names and type."""
    official, place = row["official_name"], place_name(row["short_name"])
    forms: list[str] = [place] if place != row["short_name"] else []
    for pattern, templates in OFFICIAL_PATTERNS:
        if match := re.fullmatch(pattern, official):
            forms += [template.format(match["stem"]) for template in templates]
            break
    forms += [template.format(place) for template in TYPE_FORMS.get(row["type"], ())]
    return forms + list(EXTRA_ALIASES.get(row["gss_code"], ()))


def tidy_case(name: str) -> str:
    """Return an all-lower-case reference spelling with its words capitalised."""
    if not name.islower():
        return name
    words = name.split(" ")
    return " ".join(
        word if word in SMALL_WORDS and i else word[:1].upper() + word[1:]
        for i, word in enumerate(words)
    )


def distinct(names: list[str], *, taken: set[str]) -> list[str]:
    """Return names whose normalised form is not already taken, first spelling kept."""
    kept = []
    for name in names:
        key = normalise_name(name)
        if key and key not in taken:
            taken.add(key)
            kept.append(name)
    return kept


def build_rows(reference: Path, parents: Path = DEFAULT_PARENTS) -> list[dict[str, str]]:
    """Return the register's rows, with the aliases the matcher needs."""
    rows = read_reference(reference, parents)
    councils = [
        Council(**{key: row[key] for key in COLUMNS if key != "former_gss_codes"}) for row in rows
    ]
    aliases = {}
    for row in rows:
        taken = {normalise_name(row["official_name"]), normalise_name(row["short_name"])}
        aliases[row["gss_code"]] = distinct(generated_aliases(row), taken=taken)
    # A reference spelling is kept only where the generated names do not already find it.
    register = CouncilRegister(councils, aliases=aliases)
    for row in rows:
        code, dropped = row["gss_code"], DROPPED_ALT_NAMES.get(row["gss_code"], set())
        # The reference joins alt_names with commas, but keeps "Bristol, City of" whole.
        for alt_name in split_council_list(row["alt_names"]):
            if normalise_name(alt_name) in dropped:
                continue
            found = register.resolve(alt_name)
            if found is None:
                aliases[code].append(tidy_case(alt_name))
            elif found.gss_code != code:
                raise SystemExit(f"{alt_name!r} for {code} already means {found.gss_code}")
    for row in rows:
        taken = {normalise_name(row["official_name"]), normalise_name(row["short_name"])}
        kept = distinct(aliases[row["gss_code"]], taken=taken)
        row["aliases"] = "|".join(sorted(kept, key=lambda name: (name.casefold(), name)))
    check(rows, councils)
    return rows


def check(rows: list[dict[str, str]], councils: list[Council]) -> None:
    """Stop if any alias finds no council or another council than its own."""
    aliases = {row["gss_code"]: list(filter(None, row["aliases"].split("|"))) for row in rows}
    register = CouncilRegister(councils, aliases=aliases)
    for code, names in aliases.items():
        for name in names:
            found = register.resolve(name)
            if found is None or found.gss_code != code:
                raise SystemExit(f"{name!r} for {code} resolves to {found}")


def render(rows: list[dict[str, str]]) -> str:
    """Return the register as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=(*COLUMNS, "aliases"), lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    """Write data/councils.csv from the reference file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "reference",
        nargs="?",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="english_councils_2013.csv",
    )
    parser.add_argument(
        "--parents",
        type=Path,
        default=None,
        help="english_councils_2013_parents.csv (default: beside the reference)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write")
    args = parser.parse_args(argv)
    args.output.write_text(
        render(
            build_rows(
                args.reference, args.parents or args.reference.with_name(DEFAULT_PARENTS.name)
            )
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
