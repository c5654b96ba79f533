"""The paragraphs of sections of the board paper, drafted from the figures.

Each writer takes the facts gathered for the meeting and returns its paragraphs and the
uploads those paragraphs quote. A workstream without data says so; nothing is invented.
A section's `paragraphs` is its writer: these, or one in the section's own file (the
Housing Tenancy Fraud Pilot's and the financial implications' are there, as a new
section's would be).
"""

from lgadata.charts.ebulletin import format_share
from lgadata.paper.facts import (
    CAPITAL_ASSETS,
    COMMISSIONING_ACADEMY,
    milestones_of,
    procurement_milestones,
    reform_milestones,
)
from lgadata.paper.wording import (
    change,
    changes,
    in_words,
    milestone_paragraphs,
    no_data,
    upload_ids,
)
from lgadata.sections.parts import join_names
from lgadata.values import format_count, format_date, format_iso_date, format_money

Drafted = tuple[list[str], set[int]]

# The map's headline figures, as the paper names them when they move differently.
SHARED_FIGURES = {"councils": "councils", "arrangements": "arrangements", "savings": "savings_gbp"}


def capital_assets(facts: dict) -> Drafted:
    """Return the Capital and Assets Programme's budget, spend, councils and milestones."""
    years, waves = facts["years"], facts["waves"]
    milestones = milestones_of(facts, CAPITAL_ASSETS)
    out = [] if years or waves["waves"] else [no_data(CAPITAL_ASSETS)]
    if years:
        out.append(_budget(years, spend_year=facts["spend_year"]))
    if waves["waves"]:
        out.append(_waves(waves))
    out += milestone_paragraphs(milestones, meeting_date=facts["meeting_date"])
    uploads = set(facts["current_uploads"].get("capital_assets", [])) | upload_ids(milestones)
    return out, uploads


def _budget(years: list[dict], *, spend_year: str | None) -> str:
    latest = years[-1]
    text = f"The {CAPITAL_ASSETS} budget for {latest['financial_year']} is "
    text += format_money(latest["budget_gbp"])
    if len(years) > 1:
        before = years[-2]
        text += (
            f", {change(latest['budget_gbp'], before['budget_gbp'])} "
            f"{format_money(before['budget_gbp'])} in {before['financial_year']}"
        )
    if latest["secondees_gbp"]:
        text += (
            f"; {format_money(latest['secondees_gbp'])} ({latest['secondee_share']:.0%}) "
            "of it is for secondees"
        )
    return text + "." + spend_sentence(years, spend_year=spend_year)


def spend_sentence(years: list[dict], *, spend_year: str | None) -> str:
    # Spend is quoted for the latest year begun by the meeting: a year that starts after it
    # has no spend the board could have been told of.
    year = next((y for y in years if y["financial_year"] == spend_year), None)
    if year is None:
        return ""
    share = f" ({year['spent_share']:.0%})" if year["spent_share"] is not None else ""
    return (
        f" In {year['financial_year']}, {format_money(year['spent_gbp'])} of the "
        f"{format_money(year['budget_gbp'])} budget{share} has been spent."
    )


def _waves(waves: dict) -> str:
    secondees = sum(w["secondees_in_post"] for w in waves["waves"])
    text = (
        f"{format_count(waves['councils'])} councils have taken part in "
        f"{len(waves['waves'])} waves; wave {waves['current_wave']} has "
        f"{format_count(waves['current_wave_councils'])} councils, and {secondees} councils "
        "have a secondee in post."
    )
    if waves["capital_receipts_gbp"] or waves["running_cost_savings_gbp"]:
        text += (
            f" Councils report capital receipts of {format_money(waves['capital_receipts_gbp'])} "
            f"and running-cost savings of {format_money(waves['running_cost_savings_gbp'])}."
        )
    return text


def commissioning_academy(facts: dict) -> Drafted:
    """Return the Commissioning Academy's milestones: cohorts begun, completed and next."""
    rows = milestones_of(facts, COMMISSIONING_ACADEMY)
    if not rows:
        return [no_data(COMMISSIONING_ACADEMY)], set()
    return milestone_paragraphs(rows, meeting_date=facts["meeting_date"]), upload_ids(rows)


