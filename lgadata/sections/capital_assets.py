"""Capital and Assets Programme: budget, secondees and the councils taking part, by wave."""

from lgadata import queries, thresholds
from lgadata.charts import capital_assets as charts
from lgadata.paper import sections as paper
from lgadata.paper.charts import render
from lgadata.paper.model import Chart
from lgadata.paper.workbook_sheets import (
    COUNT,
    MONEY,
    SHARE,
    UPLOAD,
    Context,
    figures_of,
    nothing_uploaded,
)
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
from lgadata.workstreams import PROGRAMME

KEY = "capital_assets"
TITLE = "Capital and Assets Programme"
STRANDS = ("Capital and Assets Programme",)


def figures(*, engine, today=None, known_at=None) -> dict:
    """Return the latest financial year, every year, and the councils by wave."""
    del today
    years = queries.capital_assets_years(engine=engine, known_at=known_at)
    return {
        "latest": years[-1] if years else None,
        "years": years,
        "councils": queries.capital_assets_councils(engine=engine, known_at=known_at),
    }


def budget_lines(*, engine) -> dict:
    """Return each budget line's budget and spend, the figures its threshold watches."""
    return {
        f"{line['line']} ({line['financial_year']})": (line["budget_gbp"], line["spent_gbp"])
        for line in queries.capital_assets_lines(engine=engine)
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


def write_sheet(sheet, ctx: Context) -> None:
    """Write the latest financial year's budget, the councils by wave, and the detail."""
    cap = ctx.figures[KEY]
    year, councils = cap["latest"], cap["councils"]
    if not year and not councils["waves"]:
        return nothing_uploaded(sheet, KEY)
    rows = []
    if year:
        rows += figures_of(
            year,
            f"Financial year {year['financial_year']}",
            [
                ("Budget", "budget_gbp", MONEY),
                ("Spent", "spent_gbp", MONEY),
                ("Share of the budget spent", "spent_share", SHARE),
                ("Budget for secondees", "secondees_gbp", MONEY),
                ("Secondees' share of the budget", "secondee_share", SHARE),
            ],
        )
    if councils["waves"]:
        uploads = ctx.sheet_uploads(KEY, "Councils")
        rows += figures_of(
            councils,
            "Councils taking part",
            [
                ("Councils taking part", "councils", COUNT),
                ("Current wave", "current_wave", COUNT),
                ("Councils in the current wave", "current_wave_councils", COUNT),
                ("Capital receipts", "capital_receipts_gbp", MONEY),
                ("Running-cost savings", "running_cost_savings_gbp", MONEY),
            ],
            uploads=uploads,
        )
    sheet.figures(rows)
    sheet.table(
        "Budget by financial year",
        [("Financial year", None), ("Budget", MONEY), ("Spent", MONEY), ("Share spent", SHARE),
         ("For secondees", MONEY), ("Secondees' share", SHARE), UPLOAD],
        [(y["financial_year"], y["budget_gbp"], y["spent_gbp"], y["spent_share"],
          y["secondees_gbp"], y["secondee_share"], sheet.upload(y["upload_id"]))
         for y in cap["years"]],
    )  # fmt: skip
    if year:
        by_category = queries.capital_assets_categories(
            engine=ctx.engine, financial_year=year["financial_year"]
        )
        sheet.table(
            f"Budget by category, {year['financial_year']}",
            [("Category", None), ("Budget", MONEY), ("Spent", MONEY), ("Budget lines", COUNT)],
            [(c["category"], c["budget_gbp"], c["spent_gbp"], c["lines"]) for c in by_category],
        )
    sheet.table(
        "Councils taking part",
        [("Council", None), ("Region", None), ("Wave", COUNT), ("Status", None),
         ("Secondee in post", None), ("Capital receipts", MONEY), ("Running-cost savings", MONEY)],
        [(c["council"], c["region"], c["wave"], c["status"] or "", c["secondee_in_post"],
          c["capital_receipts_gbp"], c["running_cost_savings_gbp"])
         for c in queries.capital_assets_council_list(engine=ctx.engine)],
    )  # fmt: skip


def paper_charts(facts: dict) -> tuple[Chart, ...]:
    """Return the budget and spend by category, and the councils by wave."""
    out = []
    if facts["year_categories"]:
        year = facts["lead_year"]
        rows = facts["year_categories"]
        out.append(
            render(
                charts.budget_by_category(rows, financial_year=year),
                caption=f"Budget and spend by category, {year}",
                alt_text=f"Bar chart of the {year} budget and spend by category: "
                + "; ".join(
                    f"{r['category']} budget {format_money(r['budget_gbp'])}, "
                    f"spent {format_money(r['spent_gbp'])}"
                    for r in rows
                ),
            )
        )
    if facts["wave_status"]:
        rows = facts["wave_status"]
        out.append(
            render(
                # Whole councils: at paper width the axis would otherwise tick every half.
                charts.councils_by_wave(rows).configure_axisX(tickMinStep=1),
                caption="Participating councils by wave and status",
                alt_text="Stacked bar chart of councils by wave: "
                + "; ".join(f"wave {r['wave']} {r['status']} {r['councils']}" for r in rows),
            )
        )
    return tuple(out)


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY, PROGRAMME.key),
    strands=STRANDS,
    page=Page("capital_assets.py", "Capital and Assets", ":material/account_balance:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    screen=Screen("capital-assets", (0, 1), chart=screen_chart),
    thresholds=(thresholds.overspends(KEY, "Budget lines", budget_lines),),
    paragraphs=paper.capital_assets,
    charts=paper_charts,
    sheet=Sheet(KEY, "Capital and Assets", (40, 18, 26, 16, 18, 18, 22), write_sheet),
)
