"""The Shared Services Map as a map: councils coloured by a measure, networks, changes.

Data in, chart out: the boundaries (TopoJSON, as lgadata.councils.load_boundaries gives
them) are passed once as a dataset that every view looks its shapes up in by GSS code, and
each council's figures are a small table. Colours are colour-blind-safe: Okabe-Ito for
kinds, a single-hue sequential ramp for amounts; every legend says what it means in words.
"""

import math
from collections.abc import Iterable, Sequence
from functools import cache, partial

import altair as alt
import pandas as pd

from lgadata.charts import FONT_SIZE, PALETTE, TITLE_SIZE
from lgadata.councils import load_register
from lgadata.values import format_count, format_money

ATTRIBUTION = (
    "Boundaries: Martin Chorley, UK-GeoJSON (CC BY 4.0). "
    "Contains Ordnance Survey data © Crown copyright and database right 2014."
)
BOUNDARIES = "council-boundaries"  # the one dataset of shapes every view looks up
FIGURES, LINES, OUTLINES = "council-figures", "council-links", "council-outlines"
SHAPES = "councils"  # the one TopoJSON object the map reads: districts and counties alike
SELECTION = "council"  # the click selection's name, as st.altair_chart reports it
DISTRICTS, COUNTIES = "districts", "counties"
COUNTY_TYPE, DISTRICT_TYPE = "County", "Non-metropolitan district"  # the register's types
LONDON = "London"
INSET_NOTE = f"{LONDON} is drawn again, enlarged, at the right of the map."
# The metropolitan counties (no councils of their own since 1986, so not in the register):
# each is a zoom of the map beside the regions, its districts by their GSS codes' numbers
# (E08000001 to E08000037: Gateshead took 37 in 2013), with the region the lines of its
# arrangements are drawn for.
METROPOLITAN = {
    "Greater Manchester": (range(1, 11), "North West"),
    "Merseyside": (range(11, 16), "North West"),
    "South Yorkshire": (range(16, 20), "Yorkshire and The Humber"),
    "Tyne and Wear": ((*range(20, 25), 37), "North East"),
    "West Midlands (metropolitan county)": (range(25, 32), "West Midlands"),
    "West Yorkshire": (range(32, 37), "Yorkshire and The Humber"),
}
ZOOMS = {area: region for area, (_, region) in METROPOLITAN.items()}
MEASURES = {
    "sharing": "Sharing services or not",
    "arrangements": "Number of arrangements",
    "savings": "Efficiency savings",
}
# A council in no arrangement is named so under every measure, apart from one whose
# arrangements reported no savings (which is not the same thing, and is coloured apart).
SHARING, NOT_SHARING = "Sharing services", "Not in a shared arrangement"
NO_SAVINGS = "In arrangements, no savings reported"
BEGAN, STILL, STOPPED = "Began sharing", "Still sharing", "Stopped sharing"
CHOSEN, PARTNER = "Chosen council", "Shares services with it"
# How each is outlined, (width, dash): apart by width and dash as well as colour, so that
# the chosen council reads without telling colours apart.
OUTLINED = {CHOSEN: (3.5, [1, 0]), PARTNER: (2, [5, 3])}
LINES_TITLE = "Lines: councils sharing services, joined by"
# A line's width says how many arrangements join its two councils, in whole numbers.
JOINED_BY = {"1 arrangement": 1.2, "2 arrangements": 2.4, "3 or more arrangements": 4}
NONE_COLOUR = "#BDBDBD"  # light grey: a council in no shared arrangement
NO_SAVINGS_COLOUR = "#6F6F6F"  # dark grey: in arrangements, none of which reported savings
# ColorBrewer Blues, 4 classes from its 5 (the palest left out to stay apart from the grey):
# one hue, lightness rising with the amount, so it reads in every form of colour blindness.
RAMP = ["#9ECAE1", "#6BAED6", "#3182BD", "#08519C"]
LINE_COLOUR = PALETTE[5]  # Okabe-Ito vermillion: apart from the blues and the grey
# Lines drawn opaque, as their legend shows them: seen through, vermillion over the blues
# read grey-brown beside the legend's orange.
LINE_OPACITY = 1
QUARTERS = (0.25, 0.5, 0.75)
MAP_SIZE, INSET_SIZE = (520, 620), (340, 300)
# The inset's label on the page: the map is scaled to a phone's width (390 of its 884
# pixels), and this is 12.8 px there.
INSET_LABEL_SIZE = 32
# Meeting mode's map is drawn near the size it is shown at, 52% of a 1080-pixel window's
# height, so that its words are read at their own size there (and at two thirds of it on a
# 720-pixel projector) rather than shrunk with a page-sized drawing.
SCREEN_SIZES, SCREEN_LABEL_SIZE = ((380, 450), (300, 260)), 24


