"""Regenerate data/boundaries.topojson: council shapes simplified for a screen, with counties.

The districts come from Martin Chorley's UK-GeoJSON (CC BY 4.0; contains Ordnance Survey
data © Crown copyright and database right 2014); each county is the union of the districts
the register places in it.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import shapely
import topojson
from shapely.geometry import mapping, shape
from topojson.utils import arc_coordinates, serialize_as_geojson

REPO_ROOT = Path(__file__).resolve().parent.parent
# Run as a plain script, the package is not installed, so put the repository on the path.
sys.path.insert(0, str(REPO_ROOT))

from lgadata.councils import CouncilRegister  # noqa: E402

DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "reference" / "england_districts_2013.topojson"
DEFAULT_OUTPUT = REPO_ROOT / "data" / "boundaries.topojson"
SOURCE_OBJECT, DISTRICTS, COUNTIES = "lad", "districts", "counties"

# Simplification tolerance in degrees (Douglas-Peucker on the shared arcs, so neighbours
# keep a common border). 0.002 degrees is about 140 m east-west and 220 m north-south here.
# The smallest view the map draws is the London inset, about 0.9 degrees across in 500
# pixels: one pixel is about 0.0018 degrees, so nothing the eye can see there is lost, and
# at the whole of England (one pixel about 1 km) the shapes look as drawn. It brings the
# 1 MB source to about 320 KB with the counties (370 KB before their seams were filled).
TOLERANCE = 0.002
# Coordinates kept to a grid of 10,000 steps across England's extent (about 55 m), the
# grid the source itself was quantized to, so nothing is lost that the source had.
QUANTIZATION = 10_000
# Islands smaller than this (square degrees, about 0.15 km², under two pixels square in the
# London inset) are left out: 562 of them, mostly mudflats and rocks, 8% of the file.
SMALLEST_ISLAND = 2e-5
# Holes in a county smaller than this (square degrees, about 7 km²) are slivers where its
# districts' source borders do not quite meet, drawn as seams inside it (the walk of issue
# 18); the smallest true hole, a unitary city the county surrounds (Leicester), is ten times
# larger. The largest sliver is about 0.0001.
SEAM = 1e-3
# A ring of less area than this (square degrees, about 10 m²) has been flattened to a line.
FLAT = 1e-9
# Label and line anchors, rounded to about 10 m.
ANCHOR_DECIMALS = 4


def read_districts(path: Path) -> dict[str, shapely.Geometry]:
    """Return each district's shape by GSS code, from the source TopoJSON."""
    source = json.loads(path.read_text(encoding="utf-8"))
    collection = serialize_as_geojson(source, objectname=SOURCE_OBJECT)
    # Many source rings touch themselves where the quantized coastline doubles back, which
    # GEOS's union refuses; make_valid mends them without moving a vertex, and "structure"
    # drops the zero-area spikes rather than keeping them as stray lines.
    districts = {}
    for feature in collection["features"]:
        mended = shapely.make_valid(
            shape(feature["geometry"]), method="structure", keep_collapsed=False
        )
        parts = [
            part for part in getattr(mended, "geoms", [mended]) if part.area >= SMALLEST_ISLAND
        ]
        districts[feature["properties"]["LAD13CD"]] = shapely.MultiPolygon(parts)
    return districts


def dissolve_counties(
    districts: dict[str, shapely.Geometry], register: CouncilRegister
) -> dict[str, shapely.Geometry]:
    """Return each county's shape: the union of its districts, its outer boundary only."""
    members: dict[str, list[shapely.Geometry]] = {}
    for council in register:
        if council.county_gss_code:
            members.setdefault(council.county_gss_code, []).append(districts[council.gss_code])
    return {
        code: _without_seams(shapely.union_all(shapes)) for code, shapes in sorted(members.items())
    }


def _without_seams(county: shapely.Geometry) -> shapely.MultiPolygon:
    """Return a county's shape without the sliver holes left between its districts."""
    return shapely.MultiPolygon(
        [
            shapely.Polygon(
                part.exterior,
                [ring for ring in part.interiors if shapely.Polygon(ring).area >= SEAM],
            )
            for part in getattr(county, "geoms", [county])
            if isinstance(part, shapely.Polygon)  # not a mended union's stray lines
        ]
    )


