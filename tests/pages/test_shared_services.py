"""The Shared Services Map page: headline figures, breakdowns, the arrangement table, a council."""

import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from lgadata.auth import command_line
from lgadata.db import make_engine
from lgadata.meetings import add_meeting
from tests.pages.conftest import texts
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx

PAGE = "shared_services.py"
KIRKLEES = "E08000034"


def _metrics(app: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta or None) for m in app.metric}


def _arrangements(app: AppTest, index: int = 0) -> pd.DataFrame:
    tables = [f.value for f in app.dataframe if "arrangement" in f.value.columns]
    return tables[index]


def test_the_page_shows_the_latest_editions_figures_and_the_change_from_the_one_before(open_page):
    shown = _metrics(open_page(PAGE))
    assert shown["Councils sharing services"] == ("337", "+117 from 220")
    assert shown["Shared service arrangements"] == ("325", "+155 from 170")
    assert shown["Efficiency savings"] == ("£278m", "+£113m from £165m")
    assert shown["Share of the 353 English councils"] == ("95%", "+33 points from 62%")


def test_arrangements_without_savings_are_counted_apart_not_as_zero(open_page):
    shown = texts(open_page(PAGE))
    assert "15 arrangements** have not reported their savings" in shown
    assert "change from the map of 30 November 2011" in shown


def test_the_editions_are_offered_newest_first_as_dates(open_page):
    edition = open_page(PAGE).selectbox(key="shared-services-edition")
    assert edition.options == ["31 January 2013", "30 November 2011"]


def test_choosing_the_earlier_edition_shows_its_figures_with_no_change(open_page):
    app = open_page(PAGE)
    app.selectbox(key="shared-services-edition").set_value("2011-11-30").run()
    assert not app.exception
    shown = _metrics(app)
    assert shown["Councils sharing services"] == ("220", None)
    assert shown["Shared service arrangements"] == ("170", None)
    assert shown["Efficiency savings"] == ("£165m", None)
    assert len(_arrangements(app)) == 50
    assert "Arrangements 1 to 50 of 170" in texts(app)


def test_an_empty_database_says_what_to_upload(open_page):
    app = open_page(PAGE, samples=False)
    assert "No Shared Services Map data has been uploaded yet" in texts(app)
    assert not app.metric


def test_the_regions_can_be_read_as_a_table(open_page):
    app = open_page(PAGE)
    app.toggle(key="table-regions").set_value(True).run()
    regions = app.dataframe[0].value.set_index("Region")
    assert len(regions) == 9
    assert regions.loc["South East"].tolist() == [74, 73, "99%"]


def test_the_categories_can_be_read_as_a_table_with_savings_as_the_report_writes_them(open_page):
    app = open_page(PAGE)
    app.toggle(key="table-category-savings").set_value(True).run()
    categories = app.dataframe[0].value.set_index("Category")
    assert categories.loc["Back office and ICT", "Efficiency savings"] == "£39.96m"
    assert categories["Arrangements"].sum() == 325


def test_the_table_shows_partner_councils_by_name_and_blank_savings_as_missing(open_page):
    table = _arrangements(open_page(PAGE))
    adur = table.set_index("arrangement").loc["Adur and Worthing shared services"]
    assert adur["lead_council"] == "Worthing"
    assert list(adur["partner_councils"]) == ["Adur"]
    assert "E0" not in table.to_string()


@pytest.mark.parametrize(
    ("key", "value", "count"),
    [("shared-services-category", "Legal", 25), ("shared-services-council", KIRKLEES, 9)],
)
def test_a_filter_narrows_the_arrangement_table(open_page, key, value, count):
    app = open_page(PAGE)
    app.selectbox(key=key).set_value(value).run()
    assert not app.exception
    assert len(_arrangements(app)) == count
    assert f"of {count}, with efficiency savings" in texts(app)


def test_the_region_filter_keeps_arrangements_with_a_council_in_the_region(open_page):
    app = open_page(PAGE)
    app.selectbox(key="shared-services-region").set_value("North East").run()
    names = set(_arrangements(app)["arrangement"])
    assert names
    assert "Adur and Worthing shared services" not in names


def test_the_search_finds_arrangements_by_name_or_service(open_page):
    app = open_page(PAGE)
    app.text_input(key="shared-services-search").input("waste").run()
    table = _arrangements(app)
    assert len(table) > 0
    found = (table["arrangement"] + " " + table["services"]).str.lower()
    assert found.str.contains("waste").all()