def council_frame(
    figures: Sequence[dict],
    *,
    measure: str,
    level: str = DISTRICTS,
    chosen: str | None = None,
    partners: Iterable[str] = (),
) -> pd.DataFrame:
    """Return the councils a map of one level draws, with their band of the measure."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; expected one of {sorted(MEASURES)}")
    shown = [f for f in figures if _drawn_at(f["type"], level)]
    banded = _bands(shown, measure)
    partners = set(partners)
    frame = pd.DataFrame(
        {
            "code": [f["gss_code"] for f in shown],
            "Council": [f["name"] for f in shown],
            "Region": [f["region"] for f in shown],
            "Area": [metropolitan_county(f["gss_code"]) for f in shown],
            "Arrangements": [f["arrangements"] for f in shown],
            "Efficiency savings": [_savings(f) for f in shown],
            "Partner councils": [f["partners"] for f in shown],
            "Band": [words for _, words in banded],
            "Rank": [rank for rank, _ in banded],
            "Highlight": [
                CHOSEN if f["gss_code"] == chosen else PARTNER if f["gss_code"] in partners else ""
                for f in shown
            ],
        }
    )
    return describe(frame)


def _drawn_at(council_type: str, level: str) -> bool:
    """Say whether a map of this level draws a council of this type. The districts' map
    draws every council but the counties; the counties' map the upper tier: the counties,
    and the unitaries, metropolitan districts and London boroughs that no county covers
    (only the 27 counties left England half blank, the walks of issue 18)."""
    if level == COUNTIES:
        return council_type != DISTRICT_TYPE
    return council_type != COUNTY_TYPE


def describe(frame: pd.DataFrame) -> pd.DataFrame:
    """Add each council's shape's text alternative, in words, as a screen reader reads it."""
    frame["Description"] = [
        f"Council: {name}; Region: {region}; {band}; "
        f"{format_count(count)} arrangement{'s' * (count != 1)}; efficiency savings {savings}; "
        f"{format_count(partners)} partner council{'s' * (partners != 1)}"
        for name, region, band, count, savings, partners in zip(
            frame["Council"],
            frame["Region"],
            frame["Band"],
            frame["Arrangements"],
            frame["Efficiency savings"],
            frame["Partner councils"],
            strict=True,
        )
    ]
    return frame


def metropolitan_county(code: str) -> str:
    """Return the metropolitan county a metropolitan district is in, or '' for any other."""
    if not code.startswith("E08"):
        return ""
    number = int(code[3:])
    return next((area for area, (numbers, _) in METROPOLITAN.items() if number in numbers), "")


def zoom_filter(zoom: str):
    """Return the Vega expression that keeps the rows of a region or metropolitan county."""
    if zoom in METROPOLITAN:
        return (alt.datum.Region == zoom) | (alt.datum.Area == zoom)
    return alt.datum.Region == zoom


def change_frame(
    figures: Sequence[dict], previous: Sequence[dict], *, level: str = DISTRICTS
) -> pd.DataFrame:
    """Return the councils of a level banded by how their sharing changed between editions."""
    before = {f["gss_code"]: f["sharing"] for f in previous}
    frame = council_frame(figures, measure="sharing", level=level)
    was = frame["code"].map(lambda code: before.get(code, False))
    now = frame["Band"] == SHARING
    frame["Band"] = [
        (STILL if w else BEGAN) if n else (STOPPED if w else NOT_SHARING)
        for w, n in zip(was, now, strict=True)
    ]
    frame["Rank"] = frame["Band"].map({BEGAN: 0, STILL: 1, STOPPED: 2, NOT_SHARING: 3})
    return describe(frame)


def outline_frame(
    figures: Sequence[dict], *, chosen: str | None, partners: Iterable[str] = ()
) -> pd.DataFrame:
    """Return the chosen council and its partners, of either level, to outline on the map.

    A county partner of a district (or the county chosen) is outlined on the districts' map
    as its own shape, the union of its districts; a district partner on the counties' map.
    """
    partners = set(partners)
    marked = [f for f in figures if f["gss_code"] == chosen or f["gss_code"] in partners]
    return pd.DataFrame(
        {
            "code": [f["gss_code"] for f in marked],
            "Council": [f["name"] for f in marked],
            "Region": [f["region"] for f in marked],
            "Area": [metropolitan_county(f["gss_code"]) for f in marked],
            "Highlight": [CHOSEN if f["gss_code"] == chosen else PARTNER for f in marked],
        },
        columns=["code", "Council", "Region", "Area", "Highlight"],
    )


def legend_order(frame: pd.DataFrame, measure: str | None) -> tuple[list[str], list[str]]:
    """Return the legend's words in order and the colour of each."""
    if measure is None:  # a change between editions
        return [BEGAN, STILL, STOPPED, NOT_SHARING], [
            PALETTE[1],
            PALETTE[0],
            PALETTE[3],
            NONE_COLOUR,
        ]
    if measure == "sharing":
        return [SHARING, NOT_SHARING], [PALETTE[0], NONE_COLOUR]
    words = list(frame[["Rank", "Band"]].drop_duplicates().sort_values("Rank")["Band"])
    fixed = {NOT_SHARING: NONE_COLOUR, NO_SAVINGS: NO_SAVINGS_COLOUR}
    amounts = sum(w not in fixed for w in words)
    ramp = iter(RAMP[len(RAMP) - amounts :])
    return words, [fixed[w] if w in fixed else next(ramp) for w in words]


