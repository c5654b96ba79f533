"""The council map chart: its data, legend words, highlight, networks and its spec's size."""

import json
import re

import pandas as pd
import pytest

from lgadata.charts import council_map as cm
from lgadata.councils import load_boundaries, load_register

STROUD, COTSWOLD, GLOUCESTERSHIRE = "E07000082", "E07000079", "E10000013"


def figures(**overrides) -> list[dict]:
    rows = []
    for i, council in enumerate(load_register()):
        rows.append(
            {
                "gss_code": council.gss_code,
                "name": council.short_name,
                "region": council.region,
                "type": council.type,
                "sharing": i % 5 != 0,
                "arrangements": 0 if i % 5 == 0 else i % 11 + 1,
                "led": 0,
                "savings_gbp": 0.0 if i % 5 == 0 else 10_000.0 * i,
                "savings_not_reported": 0,
                "partners": 0 if i % 5 == 0 else 2,
            }
            | overrides.get(council.gss_code, {})
        )
    return rows


# The upper tier: 27 counties, 56 unitaries, 36 metropolitan districts, 32 London boroughs
# and the City (only the 27 counties left England half blank, the walks of issue 18).
@pytest.mark.parametrize(("level", "count"), [(cm.DISTRICTS, 326), (cm.COUNTIES, 152)])
def test_a_level_draws_its_councils_only(level, count):
    frame = cm.council_frame(figures(), measure="sharing", level=level)
    assert len(frame) == count
    assert (GLOUCESTERSHIRE in set(frame["code"])) == (level == cm.COUNTIES)
    assert (STROUD in set(frame["code"])) == (level == cm.DISTRICTS)
    assert "E06000052" in set(frame["code"])  # Cornwall, a unitary, at both levels


@pytest.mark.parametrize("measure", ["arrangements", "savings"])
def test_every_amount_band_is_in_words_and_in_order_of_amount(measure):
    frame = cm.council_frame(figures(), measure=measure)
    words, colours = cm.legend_order(frame, measure)
    assert words[0].startswith("No")
    assert colours[0] == cm.NONE_COLOUR
    assert len(set(colours)) == len(words) <= 5
    assert set(frame["Band"]) == set(words)
    ranks = frame.drop_duplicates("Band").set_index("Band")["Rank"]
    assert [ranks[w] for w in words] == sorted(ranks)


def test_a_council_with_no_arrangements_is_not_sharing():
    frame = cm.council_frame(figures(), measure="sharing").set_index("code")
    codes = {f["gss_code"]: f for f in figures()}
    for code, row in frame.iterrows():
        assert (row["Band"] == cm.SHARING) == codes[code]["sharing"]


def test_the_chosen_council_and_its_partners_are_marked():
    frame = cm.council_frame(
        figures(), measure="sharing", chosen=STROUD, partners=[COTSWOLD]
    ).set_index("code")
    assert frame.loc[STROUD, "Highlight"] == cm.CHOSEN
    assert frame.loc[COTSWOLD, "Highlight"] == cm.PARTNER
    assert (frame["Highlight"] != "").sum() == 2


def test_a_council_that_began_sharing_since_the_last_edition_is_shown_so():
    before = figures(**{STROUD: {"sharing": False, "arrangements": 0}})
    now = figures(**{STROUD: {"sharing": True, "arrangements": 2}})
    frame = cm.change_frame(now, before).set_index("code")
    assert frame.loc[STROUD, "Band"] == cm.BEGAN
    assert set(frame["Band"]) <= {cm.BEGAN, cm.STILL, cm.STOPPED, cm.NOT_SHARING}


def test_the_map_passes_the_boundaries_once_and_keeps_the_spec_small():
    frame = cm.council_frame(figures(), measure="sharing")
    spec = cm.council_map(load_boundaries(), frame, title="Map", measure="sharing").to_dict()
    text = json.dumps(spec)
    boundaries = json.dumps(load_boundaries())
    assert text.count('"objects"') == 1
    assert len(text) < len(boundaries) + 150_000
    assert spec["datasets"][cm.BOUNDARIES]["arcs"] is load_boundaries()["arcs"]
    assert len(spec["hconcat"]) == 2  # England and the London inset


