"""The council register and council-name matching."""

import csv
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from lgadata.councils import (
    DEFAULT_PATH,
    Council,
    CouncilRegister,
    load_register,
    normalise_name,
    split_council_list,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "english_councils_2013.csv"
BUILD_SCRIPT = REPO_ROOT / "scripts" / "build_councils.py"

# Where the register knowingly differs from the reference: Derbyshire is in the East Midlands.
REGION_CORRECTIONS = {"E10000007": "East Midlands"}
# And where its counties do: Forest Heath is in Suffolk, not Surrey.
COUNTY_CORRECTIONS = {"E07000201": "E10000029"}

# Bare names that more than one council answers to, so resolve() declines to guess.
# "Newcastle" is both Newcastle City Council (upon Tyne) and Newcastle Borough Council
# (under-Lyme). No short name in the 2013 register is shared by a county and a district.
AMBIGUOUS_NAMES = ["newcastle"]


@pytest.fixture(scope="module")
def register() -> CouncilRegister:
    return load_register()


def register_rows() -> list[dict[str, str]]:
    with open(DEFAULT_PATH, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def code_of(council: Council | None) -> str | None:
    return council.gss_code if council else None


def require_reference() -> None:
    if not REFERENCE.exists():
        pytest.skip(f"the reference file {REFERENCE} is not here to check against")


def test_the_register_has_353_councils(register):
    assert len(register) == 353
    assert len({council.gss_code for council in register}) == 353


@pytest.mark.parametrize(
    ("council_type", "count"),
    [
        ("County", 27),
        ("Non-metropolitan district", 201),
        ("Unitary authority", 56),
        ("Metropolitan district", 36),
        ("London borough", 32),
        ("City of London", 1),
    ],
)
def test_the_register_has_each_type_of_council_in_number(register, council_type, count):
    assert Counter(council.type for council in register)[council_type] == count


def test_every_council_is_in_one_of_the_nine_english_regions(register):
    assert {council.region for council in register} == {
        "North East",
        "North West",
        "Yorkshire and The Humber",
        "East Midlands",
        "West Midlands",
        "East of England",
        "London",
        "South East",
        "South West",
    }


def test_the_register_file_is_sorted_by_gss_code():
    codes = [row["gss_code"] for row in register_rows()]
    assert codes == sorted(codes)


def test_every_council_resolves_from_its_official_name(register):
    assert [c for c in register if register.resolve(c.official_name) != c] == []


def test_every_council_resolves_from_its_short_name(register):
    assert [c for c in register if register.resolve(c.short_name) != c] == []


def test_every_council_resolves_from_its_gss_code_in_any_case(register):
    for council in register:
        assert register.resolve(council.gss_code) == council
        assert register.resolve(f" {council.gss_code.lower()} ") == council
        assert register.by_code(council.gss_code) == council


def test_every_alias_in_the_register_resolves_to_its_own_council(register):
    wrong = [
        (row["gss_code"], alias)
        for row in register_rows()
        for alias in filter(None, row["aliases"].split("|"))
        if code_of(register.resolve(alias)) != row["gss_code"]
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("former_code", "gss_code"),
    [
        ("E06000048", "E06000057"),
        ("E07000097", "E07000242"),
        ("E07000100", "E07000240"),
        ("E07000101", "E07000243"),
        ("E07000104", "E07000241"),
        ("E08000020", "E08000037"),
    ],
)
def test_a_former_gss_code_finds_the_council_by_code_and_by_name(register, former_code, gss_code):
    assert code_of(register.by_code(former_code)) == gss_code
    assert code_of(register.resolve(former_code)) == gss_code


@pytest.mark.parametrize(
    ("name", "gss_code"),
    [
        ("Stroud DC", "E07000082"),
        ("Stroud District", "E07000082"),
        ("Stroud District Council.", "E07000082"),
        ("Gloucester", "E07000081"),
        ("Gloucester City", "E07000081"),
        ("Gloucester City Council", "E07000081"),
        ("Gloucestershire", "E10000013"),
        ("Gloucestershire CC", "E10000013"),
        ("GLOUCESTERSHIRE COUNTY COUNCIL", "E10000013"),
        ("Durham", "E06000047"),
        ("County Durham", "E06000047"),
        ("Durham County Council", "E06000047"),
        ("LB Camden", "E09000007"),
        ("Camden LBC", "E09000007"),
        ("London Borough of Camden", "E09000007"),
        ("Camden Council", "E09000007"),
        ("Three Rivers DC", "E07000102"),
        ("Watford BC", "E07000103"),
        ("Huntingdonshire DC", "E07000011"),
        ("Fenland DC", "E07000010"),
        ("Peterborough City Council", "E06000031"),
        ("Peterborough UA", "E06000031"),
        ("Redcar & Cleveland", "E06000003"),
        ("Stockton on Tees", "E06000004"),
        ("City of London", "E09000001"),
        ("Isles of Scilly", "E06000053"),
        ("Kingston upon Hull", "E06000010"),
        ("Kingston upon Hull, City of", "E06000010"),
        ("Hull City Council", "E06000010"),
        ("Hull", "E06000010"),
        ("RB Kingston", "E09000021"),
        ("Kingston upon Thames RBK", "E09000021"),
        # Hull's council never calls itself "Kingston"; the Royal Borough does.
        ("Kingston", "E09000021"),
        ("Richmond", "E09000027"),
        ("Royal Borough of Kensington & Chelsea", "E09000020"),
        ("Westminster City Council", "E09000033"),
        ("Newcastle City Council", "E08000021"),
        ("Newcastle upon Tyne", "E08000021"),
        ("Newcastle-under-Lyme", "E07000195"),
        ("Newcastle BC", "E07000195"),
        ("Bolton MBC", "E08000001"),
        ("Bradford MDC", "E08000032"),
        ("St Helens", "E08000013"),
        ("Saint Helens", "E08000013"),
        ("St. Albans City & District Council", "E07000240"),
        ("King's Lynn and West Norfolk", "E07000146"),
        ("Kings Lynn & West Norfolk BC", "E07000146"),
        ("Bristol, City of", "E06000023"),
        ("Bristol", "E06000023"),
        ("City of York Council", "E06000014"),
        ("BANES", "E06000022"),
        ("Shepway District Council", "E07000112"),
        ("Southend", "E06000033"),
        ("Blackburn", "E06000008"),
        ("  stroud   dc ", "E07000082"),
    ],
)
def test_common_names_and_abbreviations_resolve(register, name, gss_code):
    assert code_of(register.resolve(name)) == gss_code


@pytest.mark.parametrize(
    "name",
    [
        "Newcastle",
        "Newcastle Council",
        "London",
        "Cheshire",
        "Bedfordshire County Council",
        "Council",
        "County Council",
        "Adur and Worthing",
        "E99999999",
        "",
        "   ",
    ],
)
def test_names_that_are_unknown_or_ambiguous_resolve_to_none(register, name):
    assert register.resolve(name) is None


@pytest.mark.parametrize(
    ("name", "gss_code"),
    [
        ("Dorset", None),
        ("Dorset County Council", "E10000009"),
        ("Dorset CC", "E10000009"),
        ("Dorset Council", "E06000059"),
        ("Dorset UA", "E06000059"),
        ("West Dorset", "E07000052"),
    ],
)
def test_a_name_shared_by_a_county_and_a_unitary_resolves_only_with_its_suffix(name, gss_code):
    county = Council("E10000009", "Dorset County Council", "Dorset", "County", "South West")
    unitary = Council("E06000059", "Dorset Council", "Dorset", "Unitary authority", "South West")
    district = Council(
        "E07000052",
        "West Dorset District Council",
        "West Dorset",
        "Non-metropolitan district",
        "South West",
    )
    register = CouncilRegister(
        [county, unitary, district],
        aliases={"E10000009": ["Dorset CC"], "E06000059": ["Dorset UA"]},
    )
    assert code_of(register.resolve(name)) == gss_code


@pytest.mark.parametrize("value", [None, float("nan"), 42])
def test_a_cell_that_is_not_text_resolves_to_none(register, value):
    assert register.resolve(value) is None


def test_the_ambiguous_names_are_exactly_those_listed(register):
    assert register.ambiguous_names() == AMBIGUOUS_NAMES


@pytest.mark.parametrize(
    ("name", "first_gss_code"),
    [
        ("Stroude District Council", "E07000082"),
        ("Glocester", "E07000081"),
        ("Gloucestershre", "E10000013"),
        ("Bermingham", "E08000025"),
        ("Tower Hamlet", "E09000030"),
        ("Camdn", "E09000007"),
        ("Sheffeld City Council", "E08000019"),
    ],
)
def test_a_misspelt_name_suggests_the_right_council_first(register, name, first_gss_code):
    assert register.resolve(name) is None
    assert register.suggest(name)[0].gss_code == first_gss_code


def test_an_ambiguous_name_suggests_every_council_it_could_mean(register):
    codes = {council.gss_code for council in register.suggest("Newcastle", limit=2)}
    assert codes == {"E08000021", "E07000195"}


@pytest.mark.parametrize(("name", "limit"), [("Glocester", 1), ("Glocester", 2), ("xyzzy", 3)])
def test_suggestions_are_distinct_and_within_the_limit(register, name, limit):
    suggestions = register.suggest(name, limit=limit)
    assert len(suggestions) <= limit
    assert len(set(suggestions)) == len(suggestions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stroud DC", "stroud dc"),
        ("Redcar & Cleveland", "redcar and cleveland"),
        ("Stockton-on-Tees", "stockton on tees"),
        ("King's Lynn", "kings lynn"),
        ("King\u2019s Lynn", "kings lynn"),
        ("St. Helens", "st helens"),
        ("Saint Helens", "st helens"),
        ("Bristol, City of", "bristol city of"),
        ("  Three   Rivers\tDC ", "three rivers dc"),
        ("MALDON", "maldon"),
    ],
)
def test_names_are_normalised(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stroud DC; Cotswold DC", ["Stroud DC", "Cotswold DC"]),
        ("Stroud DC, Cotswold DC", ["Stroud DC", "Cotswold DC"]),
        (
            "Stroud DC\nCotswold DC\r\nForest of Dean",
            ["Stroud DC", "Cotswold DC", "Forest of Dean"],
        ),
        ("Redcar and Cleveland; Telford & Wrekin", ["Redcar and Cleveland", "Telford & Wrekin"]),
        ("Adur and Worthing", ["Adur and Worthing"]),
        (" Stroud ;; ; Cotswold ,\n", ["Stroud", "Cotswold"]),
        (
            "Bristol, City of; Herefordshire, County of",
            ["Bristol, City of", "Herefordshire, County of"],
        ),
        ("", []),
        ("  \n ; ", []),
        (None, []),
    ],
)
def test_partner_council_cells_split_on_semicolons_commas_and_new_lines(text, expected):
    assert split_council_list(text) == expected