def legend_groups(
    frame: pd.DataFrame,
    measure: str | None,
    *,
    lines: bool = False,
    outlined: bool = False,
    chosen_colour: str = "currentColor",
) -> list[tuple[str | None, list[dict]]]:
    """Return the map's legends as (title, entries), each entry its words and its mark.

    Read from the declarations the chart's scales read too (legend_order, OUTLINED,
    JOINED_BY, LINE_COLOUR, LINE_OPACITY), so the words and the marks cannot disagree; the
    page shows them as text beside the map (words drawn inside a map scaled to a phone's
    width were 6 px). An entry is {"words", "kind": "fill" | "line" | "outline", "colour",
    and for a line or an outline "width", "dash" or "opacity"}.
    """
    words, colours = legend_order(frame, measure)
    groups = [
        (
            None,
            [
                {"words": w, "kind": "fill", "colour": c}
                for w, c in zip(words, colours, strict=True)
            ],
        )
    ]
    if outlined:
        colour = {CHOSEN: chosen_colour, PARTNER: LINE_COLOUR}
        groups.append(
            (
                None,
                [
                    {
                        "words": w,
                        "kind": "outline",
                        "colour": colour[w],
                        "width": width,
                        "dash": dash,
                    }
                    for w, (width, dash) in OUTLINED.items()
                ],
            )
        )
    if lines:
        groups.append(
            (
                LINES_TITLE,
                [
                    {
                        "words": w,
                        "kind": "line",
                        "colour": LINE_COLOUR,
                        "width": width,
                        "opacity": LINE_OPACITY,
                    }
                    for w, width in JOINED_BY.items()
                ],
            )
        )
    return groups


