"""Housing Tenancy Fraud Pilot: the pilot groups, their councils and what they recovered."""

from lgadata import queries, thresholds
from lgadata.charts import tenancy_fraud as charts
from lgadata.paper.charts import render
from lgadata.paper.facts import milestones_of
from lgadata.paper.model import Chart
from lgadata.paper.sections import Drafted
from lgadata.paper.wording import change, in_words, milestone_paragraphs, no_data, upload_ids
from lgadata.paper.workbook_sheets import (
    COUNT,
    MONEY,
    UPLOAD,
    Context,
    nothing_uploaded,
)
from lgadata.sections.parts import Card, Figure, Page, Screen, Section, Sheet, Summary, join_names
from lgadata.values import format_count, format_money
from lgadata.workstreams import PROGRAMME

KEY = "tenancy_fraud"
TITLE = "Housing Tenancy Fraud Pilot"
STRANDS = ("Housing Tenancy Fraud Pilot",)


def figures(*, engine, today=None, known_at=None) -> dict:
    """Return the pilot groups and their outcomes."""
    del today
    return {
        "pilots": queries.fraud_pilots(engine=engine, known_at=known_at),
        "outcomes": queries.fraud_outcomes(engine=engine, known_at=known_at),
    }


def pilot_rag(*, engine) -> dict:
    """Return each pilot group's RAG status, the figure its threshold watches."""
    return {f"the pilot group {p['pilot']}": p["rag"] for p in queries.fraud_pilots(engine=engine)}


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


def write_sheet(sheet, ctx: Context) -> None:
    """Write the pilots, their outcomes to the meeting and notional savings, and the detail."""
    pilots, outcomes = (
        ctx.figures[KEY]["pilots"],
        ctx.figures[KEY]["outcomes"],
    )
    if not pilots and not outcomes["quarters"]:
        return nothing_uploaded(sheet, KEY)
    register, up = "Pilot register", ctx.sheet_uploads(KEY, "Pilots")
    councils = sum(len(p["councils"]) for p in pilots)
    by_quarter = ctx.uploads.get((KEY, "Outcomes"), {})
    quarters = outcomes["quarters"]
    reported = f"Quarters to {quarters[-1]['label']}" if quarters else "No quarters reported"
    out_up = [by_quarter.get(q["quarter"]) for q in quarters]
    basis = outcomes["basis"]
    sheet.figures(
        [
            ("Pilot groups", len(pilots), COUNT, register, up),
            ("Councils in the pilots", councils, COUNT, register, up),
            ("Referrals", outcomes["referrals"], COUNT, reported, out_up),
            ("Investigations opened", outcomes["investigations_opened"], COUNT, reported, out_up),
            ("Properties recovered", outcomes["properties_recovered"], COUNT, reported, out_up),
            ("Prosecutions", outcomes["prosecutions"], COUNT, reported, out_up),
            ("Notional savings", outcomes["notional_savings_gbp"], MONEY, reported, out_up, basis),
            ("Notional saving a property", outcomes["value_per_property_gbp"], MONEY, "", None,
             basis),
        ]
    )  # fmt: skip
    sheet.table(
        "Pilot groups and their councils",
        [("Pilot", None), ("Council", None), ("Lead council", None), ("Status", None),
         ("RAG", None), ("Next milestone", None)],
        [(p["pilot"], council, council == p["lead"], p["status"], p["rag"] or "",
          p["next_milestone"] or "") for p in pilots for council in p["councils"]],
    )  # fmt: skip
    sheet.table(
        "Outcomes by quarter",
        [("Quarter", None), ("Pilots reporting", COUNT), ("Referrals", COUNT),
         ("Investigations opened", COUNT), ("Properties recovered", COUNT),
         ("Prosecutions", COUNT), ("Notional savings", MONEY), UPLOAD],
        [(q["label"], q["pilots_reporting"], q["referrals"], q["investigations_opened"],
          q["properties_recovered"], q["prosecutions"], q["notional_savings_gbp"],
          sheet.upload(by_quarter.get(q["quarter"]))) for q in quarters],
    )  # fmt: skip


