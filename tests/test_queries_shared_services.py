"""Shared Services Map queries over the shipped samples: breakdowns and the arrangement list."""

import re

import pytest

from lgadata import queries

LATEST, EARLIER = "2013-01-31", "2011-11-30"
KIRKLEES = "E08000034"
GSS_CODE = re.compile(r"^E\d{8}$")


def _all(engine, **filters) -> dict:
    return queries.shared_services_arrangements(engine=engine, limit=1_000, **filters)


def _names(found: dict) -> set[str]:
    return {row["arrangement"] for row in found["rows"]}


@pytest.mark.parametrize(("as_at", "sharing"), [(LATEST, 337), (EARLIER, 220)])
def test_each_council_sharing_is_counted_once_in_its_own_region(sample_engine, as_at, sharing):
    regions = queries.shared_services_regions(engine=sample_engine, as_at=as_at)
    assert len(regions) == 9
    assert sum(r["councils"] for r in regions) == 353
    assert sum(r["sharing"] for r in regions) == sharing


def test_the_south_east_has_73_of_its_74_councils_sharing(sample_engine):
    regions = queries.shared_services_regions(engine=sample_engine, as_at=LATEST)
    south_east = next(r for r in regions if r["region"] == "South East")
    assert (south_east["sharing"], south_east["councils"]) == (73, 74)
    assert south_east["share"] == pytest.approx(73 / 74)


def test_every_region_is_listed_for_an_edition_with_no_arrangements(empty_engine):
    regions = queries.shared_services_regions(engine=empty_engine, as_at=LATEST)
    assert len(regions) == 9
    assert {r["sharing"] for r in regions} == {0}


@pytest.mark.parametrize("as_at", [LATEST, EARLIER])
def test_the_categories_add_up_to_the_editions_totals(sample_engine, as_at):
    edition = next(
        e for e in queries.shared_services_editions(engine=sample_engine) if e["as_at"] == as_at
    )
    categories = queries.shared_services_categories(engine=sample_engine, as_at=as_at)
    assert sum(c["arrangements"] for c in categories) == edition["arrangements"]
    assert sum(c["savings_gbp"] for c in categories) == pytest.approx(edition["savings_gbp"])
    assert sum(c["savings_not_reported"] for c in categories) == edition["savings_not_reported"]


def test_the_categories_come_most_arrangements_first(sample_engine):
    categories = queries.shared_services_categories(engine=sample_engine, as_at=LATEST)
    assert categories[0] == {
        "category": "Back office and ICT",
        "arrangements": 53,
        "savings_gbp": 39_963_000.0,
        "savings_not_reported": 2,
    }
    counts = [c["arrangements"] for c in categories]
    assert counts == sorted(counts, reverse=True)


def test_the_council_list_holds_the_whole_register_with_each_councils_arrangements(sample_engine):
    councils = queries.shared_services_councils(engine=sample_engine, as_at=LATEST)
    assert len(councils) == 353
    assert sum(1 for c in councils if c["arrangements"]) == 337
    kirklees = next(c for c in councils if c["gss_code"] == KIRKLEES)
    assert kirklees == {
        "gss_code": KIRKLEES,
        "name": "Kirklees",
        "region": "Yorkshire and The Humber",
        "arrangements": 9,
    }


def test_the_unfiltered_list_gives_the_editions_totals_and_one_page(sample_engine):
    found = queries.shared_services_arrangements(engine=sample_engine, as_at=LATEST, limit=50)
    assert (found["total"], found["savings_gbp"], found["savings_not_reported"]) == (
        325,
        278_000_000.0,
        15,
    )
    assert len(found["rows"]) == 50
    assert found["led"] is None


def test_pages_follow_on_without_overlap_and_cover_every_arrangement(sample_engine):
    pages = [
        queries.shared_services_arrangements(
            engine=sample_engine, as_at=LATEST, limit=100, offset=offset
        )
        for offset in (0, 100, 200, 300)
    ]
    names = [row["arrangement"] for page in pages for row in page["rows"]]
    assert [len(page["rows"]) for page in pages] == [100, 100, 100, 25]
    assert len(set(names)) == 325
    assert names[0] == "Adur and Worthing shared services"  # by name, whatever the collation