def council_map(
    boundaries: dict,
    frame: pd.DataFrame,
    *,
    title: str,
    measure: str | None,
    level: str = DISTRICTS,
    region: str | None = None,
    links: Sequence[dict] = (),
    inset: bool = True,
    text_colour: str | None = None,
    outlines: pd.DataFrame | None = None,
    sizes: tuple[tuple[int, int], tuple[int, int]] = (MAP_SIZE, INSET_SIZE),
    label_size: int = FONT_SIZE,
    legend: str = "bottom",
    attribution: bool = True,
    words_outside: bool = False,
    boundaries_url: str | None = None,
) -> alt.Chart:
    """Return the map: councils coloured by the measure, clickable, with a London inset.

    A region zooms the map to its councils (and draws no inset); links are drawn as lines
    from each arrangement's lead council to its partners; outlines (outline_frame) mark
    the chosen council and its partners, whichever level they are. `sizes` are the map's and
    the inset's (width, height); `label_size` that of the legend and the inset's title;
    `legend` where the legends go (Vega-Lite's orient). `attribution=False` leaves the
    attribution to the caller, to show as a caption under the map: inside a map drawn small
    (a phone, a region) it was cut short or shrunk to a few pixels.
    A region may also be a metropolitan county (METROPOLITAN).
    `words_outside=True` draws no title, legends or inset title, for the caller to show as
    page text (legend_groups, INSET_NOTE): Streamlit scales a map down to a phone's width,
    and the words drawn in it with it, to 6 px.
    `boundaries_url` (BOUNDARIES_URL, served by lgadata.web.shapes) has the browser fetch the
    shapes once instead of carrying them in the spec: Streamlit writes and reads a chart's
    spec as JSON on every run, 318 KB of it the boundaries. A map drawn offline (the paper)
    carries them.
    """
    domain, colours = legend_order(frame, measure)
    # Every dataset is named here and attached once, last: Altair deep-copies a chart's data
    # at every layer, concatenation and parameter, which took seconds with them inline.
    # One TopoJSON object of both levels: a second format of the same dataset would be a
    # second Vega dataset of the same name, so a county could not be looked up beside the
    # districts. The drawn level is the figures' rows; the shapes hold both.
    shaped = alt.DataFormat(type="topojson", feature=SHAPES)
    shapes = (
        alt.UrlData(url=boundaries_url, format=shaped)
        if boundaries_url
        else alt.NamedData(name=BOUNDARIES, format=shaped)
    )
    outlines = outlines if outlines is not None else pd.DataFrame(columns=["Highlight"])
    select = alt.selection_point(name=SELECTION, fields=["code"], on="click", clear=False)
    lines = links_frame(
        links,
        # Each end is drawn at either level: a district inside its county, a unitary as
        # itself (a map of the 27 counties alone ran lines into white, the walk of issue 18).
        anchor_points(boundaries),
        # Every council's region, not only the drawn level's: the lines join districts (and
        # unitaries), which a map of the county councils does not draw.
        regions=council_regions() | dict(zip(frame["code"], frame["Region"], strict=True)),
    )
    view = partial(
        _view,
        shapes=shapes,
        domain=domain,
        colours=colours,
        outlined=not outlines.empty,
        legend=None if words_outside else legend,
        chosen_colour=text_colour or "#0b0c0c",
    )
    map_size, inset_size = sizes
    views = [view(region=region, lines=not lines.empty, size=map_size)]
    if inset and has_inset(region):
        london = view(region=LONDON, lines=not lines.empty, size=inset_size)
        # Outside, the page says what the inset is (INSET_NOTE): Streamlit scales the
        # drawing to its column, and to 6 px a title drawn in it (a Vega expression of the
        # container's width is read before the chart is laid out, so it cannot grow it).
        inset_title = alt.Title(LONDON, anchor="start", fontSize=label_size)
        # With the words outside, the inset still says it is London (the walk of issue 18),
        # in letters large enough to stay 12 px when the map is scaled to a phone's width.
        # Drawn in the inset's top corner, not as its title: a title's row pushed the whole
        # map down, under the first screen at 1280x720.
        if words_outside:
            label = (
                alt.Chart(alt.Data(values=[{}]))
                .mark_text(
                    text=LONDON,
                    align="left",
                    baseline="top",
                    fontSize=INSET_LABEL_SIZE,
                    fontWeight="bold",
                    color=text_colour or "#0b0c0c",
                )
                .encode(x=alt.value(0), y=alt.value(0))
            )
            views.append(alt.layer(london, label))
        else:
            views.append(london.properties(title=inset_title))
    titled = (
        {}
        if words_outside
        else {
            "title": alt.Title(title, subtitle=ATTRIBUTION, anchor="start")
            if attribution
            else alt.Title(title, anchor="start")
        }
    )
    chart = (
        alt.hconcat(*views, spacing=24)
        .add_params(select)
        .properties(
            **titled,
            # The drawing's text alternative; the councils' figures are in its table view.
            description=f"Map of English councils: {title}. Show as table lists each council.",
            # SVG: a path per council that the browser tests can find, count and click.
            usermeta={"embedOptions": {"renderer": "svg"}},
        )
        # The theme colours a title but not its subtitle, the attribution: say it here.
        .configure_title(fontSize=TITLE_SIZE, subtitleFontSize=13, subtitleColor=text_colour)
        .configure_legend(labelFontSize=label_size, titleFontSize=label_size, labelLimit=360)
        .configure_view(stroke=None)
    )
    return MapChart.wrap(
        chart,
        {
            FIGURES: frame.to_dict(orient="records"),
            LINES: lines.to_dict(orient="records"),
            OUTLINES: outlines.to_dict(orient="records"),
        }
        | ({} if boundaries_url else {BOUNDARIES: one_object(boundaries)}),
    )