def test_a_search_that_matches_nothing_says_so(open_page):
    app = open_page(PAGE)
    app.text_input(key="shared-services-search").input("no such arrangement").run()
    assert "No arrangements match these filters." in texts(app)


def test_the_next_page_shows_the_next_fifty_arrangements(open_page):
    app = open_page(PAGE)
    first = set(_arrangements(app)["arrangement"])
    app.number_input(key="shared-services-page").set_value(2).run()
    assert "Arrangements 51 to 100 of 325" in texts(app)
    assert not first & set(_arrangements(app)["arrangement"])


def test_the_arrangements_download_is_every_arrangement_of_the_filters(open_page, monkeypatch):
    # The walk of issue 18: it saved the 50 rows on screen.
    import io

    import streamlit as st

    downloads = {}
    real = st.download_button

    def recording(label, data, **kw):
        downloads[kw["key"]] = data
        return real(label, data, **kw)

    monkeypatch.setattr(st, "download_button", recording)
    app = open_page(PAGE)
    data = downloads["csv-arrangements"]
    rows = pd.read_csv(io.BytesIO(data() if callable(data) else data))
    assert len(rows) == 325 and rows["arrangement"].is_unique
    app.selectbox(key="shared-services-region").set_value("South West").run()
    data = downloads["csv-arrangements"]
    assert len(pd.read_csv(io.BytesIO(data()))) == 38


def test_a_filter_goes_back_to_the_first_page(open_page):
    app = open_page(PAGE)
    app.number_input(key="shared-services-page").set_value(3).run()
    app.selectbox(key="shared-services-category").set_value("Back office and ICT").run()
    assert "Arrangements 1 to 50 of 53" in texts(app)


def test_a_councils_own_view_shows_every_arrangement_it_is_in_and_its_total(open_page):
    app = open_page(PAGE)
    assert "Choose a council to see every arrangement" in texts(app)
    app.selectbox(key="shared-services-own-council").set_value(KIRKLEES).run()
    shown = _metrics(app)
    assert shown["Arrangements"] == ("9", None)
    assert shown["Arrangements it leads"] == ("2", None)
    assert shown["Efficiency savings of its arrangements"] == ("£3.81m", None)
    assert shown["Savings not reported"] == ("1", None)
    own = _arrangements(app, index=-1)  # the tab's; the same shows under the map too
    assert own.equals(_arrangements(app, index=0))
    assert sorted(own["role"]) == ["Lead"] * 2 + ["Partner"] * 7
    assert "Kirklees, Yorkshire and The Humber" in texts(app)


def test_the_as_at_line_names_the_upload_by_its_date_and_who_made_it(open_page):
    app = open_page("shared_services.py")
    # Text, never markdown: Streamlit would make an uploader's address a mailto link.
    line = next(t.value for t in app.text if t.value.startswith("As at"))
    assert not [c.value for c in app.caption if c.value.startswith("As at")]
    assert "from the upload of" in line and "by sample data" in line
    assert "upload 1" not in line


STROUD = "E07000082"
MAP_KEY = "shared-services-map-chart"


def _map(app: AppTest):
    charts = [node for node in app._tree if getattr(node, "type", "") == "vega_lite_chart"]
    return next(c for c in charts if MAP_KEY in (c.proto.id or ""))


def _click(app: AppTest, code: str) -> AppTest:
    """Send the click Vega reports for a council, as the browser sends it: the chart's state."""
    states = app._tree.get_widget_states()
    state = states.widgets.add()
    state.id = _map(app).proto.id
    state.string_value = json.dumps({"selection": {"council": [{"code": code}]}})
    return app._run(states)


def _highlighted(app: AppTest) -> dict[str, str]:
    chart = _map(app)
    for dataset in chart.proto.datasets:
        if dataset.name == "council-figures":
            rows = pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
            return {r["code"]: r["Highlight"] for r in rows if r["Highlight"]}
    raise AssertionError("the map has no council figures")


def test_the_map_is_the_first_thing_on_the_page_with_its_attribution(open_page):
    app = open_page(PAGE)
    assert any("Ordnance Survey" in c.value for c in app.caption)
    main = app.main
    first_chart = next(
        i for i, node in enumerate(main) if getattr(node, "type", "") == "vega_lite_chart"
    )
    first_metric = next(i for i, node in enumerate(main) if node.type == "metric")
    assert first_chart < first_metric


