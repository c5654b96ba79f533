"""Shared Services Map: councils sharing services, their arrangements and savings, by edition."""

from lgadata import queries
from lgadata.charts import shared_services as charts
from lgadata.paper import charts as paper_charts
from lgadata.paper import sections as paper
from lgadata.paper import workbook_sheets
from lgadata.sections.parts import Card, Figure, Page, Screen, Section, Sheet, Summary, signed
from lgadata.values import format_count, format_iso_date, format_money

KEY = "shared_services"
TITLE = "Shared Services Map"
STRANDS = ("Shared Services Map",)


def figures(*, engine, today=None) -> dict:
    """Return the latest map edition, the one before, and every edition."""
    del today
    return queries.edition_figures(queries.shared_services_editions(engine=engine))


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
        line += (
            f", up from {format_count(previous['councils'])} in "
            f"{format_count(previous['arrangements'])} saving "
            f"{format_money(previous['savings_gbp'])} ({format_iso_date(previous['as_at'])})"
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


def screen_chart(figures: dict, milestones: list[dict], *, query):
    """Return the councils sharing services by region, in the latest edition."""
    del milestones
    latest = figures[KEY]["latest"]
    rows = query(queries.shared_services_regions, as_at=latest["as_at"])
    edition = format_iso_date(latest["as_at"])
    return charts.regions_chart(rows, edition=edition) if rows else None


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY,),
    strands=STRANDS,
    page=Page("shared_services.py", "Shared Services", ":material/hub:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    screen=Screen("shared-services", (0,), chart=screen_chart),
    paragraphs=paper.shared_services,
    charts=paper_charts.shared_services,
    sheet=Sheet(
        KEY,
        "Shared Services Map",
        (46, 30, 34, 28, 40, 14, 18, 40, 16),
        workbook_sheets.shared_services,
    ),
)
