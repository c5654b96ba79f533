"""The council boundary file: built from the reference districts, counties dissolved."""

import importlib.util
from pathlib import Path

import pytest
import shapely
from topojson.utils import arc_coordinates, serialize_as_geojson

from lgadata.councils import BOUNDARIES_PATH, load_boundaries, load_register

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE = REPO_ROOT.parent / "shared" / "reference" / "england_districts_2013.topojson"
BUILD_SCRIPT = REPO_ROOT / "scripts" / "build_boundaries.py"


def shapes(name: str) -> dict[str, shapely.Geometry]:
    collection = serialize_as_geojson(load_boundaries(), objectname=name)
    # Simplifying can make a ring touch itself; make_valid mends that for the geometry tests.
    return {
        f["properties"]["code"]: shapely.make_valid(shapely.geometry.shape(f["geometry"]))
        for f in collection["features"]
    }


def anchors(name: str) -> dict[str, shapely.Point]:
    geometries = load_boundaries()["objects"][name]["geometries"]
    return {
        g["properties"]["code"]: shapely.Point(g["properties"]["lon"], g["properties"]["lat"])
        for g in geometries
    }


def build_script():
    spec = importlib.util.spec_from_file_location("build_boundaries", BUILD_SCRIPT)
    build_boundaries = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_boundaries)
    return build_boundaries


def test_there_are_326_districts_and_27_counties():
    objects = load_boundaries()["objects"]
    assert len(objects["districts"]["geometries"]) == 326
    assert len(objects["counties"]["geometries"]) == 27


def test_the_codes_are_the_registers():
    register = load_register()
    objects = load_boundaries()["objects"]
    districts = {g["properties"]["code"] for g in objects["districts"]["geometries"]}
    counties = {g["properties"]["code"] for g in objects["counties"]["geometries"]}
    assert districts == {c.gss_code for c in register if c.type != "County"}
    assert counties == {c.gss_code for c in register if c.type == "County"}


def test_every_district_is_in_one_county_or_none():
    register = load_register()
    counties = shapes("counties")
    for code, point in anchors("districts").items():
        inside = [county for county, shape in counties.items() if shape.contains(point)]
        expected = register.by_code(code).county_gss_code
        assert inside == ([expected] if expected else []), register.by_code(code).short_name


def test_each_county_is_the_union_of_its_districts():
    register = load_register()
    districts = shapes("districts")
    for code, county in shapes("counties").items():
        members = [districts[c.gss_code] for c in register if c.county_gss_code == code]
        # The union's outer boundary: the slivers between its districts filled, as built.
        union = shapely.make_valid(build_script()._without_seams(shapely.union_all(members)))
        # They share arcs; only the slivers of the simplified districts (which the county's
        # own simplified boundary need not match) and make_valid's mending differ: < 0.1%.
        assert union.symmetric_difference(county).area < 1e-3 * union.area, code


def test_a_county_is_drawn_by_its_outer_boundary_without_seams_between_its_districts():
    # The walk of issue 18: sliver holes where districts' borders did not meet were drawn
    # as seams inside a county. A county's only holes are the councils it surrounds.
    register = load_register()
    seams = []
    # The rings as drawn: make_valid would add holes where simplifying crossed a border.
    drawn = serialize_as_geojson(load_boundaries(), objectname="counties")["features"]
    for feature in drawn:
        code, county = feature["properties"]["code"], shapely.geometry.shape(feature["geometry"])
        outside = [
            point
            for district, point in anchors("districts").items()
            if register.by_code(district).county_gss_code != code
        ]
        for part in getattr(county, "geoms", [county]):
            for ring in getattr(part, "interiors", []):
                hole = shapely.Polygon(ring)
                if not any(hole.contains(point) for point in outside):
                    seams.append((register.by_code(code).short_name, hole.area))
    assert seams == [], sorted(seams, key=lambda s: -s[1])


def test_every_anchor_is_inside_its_shape():
    for name in ("districts", "counties"):
        found = shapes(name)
        for code, point in anchors(name).items():
            # Within the simplification tolerance of the simplified shape.
            assert found[code].buffer(0.002).contains(point), code


def test_the_file_is_under_400_kb():
    assert BOUNDARIES_PATH.stat().st_size < 400_000


def test_the_build_script_reproduces_the_committed_file():
    if not SOURCE.exists():
        pytest.skip(f"the reference file {SOURCE} is not here to build from")
    spec = importlib.util.spec_from_file_location("build_boundaries", BUILD_SCRIPT)
    build_boundaries = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_boundaries)
    rebuilt = build_boundaries.render(build_boundaries.build(SOURCE, load_register()))
    assert rebuilt == BOUNDARIES_PATH.read_text(encoding="utf-8")


def test_outer_rings_run_clockwise_and_holes_anticlockwise_as_vega_draws_them():
    # One ring the wrong way round is drawn by d3-geo as the whole globe but that council.
    spec = importlib.util.spec_from_file_location("build_boundaries", BUILD_SCRIPT)
    build_boundaries = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_boundaries)
    topology = load_boundaries()
    arcs = arc_coordinates(topology["arcs"], topology["transform"])
    wrong = []
    for shapes_of in topology["objects"].values():
        for g in shapes_of["geometries"]:
            for polygon in g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]:
                for index, ring in enumerate(polygon):
                    area = build_boundaries._signed_area(ring, arcs)
                    if (area < 0) != (index == 0) or abs(area) < build_boundaries.FLAT:
                        wrong.append((g["properties"]["name"], index))
    assert wrong == []