BOUNDARIES_URL = "/map/boundaries.topojson"  # where lgadata.web.shapes serves one_object()


def has_inset(region: str | None) -> bool:
    """Return whether a map of this zoom draws London again, enlarged, beside it: a map of
    England, at either level (both draw London's boroughs)."""
    return region is None


def one_object(boundaries: dict) -> dict:
    """Return the boundaries with their districts and counties as one object, SHAPES.

    The arcs and the geometries are the same objects, not copies: the spec is no larger.
    """
    geometries = [g for shapes in boundaries["objects"].values() for g in shapes["geometries"]]
    return {
        **boundaries,
        "objects": {SHAPES: {"type": "GeometryCollection", "geometries": geometries}},
    }


class MapChart(alt.HConcatChart):
    """A concatenated chart whose spec gets its datasets added after Altair has built it.

    Altair walks, deep-copies and validates every value in a chart: for the 120,000
    numbers of the boundaries that took seconds on every page run, and for the councils'
    figures (353 rows) still a fifth of the Shared Services page's run on the large
    database. Added to the finished spec, they cost nothing. Build it with wrap(), last: a
    copy made from it would drop them.
    """

    @classmethod
    def wrap(cls, chart: alt.HConcatChart, datasets: dict[str, object]) -> "MapChart":
        """Return the chart as a MapChart carrying these named datasets."""
        wrapped = cls(**chart._kwds)
        object.__setattr__(wrapped, "attached", datasets)  # outside the schema's fields
        return wrapped

    def copy(self, deep=True, ignore=None) -> "MapChart":
        """Return a copy (as properties() and restyling make) that still carries the data."""
        copied = super().copy(deep=deep, ignore=ignore)
        copied.__dict__.pop("spec", None)  # the copy may be changed: build its spec afresh
        object.__setattr__(copied, "attached", self.attached)
        return copied

    def to_dict(self, *args, **kwargs) -> dict:
        """Return the Vega-Lite spec with the attached datasets among its datasets."""
        if args or kwargs:
            spec = super().to_dict(*args, **kwargs)
        else:  # a cached chart drawn again: its spec is the same, so build it once
            if "spec" not in self.__dict__:
                object.__setattr__(self, "spec", super().to_dict())
            spec = dict(self.__dict__["spec"])
        spec["datasets"] = {**spec.get("datasets", {}), **self.attached}
        return spec


def anchor_points(boundaries: dict) -> dict[str, tuple[float, float]]:
    """Return each council's label and line anchor (longitude, latitude) by GSS code."""
    return {
        g["properties"]["code"]: (g["properties"]["lon"], g["properties"]["lat"])
        for shapes in boundaries["objects"].values()
        for g in shapes["geometries"]
    }


@cache
def council_regions() -> dict[str, str]:
    """Return each council's region by GSS code, from the shipped register."""
    return {council.gss_code: council.region for council in load_register()}