def test_the_attribution_is_on_the_map():
    frame = cm.council_frame(figures(), measure="sharing")
    spec = cm.council_map(load_boundaries(), frame, title="Map", measure="sharing").to_dict()
    assert "Martin Chorley" in spec["title"]["subtitle"]
    assert "Ordnance Survey" in spec["title"]["subtitle"]


def test_a_region_zooms_to_its_councils_without_an_inset():
    frame = cm.council_frame(figures(), measure="sharing")
    spec = cm.council_map(
        load_boundaries(), frame, title="Map", measure="sharing", region="South West"
    ).to_dict()
    assert len(spec["hconcat"]) == 1
    assert {"filter": "(datum.Region === 'South West')"} in spec["hconcat"][0]["layer"][0][
        "transform"
    ]


def test_the_networks_are_lines_between_the_councils_anchors():
    links = [{"lead": STROUD, "partner": COTSWOLD, "arrangements": 2}]
    anchors = cm.anchor_points(load_boundaries())
    lines = cm.links_frame(links, anchors)
    assert list(lines.iloc[0])[:5] == [*anchors[STROUD], *anchors[COTSWOLD], 2]
    frame = cm.council_frame(figures(), measure="sharing")
    spec = cm.council_map(
        load_boundaries(), frame, title="Map", measure="sharing", links=links
    ).to_dict()
    drawn = pd.DataFrame(spec["datasets"][cm.LINES])
    assert drawn.drop(columns="Within").equals(lines.drop(columns="Within"))
    assert list(drawn["Within"]) == ["South West"]
    assert any(layer["mark"]["type"] == "rule" for layer in spec["hconcat"][0]["layer"])


def test_the_map_table_lists_every_council_with_its_figures():
    table = cm.map_table(cm.council_frame(figures(), measure="savings"))
    assert len(table) == 326
    assert list(table.columns) == [
        "Council",
        "Region",
        "Arrangements",
        "Efficiency savings",
        "Partner councils",
        "On the map",
    ]


def test_an_unknown_measure_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown measure 'rank'"):
        cm.council_frame(figures(), measure="rank")


def test_a_copy_of_the_map_keeps_its_boundaries():
    # The board paper and meeting mode restyle the map (properties, copy): the copy must
    # still carry the shapes, or its spec draws nothing.
    frame = cm.council_frame(figures(), measure="sharing")
    chart = cm.council_map(load_boundaries(), frame, title="Map", measure="sharing")
    spec = chart.properties(background="white").to_dict()
    shapes = spec["datasets"][cm.BOUNDARIES]
    assert shapes["arcs"] is load_boundaries()["arcs"]
    assert len(shapes["objects"][cm.SHAPES]["geometries"]) == 326 + 27
    assert spec["background"] == "white"
    copied = chart.copy(deep=True).to_dict()["datasets"][cm.BOUNDARIES]
    assert copied["objects"] == shapes["objects"]


def _outlines_drawn(chart) -> list[str]:
    """Return the outlines (unfilled paths in the outline colour) Vega draws, legend aside."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart.to_json())
    return re.findall(r'<path[^>]*fill-opacity="0"[^>]*>', svg)


def test_a_county_partner_of_the_chosen_council_is_outlined_as_its_districts_union():
    # Gloucestershire has no shape of its own among the districts: it is drawn from the
    # counties, the union of its six districts, around Stroud and Cotswold.
    outlines = cm.outline_frame(figures(), chosen=STROUD, partners=[COTSWOLD, GLOUCESTERSHIRE])
    assert dict(zip(outlines["code"], outlines["Highlight"], strict=True)) == {
        STROUD: cm.CHOSEN,
        COTSWOLD: cm.PARTNER,
        GLOUCESTERSHIRE: cm.PARTNER,
    }
    frame = cm.council_frame(figures(), measure="sharing")
    chart = cm.council_map(
        load_boundaries(), frame, title="Map", measure="sharing", outlines=outlines
    )
    assert GLOUCESTERSHIRE not in set(frame["code"])
    assert len(_outlines_drawn(chart)) == 3
    alone = cm.outline_frame(figures(), chosen=STROUD, partners=[COTSWOLD])
    chart = cm.council_map(load_boundaries(), frame, title="Map", measure="sharing", outlines=alone)
    assert len(_outlines_drawn(chart)) == 2


def test_a_map_with_no_council_chosen_has_no_outline_legend():
    frame = cm.council_frame(figures(), measure="sharing")
    chart = cm.council_map(load_boundaries(), frame, title="Map", measure="sharing")
    assert _outlines_drawn(chart) == []
    assert cm.CHOSEN not in json.dumps(chart.to_dict())


def _chart(level: str = cm.DISTRICTS, **kw) -> tuple[pd.DataFrame, cm.MapChart]:
    """Return a level's councils and their map, coloured by sharing."""
    frame = cm.council_frame(figures(), measure="sharing", level=level)
    chart = cm.council_map(
        load_boundaries(), frame, title="Map", measure="sharing", level=level, **kw
    )
    return frame, chart


