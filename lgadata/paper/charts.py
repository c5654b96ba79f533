"""The paper's charts as PNGs, drawn offline by vl-convert from the dashboard's Altair builders."""

import altair as alt
import vl_convert

from lgadata.charts import capital_assets as cap_charts
from lgadata.charts import ebulletin as bulletin_charts
from lgadata.charts import programme as programme_charts
from lgadata.charts import shared_services as map_charts
from lgadata.charts import tenancy_fraud as fraud_charts
from lgadata.charts.ebulletin import format_share
from lgadata.paper.facts import reform_milestones
from lgadata.paper.model import Chart
from lgadata.values import format_iso_date, format_money

# Wide enough for the longest axis labels at A4 text width; scale 2 keeps print sharp.
WIDTH = 620
SCALE = 2


def render(chart: alt.TopLevelMixin, *, caption: str, alt_text: str) -> Chart:
    """Return a chart drawn on white, its title moved into the caption below it."""
    # The caption carries the title on paper, so the image does not repeat it.
    spec = chart.properties(title="", width=WIDTH, background="white")
    png = vl_convert.vegalite_to_png(spec.to_json(), scale=SCALE)
    return Chart(caption=caption, png=png, alt_text=alt_text)


def capital_assets(facts: dict) -> tuple[Chart, ...]:
    """Return the budget and spend by category, and the councils by wave."""
    out = []
    if facts["year_categories"]:
        year = facts["lead_year"]
        rows = facts["year_categories"]
        out.append(
            render(
                cap_charts.budget_by_category(rows, financial_year=year),
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
                cap_charts.councils_by_wave(rows).configure_axisX(tickMinStep=1),
                caption="Participating councils by wave and status",
                alt_text="Stacked bar chart of councils by wave: "
                + "; ".join(f"wave {r['wave']} {r['status']} {r['councils']}" for r in rows),
            )
        )
    return tuple(out)


def shared_services(facts: dict) -> tuple[Chart, ...]:
    """Return the councils sharing services by region, and the savings by category."""
    if not facts["editions"]:
        return ()
    edition = format_iso_date(facts["editions"][-1]["as_at"])
    regions, categories = facts["regions"], facts["categories"]
    return (
        render(
            map_charts.regions_chart(regions, edition=edition),
            caption=f"Councils sharing services in each region, {edition}",
            alt_text="Bar chart of councils sharing services by region: "
            + "; ".join(f"{r['region']} {r['sharing']} of {r['councils']}" for r in regions),
        ),
        render(
            map_charts.savings_by_category(categories, edition=edition),
            caption=f"Efficiency savings by service category, {edition}",
            alt_text="Bar chart of efficiency savings by service category: "
            + "; ".join(f"{c['category']} {format_money(c['savings_gbp'])}" for c in categories),
        ),
    )


def tenancy_fraud(facts: dict) -> tuple[Chart, ...]:
    """Return the pilots' outcomes by quarter, when any are reported."""
    quarters = facts["outcomes"]["quarters"]
    if not quarters:
        return ()
    return (
        render(
            fraud_charts.outcomes_by_quarter(quarters),
            caption="Pilot outcomes by quarter, all pilot groups",
            alt_text="Bar chart of pilot outcomes by quarter: "
            + "; ".join(
                f"{q['label']} {q['referrals']} referrals, "
                f"{q['properties_recovered']} properties recovered"
                for q in quarters
            ),
        ),
    )


def procurement(facts: dict) -> tuple[Chart, ...]:
    """Return the EU procurement reform timeline."""
    rows = reform_milestones(facts)
    if not rows:
        return ()
    return (
        render(
            programme_charts.reform_timeline(rows),
            caption="EU procurement reform: agreement to transposition",
            alt_text="Timeline of EU procurement reform: "
            + "; ".join(f"{r['milestone']} {format_iso_date(r['due'])}" for r in rows),
        ),
    )


def ebulletin(facts: dict) -> tuple[Chart, ...]:
    """Return the share of each bulletin's views going to programme pages, over time."""
    bulletins = facts["bulletins"]
    # Two points make a line that says no more than the sentence comparing them.
    if len(bulletins) < 3:
        return ()
    return (
        render(
            bulletin_charts.programme_share_trend(bulletins),
            caption="Share of each bulletin’s views going to programme pages",
            alt_text="Line chart of the programme share of each bulletin’s views: "
            + "; ".join(
                f"{format_iso_date(b['sent_on'])} {format_share(b['programme_share'])}"
                for b in reversed(bulletins)
            ),
        ),
    )
