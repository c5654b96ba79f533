"""Housing Tenancy Fraud Pilot: the pilot groups, their councils and what they recovered."""

from lgadata import queries
from lgadata.charts import tenancy_fraud as charts
from lgadata.paper import charts as paper_charts
from lgadata.paper import sections as paper
from lgadata.paper import workbook_sheets
from lgadata.sections.parts import Card, Figure, Page, Screen, Section, Sheet, Summary, join_names
from lgadata.values import format_count, format_money

KEY = "tenancy_fraud"
TITLE = "Housing Tenancy Fraud Pilot"
STRANDS = ("Housing Tenancy Fraud Pilot",)


def figures(*, engine, today=None) -> dict:
    """Return the pilot groups and their outcomes."""
    del today
    return {
        "pilots": queries.fraud_pilots(engine=engine),
        "outcomes": queries.fraud_outcomes(engine=engine),
    }


def sentences(figures: dict) -> list[str]:
    """Return one sentence a pilot group naming its councils, then their outcomes."""
    fraud = figures[KEY]
    if not fraud["pilots"]:
        return []
    out = [
        f"{p['pilot']}: {join_names(p['councils'])}; {p['status'].lower()}."
        for p in fraud["pilots"]
    ]
    outcomes = fraud["outcomes"]
    out.append(
        f"{outcomes['properties_recovered']} properties recovered, notional savings "
        f"{format_money(outcomes['notional_savings_gbp'])} at "
        f"{format_money(outcomes['value_per_property_gbp'])} a property."
    )
    return out


def card(figures: dict, milestones: list[dict]) -> Card:
    """Return the Housing Tenancy Fraud Pilot card."""
    del milestones
    pilots = figures[KEY]["pilots"]
    if not pilots:
        return Card(TITLE, SECTION.link, empty_workstream=KEY)
    outcomes = figures[KEY]["outcomes"]
    statuses = sorted({p["status"] for p in pilots})
    return Card(
        TITLE,
        SECTION.link,
        [
            Figure("Pilot groups", format_count(len(pilots))),
            Figure("Councils", format_count(sum(len(p["councils"]) for p in pilots))),
            Figure("Properties recovered", format_count(outcomes["properties_recovered"])),
        ],
        "Status: " + ", ".join(statuses) + ".",
        "Pilot register",
    )


def screen_chart(figures: dict, milestones: list[dict], *, query):
    """Return the pilots' outcomes by quarter, when any are reported."""
    del milestones, query
    quarters = figures[KEY]["outcomes"]["quarters"]
    return charts.outcomes_by_quarter(quarters) if quarters else None


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY, "programme"),
    strands=STRANDS,
    page=Page("tenancy_fraud.py", "Tenancy Fraud Pilot", ":material/home_work:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    # One sentence a pilot group naming its councils, then their outcomes.
    screen=Screen("tenancy-fraud", None, chart=screen_chart),
    paragraphs=paper.tenancy_fraud,
    charts=paper_charts.tenancy_fraud,
    sheet=Sheet(
        KEY,
        "Tenancy Fraud Pilot",
        (44, 34, 26, 18, 18, 40, 18, 14),
        workbook_sheets.tenancy_fraud,
    ),
)