def test_the_map_comes_before_its_controls_which_sit_beside_it(open_page):
    # The walk of issue 18: the edition, the selects and the switches sat above the map,
    # which then began under the first screen at 1280x720 and two screens down on a phone.
    app = open_page(PAGE)
    nodes = list(app.main)
    kinds = [getattr(node, "type", "") for node in nodes]
    first_chart = kinds.index("vega_lite_chart")
    controls = [i for i, kind in enumerate(kinds) if kind in ("selectbox", "toggle")]
    assert first_chart < controls[0], kinds[: first_chart + 1]
    # In the column beside the map: the map and its controls are one row of columns.
    columns = list(app.main.columns)
    drawing = next(i for i, c in enumerate(columns) if any(n.type == "vega_lite_chart" for n in c))
    assert {s.key for s in columns[drawing + 1].selectbox} >= {
        "shared-services-edition",
        "shared-services-map-measure",
        "shared-services-map-region",
        "shared-services-map-network",
    }


def test_the_lines_select_says_in_a_word_or_two_what_it_draws(open_page):
    # The walk of issue 18: "No category (a region's own, if zoomed)" was cut at 1280 wide.
    app = open_page(PAGE)
    network = app.selectbox(key="shared-services-map-network")
    assert network.placeholder == "None"
    app.selectbox(key="shared-services-map-region").set_value("South West").run()
    assert app.selectbox(key="shared-services-map-network").placeholder == "Every category"


def test_clicking_a_council_opens_its_arrangements_and_outlines_its_partners(open_page):
    app = open_page(PAGE)
    app = _click(app, STROUD)
    assert not app.exception, [e.value for e in app.exception]
    assert app.selectbox(key="shared-services-own-council").value == STROUD
    # Under the map, where the click was: opening the tab scrolled the page away from the
    # map (Streamlit scrolls a tab chosen into view; the walk of issue 18).
    assert app.session_state["shared-services-tab"] != "A council's arrangements"
    assert "Stroud, South West" in [h.value for h in _under_map(app).subheader]
    highlighted = _highlighted(app)
    assert highlighted.pop(STROUD) == "Chosen council"
    assert highlighted and set(highlighted.values()) == {"Shares services with it"}


def _under_map(app: AppTest):
    """Return the block under the map where a clicked council's arrangements are shown."""
    from ui.council_map import CHOSEN

    blocks = [node for node in app._tree if getattr(node, "type", "") == "flex_container"]
    return next(b for b in blocks if CHOSEN in str(b.proto))


def test_the_maps_title_and_legend_are_page_text_not_words_drawn_small_in_it(open_page):
    # The walk of issue 18: inside the map, scaled to a phone's width, they were 6 px, and a
    # zoom's title was cut ("...: Greater Man...").
    from lgadata.charts.council_map import NOT_SHARING, SHARING

    app = open_page(PAGE)
    app.selectbox(key="shared-services-map-region").set_value("Greater Manchester").run()
    spec = json.loads(_map(app).proto.spec)
    assert "title" not in spec
    layers = [layer for view in spec["hconcat"] for layer in view["layer"]]
    assert all(
        channel.get("legend", None) is None
        for layer in layers
        for channel in layer.get("encoding", {}).values()
        if isinstance(channel, dict) and "scale" in channel
    )
    assert any(h.value.endswith(": Greater Manchester") for h in app.subheader)
    legend = " ".join(str(h.proto.body) for h in app.get("html"))
    assert SHARING in legend and NOT_SHARING in legend


def test_choosing_a_council_in_the_select_box_outlines_it_on_the_map(open_page):
    app = open_page(PAGE)
    app.selectbox(key="shared-services-own-council").set_value(STROUD).run()
    assert _highlighted(app)[STROUD] == "Chosen council"


LEEDS = "E08000035"


