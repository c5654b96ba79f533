"""Capital and Assets Programme: budget, secondees and the councils taking part, by wave."""

from lgadata import queries
from lgadata.charts import capital_assets as charts
from lgadata.paper import charts as paper_charts
from lgadata.paper import sections as paper
from lgadata.paper import workbook_sheets
from lgadata.sections.parts import (
    Card,
    Figure,
    Page,
    Screen,
    Section,
    Sheet,
    Summary,
    milestone_status,
    signed,
)
from lgadata.values import format_count, format_money

KEY = "capital_assets"
TITLE = "Capital and Assets Programme"
STRANDS = ("Capital and Assets Programme",)


def figures(*, engine, today=None) -> dict:
    """Return the latest financial year, every year, and the councils by wave."""
    del today
    years = queries.capital_assets_years(engine=engine)
    return {
        "latest": years[-1] if years else None,
        "years": years,
        "councils": queries.capital_assets_councils(engine=engine),
    }


def sentences(figures: dict) -> list[str]:
    """Return the budget and secondees sentence and the councils by wave."""
    cap = figures[KEY]
    if not cap["latest"]:
        return []
    year, councils = cap["latest"], cap["councils"]
    return [
        f"{year['financial_year']} budget {format_money(year['budget_gbp'])}, "
        f"{format_money(year['secondees_gbp'])} ({year['secondee_share']:.0%}) for secondees; "
        f"{format_money(year['spent_gbp'])} spent.",
        f"Wave {councils['current_wave']}: {councils['current_wave_councils']} councils; "
        f"{councils['earlier_waves']} earlier waves.",
    ]


def card(figures: dict, milestones: list[dict]) -> Card:
    """Return the Capital and Assets Programme card."""
    cap = figures[KEY]
    latest = cap["latest"]
    if not latest:
        return Card(TITLE, SECTION.link, empty_workstream=KEY)
    years = cap["years"]
    previous = years[-2] if len(years) > 1 else None
    budget = latest["budget_gbp"]

    def in_style(amount: float) -> str:
        return format_money(amount, like=budget)

    change = signed(budget - previous["budget_gbp"], in_style) if previous else None
    councils = cap["councils"]
    return Card(
        TITLE,
        SECTION.link,
        [
            Figure(
                f"Budget {latest['financial_year']}", format_money(latest["budget_gbp"]), change
            ),
            Figure("For secondees", f"{latest['secondee_share']:.0%}"),
            Figure(
                f"Councils in wave {councils['current_wave']}",
                format_count(councils["current_wave_councils"]),
            ),
        ],
        milestone_status(milestones, STRANDS),
        f"Financial year {latest['financial_year']}",
        latest["upload_id"],
    )


def screen_chart(figures: dict, milestones: list[dict], *, query):
    """Return the latest year's budget by category."""
    del milestones
    year = figures[KEY]["latest"]["financial_year"]
    rows = query(queries.capital_assets_categories, financial_year=year)
    return charts.budget_by_category(rows, financial_year=year) if rows else None


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY, "programme"),
    strands=STRANDS,
    page=Page("capital_assets.py", "Capital and Assets", ":material/account_balance:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    screen=Screen("capital-assets", (0, 1), chart=screen_chart),
    paragraphs=paper.capital_assets,
    charts=paper_charts.capital_assets,
    sheet=Sheet(
        KEY, "Capital and Assets", (40, 18, 26, 16, 18, 18, 22), workbook_sheets.capital_assets
    ),
)
