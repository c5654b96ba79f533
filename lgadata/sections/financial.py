"""Financial implications: the paper's closing section, on the programme's costs and savings."""

from lgadata.paper.facts import CAPITAL_ASSETS
from lgadata.paper.sections import Drafted, spend_sentence
from lgadata.paper.wording import upload_ids
from lgadata.sections.parts import Section
from lgadata.values import format_count, format_money


def paragraphs(facts: dict) -> Drafted:
    """Return the financial implications: the programme budget and the notional savings."""
    years, outcomes = facts["years"], facts["outcomes"]
    out, uploads = [], set()
    if years:
        latest = years[-1]
        text = (
            f"The programme’s costs in the data are the {CAPITAL_ASSETS} budget: "
            f"{format_money(latest['budget_gbp'])} for {latest['financial_year']}"
        )
        if len(years) > 1:
            before = years[-2]
            text += f", after {format_money(before['budget_gbp'])} for {before['financial_year']}"
        out.append(text + "." + spend_sentence(years, spend_year=facts["spend_year"]))
        uploads |= upload_ids(years)
    if facts["pilots"] or outcomes["quarters"]:
        value = format_money(outcomes["value_per_property_gbp"])
        if outcomes["quarters"]:
            out.append(
                f"The tenancy fraud pilots’ notional savings are "
                f"{format_money(outcomes['notional_savings_gbp'])}, from "
                f"{format_count(outcomes['properties_recovered'])} properties recovered at "
                f"{value} a property ({outcomes['basis']}). They are savings to councils’ "
                "housing, not income to the programme."
            )
        else:
            out.append(
                "The tenancy fraud pilots have reported no outcomes yet, so no notional savings "
                f"are claimed; each property recovered will count at {value} "
                f"({outcomes['basis']})."
            )
        uploads |= set(facts["current_uploads"].get("tenancy_fraud", []))
    if not out:
        out.append(
            "No budget or savings data has been uploaded yet, so this paper sets out no "
            "financial implications."
        )
    return out, uploads


SECTION = Section(
    key="financial",
    title="Financial implications",
    workstreams=("capital_assets", "tenancy_fraud"),
    paragraphs=paragraphs,
    charts=None,
    paper_only=True,
)