def test_a_register_loads_from_another_path(tmp_path):
    path = tmp_path / "councils.csv"
    path.write_text(
        "gss_code,former_gss_codes,official_name,short_name,type,region,aliases\n"
        "E07000082,,Stroud District Council,Stroud,Non-metropolitan district,South West,"
        "Stroud DC\n",
        encoding="utf-8",
    )
    register = CouncilRegister.load(path)
    assert len(register) == 1
    assert register.resolve("stroud dc").short_name == "Stroud"
    assert register.resolve("Gloucester") is None


def test_the_register_matches_the_reference_file():
    require_reference()
    with open(REFERENCE, newline="", encoding="utf-8") as handle:
        reference = {row["gss_code"]: row for row in csv.DictReader(handle)}
    ours = {row["gss_code"]: row for row in register_rows()}
    assert ours.keys() == reference.keys()
    facts = ("former_gss_codes", "official_name", "short_name", "type", "region")
    for code, row in reference.items():
        expected = {key: " ".join(row[key].split()) for key in facts}
        expected["region"] = REGION_CORRECTIONS.get(code, expected["region"])
        assert {key: ours[code][key] for key in facts} == expected, code


def test_the_build_script_reproduces_the_committed_register():
    require_reference()
    spec = importlib.util.spec_from_file_location("build_councils", BUILD_SCRIPT)
    build_councils = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_councils)
    rebuilt = build_councils.render(build_councils.build_rows(REFERENCE))
    assert rebuilt == DEFAULT_PATH.read_text(encoding="utf-8")


def test_every_non_metropolitan_district_and_no_other_council_has_a_county(register):
    counties = {c.gss_code: c for c in register if c.type == "County"}
    for council in register:
        if council.type == "Non-metropolitan district":
            county = counties[council.county_gss_code]
            assert county.region == council.region, council.short_name
        else:
            assert council.county_gss_code == "", council.short_name
    assert register.by_code("E07000082").county_gss_code == "E10000013"  # Stroud, Gloucestershire


def test_each_council_has_the_county_the_reference_gives_it():
    parents = REFERENCE.with_name("english_councils_2013_parents.csv")
    if not parents.exists():
        pytest.skip(f"the reference file {parents} is not here to check against")
    with open(parents, newline="", encoding="utf-8") as handle:
        expected = {row["gss_code"]: row["county_gss_code"] for row in csv.DictReader(handle)}
    expected |= COUNTY_CORRECTIONS
    assert {row["gss_code"]: row["county_gss_code"] for row in register_rows()} == expected