def test_savings_not_reported_are_left_blank_not_zero(sample_engine):
    found = _all(sample_engine, as_at=LATEST)
    blank = [row for row in found["rows"] if row["savings_gbp"] is None]
    assert len(blank) == found["savings_not_reported"] == 15
    assert all(row["savings_gbp"] != 0 for row in found["rows"])


def test_lead_and_partner_councils_are_given_by_name(sample_engine):
    found = _all(sample_engine, as_at=LATEST, search="Adur and Worthing shared services")
    (row,) = found["rows"]
    assert (row["lead_council"], row["partner_councils"]) == ("Worthing", ["Adur"])
    every = _all(sample_engine, as_at=LATEST)["rows"]
    names = [r["lead_council"] for r in every] + [n for r in every for n in r["partner_councils"]]
    assert not [name for name in names if GSS_CODE.match(name)]


def test_a_council_filter_finds_what_it_leads_and_what_it_is_a_partner_in(sample_engine):
    found = _all(sample_engine, as_at=LATEST, council=KIRKLEES)
    assert (found["total"], found["led"], found["savings_not_reported"]) == (9, 2, 1)
    assert found["savings_gbp"] == 3_808_000.0
    roles = {row["arrangement"]: row["role"] for row in found["rows"]}
    assert roles["Kirklees and Leeds joint procurement service"] == "Lead"
    assert roles["West Yorkshire shared legal service"] == "Partner"
    for row in found["rows"]:
        assert "Kirklees" in [row["lead_council"], *row["partner_councils"]]


def test_a_list_of_councils_finds_each_arrangement_any_of_them_is_in_once(sample_engine):
    leeds = "E08000035"
    both = _all(sample_engine, as_at=LATEST, councils=(KIRKLEES, leeds))
    each = [_names(_all(sample_engine, as_at=LATEST, council=c)) for c in (KIRKLEES, leeds)]
    assert _names(both) == each[0] | each[1] and both["total"] == len(each[0] | each[1])
    assert both["total"] < sum(map(len, each))  # one of both is counted once
    totals = queries.shared_services_arrangements(
        engine=sample_engine, as_at=LATEST, councils=(KIRKLEES, leeds), limit=0
    )
    assert totals["rows"] == [] and totals["total"] == both["total"]


def test_a_region_filter_finds_arrangements_with_any_council_in_the_region(sample_engine):
    regions = [
        r["region"] for r in queries.shared_services_regions(engine=sample_engine, as_at=LATEST)
    ]
    by_region = {
        region: _names(_all(sample_engine, as_at=LATEST, region=region)) for region in regions
    }
    assert set().union(*by_region.values()) == _names(_all(sample_engine, as_at=LATEST))
    assert "Adur and Worthing shared services" in by_region["South East"]
    assert "Adur and Worthing shared services" not in by_region["London"]


def test_a_category_filter_matches_the_category_breakdown(sample_engine):
    for category in queries.shared_services_categories(engine=sample_engine, as_at=LATEST):
        found = _all(sample_engine, as_at=LATEST, category=category["category"])
        assert found["total"] == category["arrangements"]
        assert found["savings_gbp"] == pytest.approx(category["savings_gbp"])
        assert {row["category"] for row in found["rows"]} == {category["category"]}


@pytest.mark.parametrize("search", ["waste", "WASTE", "  Waste "])
def test_the_search_ignores_case_and_looks_in_names_and_services(sample_engine, search):
    found = _all(sample_engine, as_at=LATEST, search=search)
    assert found["total"] > 0
    for row in found["rows"]:
        assert "waste" in f"{row['arrangement']} {row['services']}".lower()
    assert "Buckinghamshire waste partnership" in _names(found)


@pytest.mark.parametrize("search", ["%", "_", "100%"])
def test_like_wildcards_in_a_search_are_taken_literally(sample_engine, search):
    assert _all(sample_engine, as_at=LATEST, search=search)["total"] == 0


