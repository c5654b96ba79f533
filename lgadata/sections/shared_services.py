"""Shared Services Map: councils sharing services, their arrangements and savings, by edition."""

from dataclasses import replace

from lgadata import queries, thresholds
from lgadata.charts import council_map
from lgadata.charts import shared_services as charts
from lgadata.councils import load_boundaries
from lgadata.paper import sections as paper
from lgadata.paper.charts import render
from lgadata.paper.model import Chart
from lgadata.paper.wording import changes
from lgadata.paper.workbook_sheets import (
    COUNT,
    DATE,
    MONEY,
    SHARE,
    UPLOAD,
    Context,
    figures_of,
    nothing_uploaded,
)
from lgadata.queries.base import as_date
from lgadata.queries.history import describe_period
from lgadata.sections.parts import Card, Figure, Page, Screen, Section, Sheet, Summary, signed
from lgadata.values import format_count, format_iso_date, format_money

KEY = "shared_services"
TITLE = "Shared Services Map"
STRANDS = ("Shared Services Map",)


def figures(*, engine, today=None, known_at=None) -> dict:
    """Return the latest map edition, the one before, and every edition."""
    del today
    return queries.edition_figures(
        queries.shared_services_editions(engine=engine, known_at=known_at)
    )


def sentences(figures: dict) -> list[str]:
    """Return this edition against the previous one, and the share of councils."""
    latest, previous = figures[KEY]["latest"], figures[KEY]["previous"]
    if not latest:
        return []
    line = (
        f"At least {format_count(latest['councils'])} councils in "
        f"{format_count(latest['arrangements'])} arrangements saving "
        f"{format_money(latest['savings_gbp'])} (map of {format_iso_date(latest['as_at'])})"
    )
    if previous:
        lead, moved = changes(
            {name: (latest[key], previous[key]) for name, key in paper.SHARED_FIGURES.items()}
        )
        line += (
            f", {lead} {format_count(previous['councils'])} in "
            f"{format_count(previous['arrangements'])} saving "
            f"{format_money(previous['savings_gbp'])} ({format_iso_date(previous['as_at'])})"
            f"{moved}"
        )
    share = latest["share_of_councils"]
    return [
        line + ".",
        f"{share:.0%} of English councils share services; "
        f"{latest['savings_not_reported']} arrangements report no savings figure.",
    ]


def card(figures: dict, milestones: list[dict]) -> Card:
    """Return the Shared Services Map card: this edition against the previous one."""
    del milestones
    latest, previous = figures[KEY]["latest"], figures[KEY]["previous"]
    if not latest:
        return Card(TITLE, SECTION.link, empty_workstream=KEY)

    def change(key, formatter=format_count):
        if not previous:
            return None
        return f"{signed(latest[key] - previous[key], formatter)} from {formatter(previous[key])}"

    share = latest["share_of_councils"]
    return Card(
        TITLE,
        SECTION.link,
        [
            Figure(
                "Councils sharing services", format_count(latest["councils"]), change("councils")
            ),
            Figure("Arrangements", format_count(latest["arrangements"]), change("arrangements")),
            Figure(
                "Efficiency savings",
                format_money(latest["savings_gbp"]),
                change("savings_gbp", format_money),
            ),
        ],
        f"{share:.0%} of English councils share services; "
        f"{latest['savings_not_reported']} arrangements have not reported savings.",
        f"Map of {format_iso_date(latest['as_at'], missing='')}",
        latest["upload_id"],
    )


def latest_savings(*, engine) -> dict:
    """Return the latest map edition's efficiency savings, the figure its threshold watches."""
    editions = queries.shared_services_editions(engine=engine)
    return {"Efficiency savings": editions[-1]["savings_gbp"]} if editions else {}


def screen_chart(figures: dict, milestones: list[dict], *, query):
    """Return the councils sharing services by region, in the latest edition."""
    del milestones
    latest = figures[KEY]["latest"]
    rows = query(queries.shared_services_regions, as_at=latest["as_at"])
    edition = format_iso_date(latest["as_at"])
    return charts.regions_screen_chart(rows, edition=edition) if rows else None


def map_card(figures: dict, milestones: list[dict]) -> Card:
    """Return the map screen's figures: the councils sharing, and their share of all."""
    main = card(figures, milestones)
    share = Figure(
        "Share of English councils", f"{figures[KEY]['latest']['share_of_councils']:.0%}"
    )
    return replace(main, figures=[main.figures[0], share], status="")


def map_screen_chart(figures: dict, milestones: list[dict], *, query):
    """Return the map of the councils sharing services in the latest edition, for a meeting."""
    del milestones
    councils = query(queries.shared_services_council_figures, as_at=figures[KEY]["latest"]["as_at"])
    frame = council_map.council_frame(councils, measure="sharing")
    districts = int((frame["Band"] == council_map.SHARING).sum())
    counties = sum(c["sharing"] for c in councils if c["type"] == "County")
    title = (
        f"{format_count(districts)} districts and unitaries sharing (and "
        f"{format_count(counties)} county council{'s' * (counties != 1)})"
    )
    return council_map.council_map(
        load_boundaries(),
        frame,
        title=title,
        measure="sharing",
        sizes=council_map.SCREEN_SIZES,
        label_size=council_map.SCREEN_LABEL_SIZE,
        legend="right",
        attribution=False,  # the screen's caption: inside the chart it is scaled to 9 px
    )