def _spec(**kw) -> dict:
    return _chart(**kw)[1].to_dict()


def _rules(view: dict) -> list[dict]:
    return [layer for layer in view["layer"] if layer["mark"]["type"] == "rule"]


def test_the_london_inset_draws_only_the_lines_within_london():
    camden, islington = "E09000007", "E09000019"
    links = [
        {"lead": STROUD, "partner": COTSWOLD, "arrangements": 1},
        {"lead": camden, "partner": STROUD, "arrangements": 1},
        {"lead": camden, "partner": islington, "arrangements": 2},
    ]
    spec = _spec(links=links)
    england, london = spec["hconcat"]
    assert not any("filter" in t for t in _rules(england)[0].get("transform", []))
    lines = pd.DataFrame(spec["datasets"][cm.LINES])
    (inset,) = _rules(london)
    kept = [t["filter"] for t in inset["transform"] if "filter" in t]
    assert kept == ["(datum['Within'] === 'London')"]
    assert list(lines["Within"]) == ["South West", "", "London"]


def test_a_zoom_draws_only_its_own_lines_so_its_councils_fill_the_map():
    bolton, wigan, liverpool = "E08000001", "E08000010", "E08000012"
    links = [
        {"lead": bolton, "partner": wigan, "arrangements": 1},
        {"lead": bolton, "partner": liverpool, "arrangements": 1},
    ]
    spec = _spec(links=links, region="Greater Manchester")
    assert list(pd.DataFrame(spec["datasets"][cm.LINES])["Within county"]) == [
        "Greater Manchester",
        "",
    ]
    (rule,) = _rules(spec["hconcat"][0])
    assert {"filter": "(datum['Within county'] === 'Greater Manchester')"} in rule["transform"]
    (rule,) = _rules(_spec(links=links, region="North West")["hconcat"][0])
    assert {"filter": "(datum['Within'] === 'North West')"} in rule["transform"]


def test_the_lines_legend_says_how_many_arrangements_in_whole_numbers_and_words():
    links = [{"lead": STROUD, "partner": COTSWOLD, "arrangements": n} for n in (1, 2, 3, 7)]
    lines = cm.links_frame(links, cm.anchor_points(load_boundaries()))
    assert list(lines["Joined by"]) == [
        "1 arrangement",
        "2 arrangements",
        "3 or more arrangements",
        "3 or more arrangements",
    ]
    (rule,) = _rules(_spec(links=links)["hconcat"][0])
    width = rule["encoding"]["strokeWidth"]
    assert width["type"] == "ordinal"
    assert width["scale"]["domain"] == list(cm.JOINED_BY)
    assert width["legend"]["titleLimit"] >= 400


def test_the_attribution_can_be_left_to_a_caption_under_the_map():
    spec = _spec(attribution=False)
    assert "subtitle" not in spec["title"]
    assert "Martin Chorley" in cm.ATTRIBUTION and "Crown copyright" in cm.ATTRIBUTION


@pytest.mark.parametrize(
    ("area", "members"),
    [("Greater Manchester", 10), ("Merseyside", 5), ("South Yorkshire", 4),
     ("Tyne and Wear", 5), ("West Midlands (metropolitan county)", 7), ("West Yorkshire", 5)],
)  # fmt: skip
def test_each_metropolitan_county_can_be_zoomed_to(area, members):
    frame = cm.council_frame(figures(), measure="sharing")
    assert (frame["Area"] == area).sum() == members
    spec = _spec(region=area)
    assert len(spec["hconcat"]) == 1
    shown = spec["hconcat"][0]["layer"][0]["transform"][0]["filter"]
    assert shown == f"((datum.Region === '{area}') || (datum.Area === '{area}'))"
    assert cm.ZOOMS[area] in {c.region for c in load_register()}


