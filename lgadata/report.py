"""Headline sentences drafted from the figures, for the command line and the Overview."""

from lgadata.values import format_count, format_iso_date, format_money
from lgadata.workstreams import WORKSTREAMS


def join_names(names: list[str]) -> str:
    """Join names as prose: "Huntingdonshire, Fenland and Peterborough"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def headlines(figures: dict) -> dict[str, list[str]]:
    """Return, for each workstream, sentences stating its headline figures."""
    out: dict[str, list[str]] = {}
    shared = figures["shared_services"]
    latest, previous = shared["latest"], shared["previous"]
    if latest:
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
        out["shared_services"] = [
            line + ".",
            f"{share:.0%} of English councils share services; "
            f"{latest['savings_not_reported']} arrangements report no savings figure.",
        ]
    cap = figures["capital_assets"]
    if cap["latest"]:
        year = cap["latest"]
        councils = cap["councils"]
        out["capital_assets"] = [
            f"{year['financial_year']} budget {format_money(year['budget_gbp'])}, "
            f"{format_money(year['secondees_gbp'])} ({year['secondee_share']:.0%}) for secondees; "
            f"{format_money(year['spent_gbp'])} spent.",
            f"Wave {councils['current_wave']}: {councils['current_wave_councils']} councils; "
            f"{councils['earlier_waves']} earlier waves.",
        ]
    fraud = figures["tenancy_fraud"]
    if fraud["pilots"]:
        out["tenancy_fraud"] = [
            f"{p['pilot']}: {join_names(p['councils'])}; {p['status'].lower()}."
            for p in fraud["pilots"]
        ]
        outcomes = fraud["outcomes"]
        out["tenancy_fraud"].append(
            f"{outcomes['properties_recovered']} properties recovered, notional savings "
            f"{format_money(outcomes['notional_savings_gbp'])} at "
            f"{format_money(outcomes['value_per_property_gbp'])} a property."
        )
    bulletins = figures["ebulletin"]["bulletins"]
    if bulletins:
        out["ebulletin"] = [
            f"{b['bulletin']} ({format_iso_date(b['sent_on'])}): top link {b['top_url']} with "
            f"{b['top_share']:.0%} of {format_count(b['views'])} views"
            + (" (a Productivity Programme page)." if b["top_is_programme"] else ".")
            for b in bulletins
        ]
    programme = figures["programme"]
    if programme["milestones"] or programme["deep_dives"]:
        status = ", ".join(f"{n} {s.lower()}" for s, n in sorted(programme["by_status"].items()))
        out["programme"] = [
            f"{programme['milestones']} milestones ({status}); {programme['overdue']} overdue.",
            *(
                f"Deep dive: {d['organisation']}, {d['category']} ({d['status'] or 'no status'})."
                for d in programme["deep_dives"]
            ),
        ]
    return out


def format_metrics(figures: dict) -> str:
    """Return the headline figures as plain text, one block per workstream."""
    lines = []
    sentences = headlines(figures)
    for key, workstream in WORKSTREAMS.items():
        lines.append(workstream.title)
        lines += [f"  {s}" for s in sentences.get(key, ["No data uploaded yet."])]
    return "\n".join(lines)