def shared_services(facts: dict) -> Drafted:
    """Return the Shared Services Map's councils, arrangements and savings, with the change."""
    editions = facts["editions"]
    if not editions:
        return [_nothing_yet(facts, "editions", "Shared Services Map", "no edition is")], set()
    latest = editions[-1]
    text = (
        f"The Shared Services Map ({format_iso_date(latest['as_at'])} edition) now shows at "
        f"least {format_count(latest['councils'])} councils in "
        f"{format_count(latest['arrangements'])} arrangements saving "
        f"{format_money(latest['savings_gbp'])}"
    )
    shown = [latest]
    if len(editions) > 1:
        before = editions[-2]
        shown.append(before)
        lead, moved = changes(
            {name: (latest[key], before[key]) for name, key in SHARED_FIGURES.items()}
        )
        text += (
            f", {lead} {format_count(before['councils'])} councils in "
            f"{format_count(before['arrangements'])} arrangements saving "
            f"{format_money(before['savings_gbp'])} in the "
            f"{format_iso_date(before['as_at'])} edition{moved}"
        )
    out = [text + "."]
    if latest["share_of_councils"] is not None:
        out.append(
            f"That is {latest['share_of_councils']:.0%} of the {format_count(facts['register'])} "
            f"English councils; {format_count(latest['savings_not_reported'])} arrangements "
            "report no savings figure, so the savings are a floor."
        )
    reported = [c for c in facts["categories"] if c["savings_gbp"]]
    if reported:
        top = sorted(reported, key=lambda c: -c["savings_gbp"])[:3]
        out.append(
            "The largest savings are in "
            + join_names([f"{c['category']} ({format_money(c['savings_gbp'])})" for c in top])
            + "."
        )
    return out, upload_ids(shown)


def _nothing_yet(facts: dict, kind: str, what: str, none: str) -> str:
    """Return why a section quotes nothing: no upload, or only periods after the meeting."""
    if not facts["left_out"][kind]:
        return no_data(what)
    meeting = format_date(facts["meeting_date"])
    return f"For the {what}, {none} dated by {meeting}; later ones are left out."


def procurement(facts: dict) -> Drafted:
    """Return the National Procurement Strategy, EU procurement reform and the deep dives."""
    strategy, reform = procurement_milestones(facts), reform_milestones(facts)
    dives, totals = facts["deep_dives"], facts["deep_dive_totals"]
    if not (strategy or reform or dives):
        return [no_data("procurement workstream")], set()
    lines = milestone_paragraphs(strategy, meeting_date=facts["meeting_date"])
    out = [f"National Procurement Strategy. {' '.join(lines)}"] if lines else []
    for row in reform:
        status = row["status"].lower() + (f"; {row['notes']}" if row["notes"] else "")
        if row["months_after_previous"] is None:
            out.append(
                f"EU procurement reform: {row['milestone']}, due {format_iso_date(row['due'])} "
                f"({status})."
            )
        else:
            out.append(
                f"{row['milestone']} follows {row['months_after_previous']} months later, by "
                f"{format_iso_date(row['due'])} ({status})."
            )
    if dives:
        listed = "; ".join(
            f"{d['organisation']} ({d['category']}, {(d['status'] or 'no status').lower()})"
            for d in dives
        )
        out.append(
            f"{in_words(len(dives)).capitalize()} procurement deep dives cover planned spend of "
            f"{format_money(totals['planned_spend_gbp'])}: {listed}."
        )
    uploads = upload_ids(strategy) | upload_ids(reform)
    if totals["upload_id"] is not None:
        uploads.add(totals["upload_id"])
    return out, uploads


def ebulletin(facts: dict) -> Drafted:
    """Return the latest bulletin's views and programme share, against the one before."""
    bulletins = facts["bulletins"]
    if not bulletins:
        return [_nothing_yet(facts, "bulletins", "e-bulletin statistics", "no bulletin was")], set()
    latest = bulletins[0]
    text = (
        f"The {latest['bulletin']} (sent {format_iso_date(latest['sent_on'])}) had "
        f"{format_count(latest['views'])} views; {format_share(latest['programme_share'])} "
        "went to Productivity Programme pages"
    )
    if len(bulletins) > 1 and latest["programme_share"] is not None:
        before = bulletins[1]
        if before["programme_share"] is not None:
            now, then = latest["programme_share"], before["programme_share"]
            # As shown: 25.4% against 24.8% is "25%, down from 25%" otherwise (the walk).
            moved = change(now, then) if format_share(now) != format_share(then) else None
            text += (
                f", {moved or 'unchanged from'} {format_share(then)} in the {before['bulletin']}"
            )
    out = [text + "."]
    if latest["top_url"]:
        out.append(
            f"Its most viewed link was “{latest['top_link_text'] or latest['top_url']}” "
            f"({latest['top_url']}), with {format_count(latest['top_views'])} views "
            f"({format_share(latest['top_share'])})"
            + (", a Productivity Programme page." if latest["top_is_programme"] else ".")
        )
    views = sum(b["views"] for b in bulletins)
    programme = sum(b["programme_views"] for b in bulletins)
    if len(bulletins) > 1 and views:
        out.append(
            f"Across the {len(bulletins)} bulletins to date, {format_count(programme)} of "
            f"{format_count(views)} views ({format_share(programme / views)}) went to "
            "programme pages."
        )
    return out, upload_ids(bulletins)