def test_the_chosen_council_is_outlined_unlike_its_partners_and_the_legend_says_so():
    import vl_convert

    outlines = cm.outline_frame(figures(), chosen=STROUD, partners=[COTSWOLD])
    frame = cm.council_frame(figures(), measure="sharing")
    chart = cm.council_map(
        load_boundaries(), frame, title="Map", measure="sharing", outlines=outlines
    )
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    drawn = _outlines_drawn(chart)
    styles = {(re.search(r'stroke="([^"]+)"', p).group(1), "stroke-dasharray" in p) for p in drawn}
    assert len(drawn) == 2 and len(styles) == 2, drawn  # a colour and a dash of its own
    assert cm.CHOSEN in svg and cm.PARTNER in svg  # the legend's words
    # With lines drawn too, the lines' legend keeps its own words: no shared width scale.
    links = [{"lead": STROUD, "partner": COTSWOLD, "arrangements": 1}]
    spec = cm.council_map(
        load_boundaries(), frame, title="Map", measure="sharing", outlines=outlines, links=links
    ).to_dict()
    widths = [layer["encoding"]["strokeWidth"] for layer in spec["hconcat"][0]["layer"][1:]]
    assert [width.get("field") for width in widths] == [None, "Joined by"]


def test_each_council_is_described_in_words_to_a_screen_reader():
    import vl_convert

    frame = cm.council_frame(figures(), measure="arrangements")
    chart = cm.council_map(load_boundaries(), frame, title="Map", measure="arrangements")
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    labels = re.findall(r'aria-label="([^"]*)"', svg)
    assert "object" not in " ".join(labels)
    stroud = next(label for label in labels if "Stroud" in label)
    assert stroud.startswith("Council: Stroud; Region: South West; ")
    assert "geo" not in stroud


def test_a_council_in_no_arrangement_is_named_so_apart_from_one_reporting_no_savings():
    # The walk of issue 18: councils sharing nothing were drawn as "No savings reported".
    rows = figures(
        **{
            STROUD: {"sharing": False, "arrangements": 0, "savings_gbp": 0.0},
            COTSWOLD: {"sharing": True, "arrangements": 2, "savings_gbp": 0.0},
        }
    )
    for measure in cm.MEASURES:
        frame = cm.council_frame(rows, measure=measure).set_index("code")
        assert frame.loc[STROUD, "Band"] == cm.NOT_SHARING == "Not in a shared arrangement"
        assert frame.loc[COTSWOLD, "Band"] != cm.NOT_SHARING
    frame = cm.council_frame(rows, measure="savings")
    assert frame.set_index("code").loc[COTSWOLD, "Band"] == cm.NO_SAVINGS
    words, colours = cm.legend_order(frame, "savings")
    colour = dict(zip(words, colours, strict=True))
    assert words[:2] == [cm.NOT_SHARING, cm.NO_SAVINGS]
    assert colour[cm.NOT_SHARING] != colour[cm.NO_SAVINGS]
    assert len(set(colours)) == len(words)


def _lines_layer(spec: dict) -> dict:
    return next(layer for layer in spec["hconcat"][0]["layer"] if layer["mark"]["type"] == "rule")


def test_the_lines_are_drawn_in_the_colour_and_opacity_their_legend_shows():
    # The walk of issue 18: lines drawn at 70% over the blues read grey; the legend orange.
    links = [{"lead": STROUD, "partner": COTSWOLD, "arrangements": 2}]
    frame = cm.council_frame(figures(), measure="sharing")
    spec = cm.council_map(
        load_boundaries(), frame, title="Map", measure="sharing", links=links
    ).to_dict()
    lines = _lines_layer(spec)
    legend = lines["encoding"]["strokeWidth"]["legend"]
    assert lines["mark"]["stroke"] == legend["symbolStrokeColor"] == cm.LINE_COLOUR
    assert lines["mark"].get("opacity", 1) == legend.get("symbolOpacity", 1) == 1