def test_a_council_chosen_in_the_select_box_after_a_click_is_the_maps_only_choice(open_page):
    # The walk of issue 18: Stroud clicked, then Leeds chosen below, Stroud stayed the map's
    # selection (kept by Vega, drawn undimmed) beside Leeds's outline.
    app = _click(open_page(PAGE), STROUD)
    clicked = _map(app).proto.id
    app.selectbox(key="shared-services-own-council").set_value(LEEDS).run()
    assert not app.exception, [e.value for e in app.exception]
    assert _map(app).proto.id != clicked, "the map kept the click's selection state"
    assert _highlighted(app)[LEEDS] == "Chosen council" and STROUD not in _highlighted(app)
    spec = json.loads(_map(app).proto.spec)
    layers = [layer for view in spec["hconcat"] for layer in view.get("layer", [view])]
    assert all("opacity" not in layer.get("encoding", {}) for layer in layers)
    # Chosen below, its arrangements are under the map too, as after a click.
    assert "Leeds, Yorkshire and The Humber" in [h.value for h in _under_map(app).subheader]
    # And clicking Stroud again chooses it.
    app = _click(app, STROUD)
    assert app.selectbox(key="shared-services-own-council").value == STROUD


def test_the_map_reads_as_a_table_of_every_council(open_page):
    app = open_page(PAGE)
    app.toggle(key="table-shared-services-map-chart").set_value(True).run()
    table = next(f.value for f in app.dataframe if "On the map" in f.value.columns)
    assert len(table) == 326
    assert set(table["On the map"]) == {"Sharing services", "Not in a shared arrangement"}


def test_the_map_table_of_the_change_says_what_the_maps_colours_say(open_page):
    from lgadata.charts.council_map import BEGAN, STILL

    app = open_page(PAGE)
    app.selectbox(key="shared-services-map-measure").set_value("change").run()
    app.toggle(key="table-shared-services-map-chart").set_value(True).run()
    assert not app.exception, [e.value for e in app.exception]
    table = next(f.value for f in app.dataframe if "On the map" in f.value.columns)
    assert {BEGAN, STILL} <= set(table["On the map"])


