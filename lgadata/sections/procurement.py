"""Procurement: the National Procurement Strategy, EU procurement reform and the deep dives."""

from lgadata import queries
from lgadata.charts import programme_milestones as charts
from lgadata.paper import sections as paper
from lgadata.paper.charts import render
from lgadata.paper.facts import reform_milestones
from lgadata.paper.model import Chart
from lgadata.sections import programme_milestones as milestone_data
from lgadata.sections.parts import Card, Figure, Page, Screen, Section, milestone_status
from lgadata.values import format_count, format_iso_date, format_money

KEY = "procurement"
TITLE = "Procurement"
STRANDS = ("National Procurement Strategy", "EU procurement reform")


def card(figures: dict, milestones: list[dict]) -> Card:
    """Return the procurement card: deep dives, the strategy and EU reform."""
    dives = figures[milestone_data.KEY]["deep_dives"]
    if not dives and not any(m["workstream"] in STRANDS for m in milestones):
        return Card(TITLE, SECTION.link, empty_workstream=milestone_data.KEY)
    spend = sum(d["planned_spend_gbp"] or 0 for d in dives)
    return Card(
        TITLE,
        SECTION.link,
        [
            Figure("Deep dives", format_count(len(dives))),
            Figure("Planned spend in scope", format_money(spend)),
        ],
        "National Procurement Strategy and EU procurement reform: "
        + milestone_status(milestones, STRANDS),
        "Programme milestones and deep dives",
    )


def screen_chart(figures: dict, milestones: list[dict], *, query):
    """Return the EU procurement reform timeline."""
    del figures, milestones
    rows = query(queries.eu_reform_timeline)
    return charts.reform_timeline(rows) if rows else None


def paper_charts(facts: dict) -> tuple[Chart, ...]:
    """Return the EU procurement reform timeline."""
    rows = reform_milestones(facts)
    if not rows:
        return ()
    return (
        render(
            charts.reform_timeline(rows),
            caption="EU procurement reform: agreement to transposition",
            alt_text="Timeline of EU procurement reform: "
            + "; ".join(f"{r['milestone']} {format_iso_date(r['due'])}" for r in rows),
        ),
    )


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(milestone_data.KEY,),
    strands=STRANDS,
    page=Page("procurement.py", "Procurement", ":material/shopping_cart:"),
    card=card,
    summary=milestone_data.SUMMARY,
    screen=Screen("procurement", chart=screen_chart),
    paragraphs=paper.procurement,
    charts=paper_charts,
    sheet=milestone_data.SHEET,
)