def paper_charts(facts: dict) -> tuple[Chart, ...]:
    """Return the pilots' outcomes by quarter, when any are reported."""
    quarters = facts["outcomes"]["quarters"]
    if not quarters:
        return ()
    return (
        render(
            charts.outcomes_by_quarter(quarters),
            caption="Pilot outcomes by quarter, all pilot groups",
            alt_text="Bar chart of pilot outcomes by quarter: "
            + "; ".join(
                f"{q['label']} {q['referrals']} referrals, "
                f"{q['properties_recovered']} properties recovered"
                for q in quarters
            ),
        ),
    )


def paragraphs(facts: dict) -> Drafted:
    """Return the paper's pilot groups with their councils, their stage and their outcomes."""
    pilots, outcomes = facts["pilots"], facts["outcomes"]
    milestones = milestones_of(facts, STRANDS[0])
    if not pilots and not outcomes["quarters"]:
        out = [no_data(TITLE)]
        out += milestone_paragraphs(milestones, meeting_date=facts["meeting_date"])
        return out, upload_ids(milestones)
    out = []
    if pilots:
        councils = sum(len(p["councils"]) for p in pilots)
        groups = "; ".join(
            f"{p['pilot']} ({join_names(p['councils'])}"
            + (f", led by {p['lead']}" if p["lead"] else "")
            + ")"
            for p in pilots
        )
        out.append(
            f"{in_words(len(pilots)).capitalize()} pilot groups of {in_words(councils)} councils "
            f"are taking part: {groups}."
        )
        if facts["fraud_stage"]:
            out.append(f"So far {facts['fraud_stage']}.")
    out.append(_outcomes(outcomes, later=bool(facts["left_out"]["quarters"])))
    out += milestone_paragraphs(milestones, meeting_date=facts["meeting_date"])
    return out, set(facts["current_uploads"].get(KEY, [])) | upload_ids(milestones)


def _outcomes(outcomes: dict, *, later: bool) -> str:
    quarters = outcomes["quarters"]
    if not quarters and later:
        return "No outcomes were reported by the meeting, so no savings are claimed."
    if not quarters:
        return "No outcomes have been reported yet, so no savings are claimed."
    latest = quarters[-1]
    text = (
        f"In {latest['label']} the pilots reported {format_count(latest['referrals'])} "
        f"referrals, {format_count(latest['investigations_opened'])} investigations opened, "
        f"{format_count(latest['properties_recovered'])} properties recovered and "
        f"{format_count(latest['prosecutions'])} prosecutions"
    )
    if len(quarters) > 1:
        before = quarters[-2]
        now, then = latest["properties_recovered"], before["properties_recovered"]
        text += (
            f" (properties recovered {change(now, then)} {format_count(then)} in {before['label']})"
        )
    return text + (
        f". In all {format_count(outcomes['properties_recovered'])} properties have been "
        f"recovered: notional savings of {format_money(outcomes['notional_savings_gbp'])} at "
        f"{format_money(outcomes['value_per_property_gbp'])} a property."
    )


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY, PROGRAMME.key),
    strands=STRANDS,
    page=Page("tenancy_fraud.py", "Tenancy Fraud Pilot", ":material/home_work:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    # One sentence a pilot group naming its councils, then their outcomes.
    screen=Screen("tenancy-fraud", None, chart=screen_chart),
    thresholds=(thresholds.turns_red(KEY, "RAG status", pilot_rag),),
    paragraphs=paragraphs,
    charts=paper_charts,
    sheet=Sheet(
        KEY,
        "Tenancy Fraud Pilot",
        (44, 34, 26, 18, 18, 40, 18, 14),
        write_sheet,
    ),
)