def test_filters_combine(sample_engine):
    found = _all(sample_engine, as_at=LATEST, council=KIRKLEES, category="Procurement")
    assert _names(found) == {
        "Kirklees and Leeds joint procurement service",
        "West Yorkshire procurement partnership",
    }


def test_an_edition_that_does_not_exist_has_no_arrangements(sample_engine):
    found = queries.shared_services_arrangements(engine=sample_engine, as_at="1999-01-01")
    assert found == {
        "total": 0,
        "savings_gbp": 0.0,
        "savings_not_reported": 0,
        "led": None,
        "rows": [],
    }


def test_an_earlier_edition_lists_only_its_own_arrangements(sample_engine):
    earlier, latest = _all(sample_engine, as_at=EARLIER), _all(sample_engine, as_at=LATEST)
    assert (earlier["total"], earlier["savings_gbp"]) == (170, 165_000_000.0)
    assert len(_names(earlier)) == 170
    assert len(_names(latest) - _names(earlier)) >= 155


@pytest.mark.parametrize("as_at", [LATEST, EARLIER])
def test_each_councils_map_figures_equal_its_arrangements_view(sample_engine, as_at):
    figures = queries.shared_services_council_figures(engine=sample_engine, as_at=as_at)
    assert len(figures) == 353
    listed = {
        c["gss_code"]: c
        for c in queries.shared_services_councils(engine=sample_engine, as_at=as_at)
    }
    for council in figures:
        found = _all(sample_engine, as_at=as_at, council=council["gss_code"])
        assert (
            council["arrangements"] == found["total"] == listed[council["gss_code"]]["arrangements"]
        )
        assert council["led"] == found["led"]
        assert council["savings_gbp"] == pytest.approx(found["savings_gbp"])
        assert council["savings_not_reported"] == found["savings_not_reported"]
        assert council["sharing"] is (found["total"] > 0)
        partners = queries.shared_services_partners(
            engine=sample_engine, as_at=as_at, council=council["gss_code"]
        )
        assert council["partners"] == len(partners)


@pytest.mark.parametrize(("as_at", "sharing"), [(LATEST, 337), (EARLIER, 220)])
def test_the_map_counts_as_many_councils_sharing_as_the_regions(sample_engine, as_at, sharing):
    figures = queries.shared_services_council_figures(engine=sample_engine, as_at=as_at)
    assert sum(c["sharing"] for c in figures) == sharing


def test_a_councils_partners_are_every_other_council_of_its_arrangements(sample_engine):
    found = _all(sample_engine, as_at=LATEST, council=KIRKLEES)
    names = {r["lead_council"] for r in found["rows"]}
    names |= {p for r in found["rows"] for p in r["partner_councils"]}
    partners = queries.shared_services_partners(
        engine=sample_engine, as_at=LATEST, council=KIRKLEES
    )
    register = {
        c["gss_code"]: c["name"]
        for c in queries.shared_services_councils(engine=sample_engine, as_at=LATEST)
    }
    assert {register[code] for code in partners} == names - {register[KIRKLEES]}


def test_the_networks_join_each_lead_to_its_partners_in_the_category(sample_engine):
    category = "Back office and ICT"
    links = queries.shared_services_links(engine=sample_engine, as_at=LATEST, category=category)
    found = _all(sample_engine, as_at=LATEST, category=category)
    expected = sum(len(set(r["partner_councils"]) - {r["lead_council"]}) for r in found["rows"])
    assert sum(link["arrangements"] for link in links) == expected
    assert all(GSS_CODE.match(link["lead"]) and GSS_CODE.match(link["partner"]) for link in links)
    assert all(link["lead"] != link["partner"] for link in links)


def test_the_networks_of_a_region_are_its_arrangements(sample_engine):
    region = "South West"
    links = queries.shared_services_links(engine=sample_engine, as_at=LATEST, region=region)
    found = _all(sample_engine, as_at=LATEST, region=region)
    expected = sum(len(set(r["partner_councils"]) - {r["lead_council"]}) for r in found["rows"])
    assert sum(link["arrangements"] for link in links) == expected > 0