def test_the_map_built_at_start_up_is_the_one_the_page_opens_on(open_page, monkeypatch):
    import streamlit as st

    from lgadata.charts import council_map as charts
    from ui import council_map

    app = open_page()
    st.cache_data.clear()
    st.cache_resource.clear()
    council_map.warm_up()  # as serve.py's start-up does
    built = []
    real = charts.council_map
    monkeypatch.setattr(charts, "council_map", lambda *a, **kw: built.append(1) or real(*a, **kw))
    app.switch_page("pages/shared_services.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert _map(app).proto.spec and built == [], "the page built its map again"


def test_the_change_since_the_last_edition_maps_the_councils_that_began_sharing(
    open_page, database_url
):
    from lgadata import queries
    from lgadata.charts import council_map as charts
    from lgadata.db import make_engine

    app = open_page(PAGE)
    change = "Began sharing since the last edition"
    assert change in app.selectbox(key="shared-services-map-measure").options
    app.selectbox(key="shared-services-map-measure").set_value("change").run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(h.value.startswith(f"{change}, ") for h in app.subheader)  # the map's title
    chart = _map(app)
    dataset = next(d for d in chart.proto.datasets if d.name == "council-figures")
    rows = pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
    bands = {r["code"]: r["Band"] for r in rows}
    engine = make_engine(database_url)
    editions = queries.shared_services_editions(engine=engine)

    def sharing(edition: dict) -> set[str]:
        found = queries.shared_services_council_figures(engine=engine, as_at=edition["as_at"])
        return {f["gss_code"] for f in found if f["sharing"]}

    now, before = sharing(editions[-1]), sharing(editions[-2])
    engine.dispose()
    began = {code for code, band in bands.items() if band == charts.BEGAN}
    assert began and began == (now - before) & set(bands)
    assert {code for code, band in bands.items() if band == charts.STILL} == now & before & set(
        bands
    )
    # The earliest edition has none before it: no change to map.
    app.selectbox(key="shared-services-edition").set_value(editions[0]["as_at"]).run()
    assert change not in app.selectbox(key="shared-services-map-measure").options


@pytest.mark.parametrize("zoom", ["North West", "Greater Manchester"])
def test_the_map_table_lists_the_councils_of_the_region_zoomed_to(open_page, zoom):
    app = open_page(PAGE)
    app.selectbox(key="shared-services-map-region").set_value(zoom).run()
    app.toggle(key="table-shared-services-map-chart").set_value(True).run()
    assert not app.exception, [e.value for e in app.exception]
    table = next(f.value for f in app.dataframe if "On the map" in f.value.columns)
    if zoom == "Greater Manchester":
        assert len(table) == 10 and "Wigan" in set(table["Council"])
    else:
        assert len(table) == 39 and set(table["Region"]) == {zoom}  # its counties aside


def test_a_metropolitan_county_is_a_zoom_of_the_map_with_its_figures(open_page):
    app = open_page(PAGE)
    zoom = app.selectbox(key="shared-services-map-region")
    assert "Greater Manchester" in zoom.options and "West Yorkshire" in zoom.options
    zoom.set_value("Greater Manchester").run()
    assert not app.exception, [e.value for e in app.exception]
    spec = json.loads(_map(app).proto.spec)
    assert any(h.value.endswith(": Greater Manchester") for h in app.subheader)  # its title
    assert len(spec["hconcat"]) == 1
    assert "Greater Manchester" in [s.value for s in app.subheader]
    beside = [m.value for m in app.metric if m.label == "Councils sharing services"]
    assert any(value.endswith(" of 10") for value in beside), beside


@pytest.mark.parametrize(("zoom", "count"), [("South West", "38"), ("Greater Manchester", None)])
def test_a_zooms_arrangements_are_counted_once_each_with_their_savings(
    open_page, database_url, zoom, count
):
    # The walk of issue 18: counted once for each of its councils, the South West's 38
    # arrangements read 120.
    from lgadata import queries
    from lgadata.charts.council_map import metropolitan_county

    app = open_page(PAGE)
    app.selectbox(key="shared-services-map-region").set_value(zoom).run()
    assert not app.exception, [e.value for e in app.exception]
    shown = _metrics(app)
    engine = make_engine(database_url)
    as_at = queries.shared_services_editions(engine=engine)[-1]["as_at"]
    figures = queries.shared_services_council_figures(engine=engine, as_at=as_at)
    rows = queries.shared_services_arrangements(engine=engine, as_at=as_at, limit=1000)["rows"]
    engine.dispose()
    names = {
        f["name"]
        for f in figures
        if (f["region"] == zoom or metropolitan_county(f["gss_code"]) == zoom)
    }
    distinct = [r for r in rows if names & {r["lead_council"], *r["partner_councils"]}]
    assert shown["Arrangements with a council in it"][0] == (count or str(len(distinct)))
    assert len(distinct) == int(shown["Arrangements with a council in it"][0])
    assert sum(f["arrangements"] for f in figures if f["name"] in names) > len(distinct)
    assert shown["Efficiency savings of those arrangements"][0].startswith("£")


def test_the_attribution_is_a_caption_under_the_map_whole_at_every_size(open_page):
    app = open_page(PAGE)
    spec = json.loads(_map(app).proto.spec)
    assert "title" not in spec  # neither title nor attribution drawn in it, to be cut
    captions = [c.value for c in app.caption]
    assert any("Martin Chorley" in c and "Crown copyright" in c for c in captions)
    app.toggle(key="table-shared-services-map-chart").set_value(True).run()
    assert any("Martin Chorley" in c.value for c in app.caption)


def test_the_reason_given_for_crossing_a_threshold_shows_as_text_with_the_commentary(
    open_page, database_url
):
    app = open_page(PAGE)
    engine = make_engine(database_url)
    add_meeting(engine=engine, by=command_line("admin"), meets_on=dt.date(2099, 1, 1), title="B")
    row = ["2013-06-30", "Stroud legal", "Stroud DC", "", "Legal", "", "", 2.2e8, "", ""]
    data = make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, row]})
    reason = "Two arrangements **ended** <b>in May</b>"
    check_and_store(
        engine, data, workstream="shared_services", file_name="june.xlsx", reason=reason
    )
    engine.dispose()
    app.run()
    assert not app.exception
    [line] = [t.value for t in app.text if t.value.startswith("Reason given with")]
    assert line.startswith("Reason given with Shared Services Map version 2 (test, ")
    assert line.endswith(f"): {reason}")
    assert not any("ended" in str(m.value) for m in app.markdown)


def test_the_pages_map_names_its_boundaries_by_address_not_in_its_spec(open_page):
    # Streamlit wrote and read the 318 KB of shapes as JSON on every run of the page.
    from lgadata.charts.council_map import BOUNDARIES, BOUNDARIES_URL

    app = open_page("shared_services.py")
    spec = json.loads(_map(app).proto.spec)
    assert BOUNDARIES not in spec.get("datasets", {})
    assert BOUNDARIES_URL in json.dumps(spec)
    assert len(_map(app).proto.spec) < 100_000