def write_sheet(sheet, ctx: Context) -> None:
    """Write the latest map edition's figures, every edition, and its arrangements."""
    shared = ctx.figures[KEY]
    latest = shared["latest"]
    if not latest:
        return nothing_uploaded(sheet, KEY)
    when = describe_period(latest["as_at"])
    sheet.figures(
        figures_of(latest, when, [
            ("Councils sharing services", "councils", COUNT),
            ("Arrangements", "arrangements", COUNT),
            ("Efficiency savings", "savings_gbp", MONEY),
            ("Arrangements not reporting savings", "savings_not_reported", COUNT),
            ("Share of English councils sharing services", "share_of_councils", SHARE,
             "Of the councils in the council register"),
        ])
    )  # fmt: skip
    sheet.table(
        "Map editions up to the meeting",
        [("Map of", DATE), ("Councils sharing", COUNT), ("Arrangements", COUNT),
         ("Efficiency savings", MONEY), ("Not reporting savings", COUNT),
         ("Share of English councils", SHARE), UPLOAD],
        [(as_date(e["as_at"]), e["councils"], e["arrangements"], e["savings_gbp"],
          e["savings_not_reported"], e["share_of_councils"], sheet.upload(e["upload_id"]))
         for e in shared["editions"]],
    )  # fmt: skip
    found = queries.shared_services_arrangements(
        engine=ctx.engine, as_at=latest["as_at"], limit=None
    )
    sheet.table(
        f"Arrangements in the map of {when}",
        [("Arrangement", None), ("Lead council", None), ("Partner councils", None),
         ("Category", None), ("Services", None), ("Started", DATE), ("Efficiency savings", MONEY),
         ("Note on savings", None), ("Status", None)],
        [(r["arrangement"], r["lead_council"], "; ".join(r["partner_councils"]), r["category"],
          r["services"] or "", r["start_date"], r["savings_gbp"], r["savings_note"] or "",
          r["status"] or "") for r in found["rows"]],
    )  # fmt: skip


def paper_map(facts: dict, edition: str) -> Chart:
    """Return the map of the councils sharing services, its attribution in the caption."""
    frame = council_map.council_frame(facts["council_figures"], measure="sharing")
    chart = council_map.council_map(
        load_boundaries(), frame, title="", measure="sharing", text_colour="#0b0c0c"
    )
    sharing = frame[frame["Band"] == council_map.SHARING]
    return render(
        chart,
        caption=f"Councils sharing services, {edition} (districts and unitary councils; "
        f"London enlarged). {council_map.ATTRIBUTION}",
        alt_text=f"Map of England's {len(frame)} district and unitary councils, "
        f"{len(sharing)} of them sharing services in the map of {edition}: "
        + "; ".join(
            f"{region} {count}" for region, count in sharing.groupby("Region").size().items()
        ),
        width=None,
    )


def paper_charts(facts: dict) -> tuple[Chart, ...]:
    """Return the map of councils sharing, those sharing by region, and savings by category."""
    if not facts["editions"]:
        return ()
    edition = format_iso_date(facts["editions"][-1]["as_at"])
    regions, categories = facts["regions"], facts["categories"]
    return (
        paper_map(facts, edition),
        render(
            charts.regions_chart(regions, edition=edition),
            caption=f"Councils sharing services in each region, {edition}",
            alt_text="Bar chart of councils sharing services by region: "
            + "; ".join(f"{r['region']} {r['sharing']} of {r['councils']}" for r in regions),
        ),
        render(
            charts.savings_by_category(categories, edition=edition),
            caption=f"Efficiency savings by service category, {edition}",
            alt_text="Bar chart of efficiency savings by service category: "
            + "; ".join(f"{c['category']} {format_money(c['savings_gbp'])}" for c in categories),
        ),
    )


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY,),
    strands=STRANDS,
    page=Page("shared_services.py", "Shared Services", ":material/hub:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    screen=Screen("shared-services", (0,), chart=screen_chart),
    more_screens=(
        Screen(
            "shared-services-map",
            (),
            status=False,
            chart=map_screen_chart,
            title="Shared Services Map: where councils share",
            card=map_card,
            chart_alone=True,
            caption=council_map.ATTRIBUTION,
        ),
    ),
    thresholds=(thresholds.moves(KEY, "Efficiency savings", latest_savings),),
    paragraphs=paper.shared_services,
    charts=paper_charts,
    sheet=Sheet(
        KEY,
        "Shared Services Map",
        (46, 30, 34, 28, 40, 14, 18, 40, 16),
        write_sheet,
    ),
)