def test_the_legend_the_page_shows_is_what_the_map_draws():
    # The page shows the legends as text (legend_groups): each entry's colour and width
    # must be the mark's, as the chart's scales have them.
    links = [{"lead": STROUD, "partner": COTSWOLD, "arrangements": 2}]
    frame = cm.council_frame(figures(), measure="savings")
    outlines = cm.outline_frame(figures(), chosen=STROUD, partners=[COTSWOLD])
    spec = cm.council_map(
        load_boundaries(),
        frame,
        title="Map",
        measure="savings",
        links=links,
        outlines=outlines,
        text_colour="#0b0c0c",
        words_outside=True,
    ).to_dict()
    fills, outline, lines = spec["hconcat"][0]["layer"]
    groups = cm.legend_groups(frame, "savings", lines=True, outlined=True, chosen_colour="#0b0c0c")
    (_, shown_fills), (_, shown_outlines), (title, shown_lines) = groups
    scale = fills["encoding"]["color"]["scale"]
    assert [(e["words"], e["colour"]) for e in shown_fills] == list(
        zip(scale["domain"], scale["range"], strict=True)
    )
    stroke = outline["encoding"]["stroke"]["scale"]
    dash = outline["encoding"]["strokeDash"]["scale"]
    assert [(e["words"], e["colour"], e["dash"]) for e in shown_outlines] == list(
        zip(stroke["domain"], stroke["range"], dash["range"], strict=True)
    )
    widths = lines["encoding"]["strokeWidth"]["scale"]
    assert title == cm.LINES_TITLE
    assert [(e["words"], e["width"], e["colour"], e["opacity"]) for e in shown_lines] == [
        (w, width, lines["mark"]["stroke"], lines["mark"]["opacity"])
        for w, width in zip(widths["domain"], widths["range"], strict=True)
    ]
    assert "title" not in spec and fills["encoding"]["color"]["legend"] is None


def test_a_zoom_on_the_county_councils_still_draws_the_lines_within_it():
    # The early walk of issue 17: zoomed to the East of England with county councils shown,
    # no line was drawn (a district's region was looked up among the counties) while the
    # lines' legend stayed.
    cambridge, south_cambs = "E07000008", "E07000012"
    links = [{"lead": cambridge, "partner": south_cambs, "arrangements": 1}]
    spec = _spec(level=cm.COUNTIES, region="East of England", links=links)
    assert list(pd.DataFrame(spec["datasets"][cm.LINES])["Within"]) == ["East of England"]


def test_the_pages_london_inset_is_labelled_large_enough_for_a_phone():
    # The walk of issue 18: with the words outside the map, the inset had no label at all.
    frame = cm.council_frame(figures(), measure="sharing")
    spec = cm.council_map(
        load_boundaries(), frame, title="Map", measure="sharing", words_outside=True
    ).to_dict()
    label = spec["hconcat"][1]["layer"][-1]["mark"]
    assert label["type"] == "text" and label["text"] == cm.LONDON
    # Not a title: its row pushed the whole map down, under the first screen at 1280x720.
    assert "title" not in spec["hconcat"][1]
    # Scaled to a phone's map width (354 of its pixels), still 12 px.
    width = cm.MAP_SIZE[0] + 24 + cm.INSET_SIZE[0]
    assert label["fontSize"] * 354 / width >= 12


def test_the_upper_tier_map_draws_the_unitaries_its_lines_run_to():
    # The walk of issue 18: zoomed to the South West with county councils shown, lines ran
    # to the anchors of unitaries (Cornwall, Bristol) that it did not draw, into white.
    cornwall, bristol = "E06000052", "E06000023"
    links = [
        {"lead": STROUD, "partner": COTSWOLD, "arrangements": 1},
        {"lead": STROUD, "partner": cornwall, "arrangements": 1},
        {"lead": bristol, "partner": GLOUCESTERSHIRE, "arrangements": 1},
        {"lead": GLOUCESTERSHIRE, "partner": COTSWOLD, "arrangements": 2},
    ]
    frame, chart = _chart(level=cm.COUNTIES, region="South West", links=links)
    assert len(chart.attached[cm.LINES]) == 4
    assert {cornwall, bristol} <= set(frame["code"])  # both ends of every line are drawn
    # The districts' map draws every one.
    assert len(_spec(links=links)["datasets"][cm.LINES]) == 4