def links_frame(
    links: Sequence[dict],
    anchors: dict[str, tuple[float, float]],
    *,
    regions: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Return the network's lines: from each lead council's anchor to its partner's.

    `Within` is the region both ends are in ('' for a line between two), `Within county`
    the metropolitan county: a zoom or an inset draws only its own lines, not the
    country's running across it (and stretching its projection to fit them). `regions`
    gives each council's region by GSS code.
    """
    regions = regions or {}
    rows = [link for link in links if link["lead"] in anchors and link["partner"] in anchors]
    within = [regions.get(r["lead"], "") for r in rows]
    return pd.DataFrame(
        {
            "lon": [anchors[r["lead"]][0] for r in rows],
            "lat": [anchors[r["lead"]][1] for r in rows],
            "lon2": [anchors[r["partner"]][0] for r in rows],
            "lat2": [anchors[r["partner"]][1] for r in rows],
            "Arrangements": [r["arrangements"] for r in rows],
            "Joined by": [_joined_by(r["arrangements"]) for r in rows],
            "Within": [
                region if region and regions.get(r["partner"]) == region else ""
                for region, r in zip(within, rows, strict=True)
            ],
            "Within county": [
                area
                if (area := metropolitan_county(r["lead"])) == metropolitan_county(r["partner"])
                else ""
                for r in rows
            ],
        }
    )


def _joined_by(count: int) -> str:
    words = list(JOINED_BY)
    return words[min(count, len(words)) - 1]


def map_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the map as the list of councils with their figures, to read or download."""
    table = frame.drop(columns=["code", "Area", "Highlight", "Rank", "Description"]).rename(
        columns={"Band": "On the map"}
    )
    return table.sort_values("Council", key=lambda names: names.str.casefold())


def _view(
    *,
    shapes,
    domain,
    colours,
    outlined,
    legend,
    chosen_colour,
    region,
    lines,
    size,
) -> alt.LayerChart:
    width, height = size
    fields = ["Council", "Region", "Arrangements", "Efficiency savings", "Partner councils", "Band"]
    base = alt.Chart(alt.NamedData(name=FIGURES)).properties(width=width, height=height)
    if region is not None:
        base = base.transform_filter(zoom_filter(region))
    base = base.transform_lookup(
        lookup="code", from_=alt.LookupData(shapes, "properties.code"), as_="geo"
    )
    fills = base.mark_geoshape(stroke="#ffffff", strokeWidth=0.4).encode(
        shape="geo:G",
        color=alt.Color(
            "Band:N",
            scale=alt.Scale(domain=domain, range=colours),
            legend=legend and alt.Legend(title=None, orient=legend, direction="vertical"),
        ),
        # No dimming by the click selection: Vega keeps it in the chart, and a council
        # clicked stayed bright after another was chosen in the select box (the walk of
        # issue 18). The chosen council and its partners are marked by their outlines.
        # The shape's text alternative: without it Vega reads out every field, the looked-up
        # shape too ("geo: [object Object]").
        description="Description:N",
        tooltip=[
            alt.Tooltip(f"{name}:{'Q' if name == 'Arrangements' else 'N'}") for name in fields
        ],
    )
    outline_legend = legend and alt.Legend(
        title=None,
        orient=legend,
        direction="vertical",
        symbolType="stroke",
        symbolSize=400,
        symbolStrokeWidth=3,
    )
    marked = alt.Chart(alt.NamedData(name=OUTLINES))
    if region is not None:
        marked = marked.transform_filter(zoom_filter(region))
    outline = (
        marked.transform_lookup(
            lookup="code", from_=alt.LookupData(shapes, "properties.code"), as_="geo"
        )
        # Outlines and lines repeat what the arrangements list says, so screen readers skip
        # them (an empty group of them was an unlabelled graphic to axe).
        # The chosen council apart from its partners by colour, width and dash alike, so
        # that it reads without telling colours apart: solid and thick in the text's colour;
        # the partners dashed in vermillion.
        .mark_geoshape(fillOpacity=0, aria=False)
        .encode(
            shape="geo:G",
            stroke=alt.Stroke(
                "Highlight:N",
                scale=alt.Scale(domain=list(OUTLINED), range=[chosen_colour, LINE_COLOUR]),
                legend=outline_legend,
            ),
            # A width by condition, not by scale: a scale would be shared with the lines'
            # widths, one legend of both sets of words.
            strokeWidth=alt.condition(
                alt.datum.Highlight == CHOSEN,
                alt.value(OUTLINED[CHOSEN][0]),
                alt.value(OUTLINED[PARTNER][0]),
            ),
            strokeDash=alt.StrokeDash(
                "Highlight:N",
                scale=alt.Scale(domain=list(OUTLINED), range=[d for _, d in OUTLINED.values()]),
                legend=outline_legend,
            ),
        )
    )
    layers = [fills, outline] if outlined else [fills]
    if lines:
        drawn = alt.Chart(alt.NamedData(name=LINES))
        if region is not None:  # a zoom or inset: its own lines, not the country's
            field = "Within county" if region in METROPOLITAN else "Within"
            drawn = drawn.transform_filter(alt.datum[field] == region)
        layers.append(
            # stroke, not color: a theme's stroke for rules would win over a mark's color.
            drawn.mark_rule(stroke=LINE_COLOUR, opacity=LINE_OPACITY, clip=True, aria=False).encode(
                longitude="lon:Q",
                latitude="lat:Q",
                longitude2="lon2:Q",
                latitude2="lat2:Q",
                strokeWidth=alt.StrokeWidth(
                    "Joined by:O",
                    scale=alt.Scale(domain=list(JOINED_BY), range=list(JOINED_BY.values())),
                    legend=legend
                    and alt.Legend(
                        title=LINES_TITLE,
                        orient=legend,
                        direction="vertical",
                        titleLimit=480,
                        labelLimit=360,
                        symbolStrokeColor=LINE_COLOUR,
                        symbolOpacity=LINE_OPACITY,
                    ),
                ),
            )
        )
    return alt.layer(*layers).project(type="mercator")


def _savings(figures: dict) -> str:
    if not figures["arrangements"]:
        return "no arrangements"
    text = format_money(figures["savings_gbp"])
    unreported = figures["savings_not_reported"]
    return f"{text} ({format_count(unreported)} not reported)" if unreported else text


def _bands(figures: Sequence[dict], measure: str) -> list[tuple[int, str]]:
    """Return each council's band as (rank, words): rank 0 is in no arrangement, then by amount."""
    if measure == "sharing":
        return [(1, SHARING) if f["sharing"] else (0, NOT_SHARING) for f in figures]
    key = "arrangements" if measure == "arrangements" else "savings_gbp"
    values = [f[key] for f in figures]
    edges = _edges([v for v in values if v > 0])
    show = _count_band if measure == "arrangements" else _money_band
    return [
        show(v, edges) if f["arrangements"] else (0, NOT_SHARING)
        for f, v in zip(figures, values, strict=True)
    ]


def _edges(values: list[float]) -> list[float]:
    """Return up to three rounded upper edges that split the values into about even quarters."""
    if not values:
        return []
    ordered = sorted(values)
    picks = (ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] for q in QUARTERS)
    return sorted({edge for edge in map(_round, picks) if edge < ordered[-1]})


def _round(value: float) -> float:
    """Round down to one significant figure, so a legend reads £500,000 not £487,311."""
    if value < 10:
        return math.floor(value)
    scale = 10 ** math.floor(math.log10(value))
    return math.floor(value / scale) * scale


def _count_band(value: float, edges: list[float]) -> tuple[int, str]:
    lower = 1
    for rank, edge in enumerate(edges, start=1):
        if value <= edge:
            if lower == edge:
                return rank, f"{format_count(edge)} arrangement{'s' * (edge != 1)}"
            return rank, f"{format_count(lower)} to {format_count(edge)} arrangements"
        lower = edge + 1
    return len(edges) + 1, f"{format_count(lower)} or more arrangements"


def _money_band(value: float, edges: list[float]) -> tuple[int, str]:
    if value == 0:  # in arrangements (one in none is NOT_SHARING), none reporting savings
        return 1, NO_SAVINGS
    lower = 0
    for rank, edge in enumerate(edges, start=2):
        if value <= edge:
            words = f"{format_money(lower)} to {format_money(edge)}" if lower else None
            return rank, words or f"Up to {format_money(edge)}"
        lower = edge
    return len(edges) + 2, f"Over {format_money(lower)}" if lower else "Savings reported"