def anchor(geometry: shapely.Geometry) -> list[float]:
    """Return where a shape's label and lines go: its centroid, or a point inside if outside."""
    point = geometry.centroid
    if not geometry.contains(point):  # a crescent's centroid lies outside it
        point = geometry.point_on_surface()
    return [round(point.x, ANCHOR_DECIMALS), round(point.y, ANCHOR_DECIMALS)]


def collection(shapes: dict[str, shapely.Geometry], register: CouncilRegister) -> dict:
    """Return shapes as a GeoJSON feature collection carrying code, name and anchor."""
    features = []
    for code, geometry in sorted(shapes.items()):
        council = register.by_code(code)
        longitude, latitude = anchor(geometry)
        properties = {"code": code, "name": council.short_name, "lon": longitude, "lat": latitude}
        features.append(
            {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}
        )
    return {"type": "FeatureCollection", "features": features}


def build(source: Path, register: CouncilRegister) -> dict:
    """Return the project's boundary file: districts and counties sharing simplified arcs."""
    districts = read_districts(source)
    expected = {c.gss_code for c in register if c.type != "County"}
    if set(districts) != expected:
        missing, extra = sorted(expected - set(districts)), sorted(set(districts) - expected)
        raise SystemExit(f"{source}: codes differ from the register: {missing=} {extra=}")
    counties = dissolve_counties(districts, register)
    # One topology of both, so a county's border is the same simplified arcs as its
    # districts' and the two layers never drift apart; then split into two objects.
    shapes = (
        collection(districts, register)["features"] + collection(counties, register)["features"]
    )
    topology = topojson.Topology(
        {"type": "FeatureCollection", "features": shapes},
        object_name=SOURCE_OBJECT,
        prequantize=QUANTIZATION,
        toposimplify=TOLERANCE,
        prevent_oversimplify=True,
    ).to_dict()
    geometries = topology["objects"].pop(SOURCE_OBJECT)["geometries"]
    for name, is_county in ((DISTRICTS, False), (COUNTIES, True)):
        chosen = [
            {key: value for key, value in g.items() if key != "id"}  # the code is the id
            for g in geometries
            if (g["properties"]["code"] in counties) == is_county
        ]
        topology["objects"][name] = {"type": "GeometryCollection", "geometries": chosen}
    wind(topology)
    return topology


def wind(topology: dict) -> None:
    """Turn every outer ring clockwise and every hole anticlockwise, as d3-geo (Vega) reads them.

    The topojson library leaves Cambridge, a hole in South Cambridgeshire, anticlockwise, and
    d3-geo draws such a ring as the whole globe but Cambridge. Rings that simplifying has
    flattened to no area are dropped, and a polygon whose outer ring is flattened with them.
    The signed (shoelace) area decides, as it does for d3, even for a ring that crosses itself.
    """
    arcs = arc_coordinates(topology["arcs"], topology["transform"])
    for shapes in topology["objects"].values():
        for geometry in shapes["geometries"]:
            multi = geometry["type"] == "MultiPolygon"
            kept = []
            for polygon in geometry["arcs"] if multi else [geometry["arcs"]]:
                rings = []
                for index, ring in enumerate(polygon):
                    area = _signed_area(ring, arcs)
                    if abs(area) < FLAT:
                        if index == 0:
                            break
                        continue
                    outer = index == 0
                    rings.append([~arc for arc in reversed(ring)] if (area < 0) != outer else ring)
                if rings:
                    kept.append(rings)
            geometry["arcs"] = kept if multi else kept[0]


def _signed_area(ring: list[int], arcs: list) -> float:
    """Return a ring's shoelace area in square degrees: negative when it runs clockwise."""
    parts = [arcs[arc] if arc >= 0 else arcs[~arc][::-1] for arc in ring]
    points = np.concatenate(parts)
    x, y = points[:, 0], points[:, 1]
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) / 2)


def render(topology: dict) -> str:
    """Return the boundary file as compact JSON text."""
    return json.dumps(topology, separators=(",", ":"), sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Write data/boundaries.topojson from the reference districts and the register."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE,
        help="england_districts_2013.topojson",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write")
    args = parser.parse_args(argv)
    args.output.write_text(render(build(args.source, CouncilRegister.load())), encoding="utf-8")


if __name__ == "__main__":
    main()
