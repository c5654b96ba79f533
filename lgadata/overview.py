"""The Overview's cards: one per recommendation of the board report, drafted from the figures."""

from dataclasses import dataclass, field

from lgadata.values import format_count, format_iso_date, format_money


@dataclass(frozen=True)
class Figure:
    """A headline figure with its change since the previous period, if there is one."""

    label: str
    value: str
    change: str | None = None


@dataclass(frozen=True)
class Card:
    """One workstream's card: figures, a status line, where the figures come from."""

    title: str
    page: str
    figures: list[Figure] = field(default_factory=list)
    status: str = ""
    as_at: str = ""
    upload_id: int | None = None
    empty_workstream: str | None = None


def _signed(amount: float, formatter) -> str:
    return ("+" if amount >= 0 else "-") + formatter(abs(amount))


def _next(milestones: list[dict], workstreams: tuple[str, ...]) -> dict | None:
    pending = [m for m in milestones if m["workstream"] in workstreams and m["status"] != "Done"]
    return min(pending, key=lambda m: m["due"], default=None)


def _milestone_status(milestones: list[dict], workstreams: tuple[str, ...]) -> str:
    mine = [m for m in milestones if m["workstream"] in workstreams]
    if not mine:
        return "No milestones uploaded."
    done = sum(m["status"] == "Done" for m in mine)
    overdue = sum(m["overdue"] for m in mine)
    upcoming = _next(milestones, workstreams)
    line = f"{done} of {len(mine)} milestones done"
    line += f", {overdue} overdue" if overdue else ""
    if upcoming:
        when, status = format_iso_date(upcoming["due"], missing=""), upcoming["status"].lower()
        line += f". Next: {upcoming['milestone']} ({when}, {status})"
    return line + "."


def capital_assets(figures: dict, milestones: list[dict]) -> Card:
    """Return the Capital and Assets Programme card."""
    cap = figures["capital_assets"]
    card = Card("Capital and Assets Programme", "capital_assets.py")
    latest = cap["latest"]
    if not latest:
        return Card(card.title, card.page, empty_workstream="capital_assets")
    years = cap["years"]
    previous = years[-2] if len(years) > 1 else None
    budget = latest["budget_gbp"]

    def in_style(amount: float) -> str:
        return format_money(amount, like=budget)

    change = _signed(budget - previous["budget_gbp"], in_style) if previous else None
    councils = cap["councils"]
    return Card(
        card.title,
        card.page,
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
        _milestone_status(milestones, ("Capital and Assets Programme",)),
        f"Financial year {latest['financial_year']}",
        latest["upload_id"],
    )


def commissioning_academy(milestones: list[dict]) -> Card:
    """Return the Commissioning Academy card, drawn from its milestones."""
    mine = [m for m in milestones if m["workstream"] == "Commissioning Academy"]
    if not mine:
        return Card("Commissioning Academy", "timeline.py", empty_workstream="programme")
    done = sum(m["status"] == "Done" for m in mine)
    return Card(
        "Commissioning Academy",
        "timeline.py",
        [
            Figure("Milestones done", f"{done} of {len(mine)}"),
            Figure(
                "At risk or missed",
                format_count(sum(m["status"] in ("At risk", "Missed") for m in mine)),
            ),
        ],
        _milestone_status(milestones, ("Commissioning Academy",)),
        "Programme milestones",
    )


def shared_services(figures: dict) -> Card:
    """Return the Shared Services Map card: this edition against the previous one."""
    shared = figures["shared_services"]
    latest, previous = shared["latest"], shared["previous"]
    if not latest:
        return Card("Shared Services Map", "shared_services.py", empty_workstream="shared_services")

    def change(key, formatter=format_count):
        if not previous:
            return None
        return f"{_signed(latest[key] - previous[key], formatter)} from {formatter(previous[key])}"

    share = latest["share_of_councils"]
    return Card(
        "Shared Services Map",
        "shared_services.py",
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


def tenancy_fraud(figures: dict) -> Card:
    """Return the Housing Tenancy Fraud Pilot card."""
    pilots = figures["tenancy_fraud"]["pilots"]
    if not pilots:
        return Card(
            "Housing Tenancy Fraud Pilot", "tenancy_fraud.py", empty_workstream="tenancy_fraud"
        )
    outcomes = figures["tenancy_fraud"]["outcomes"]
    statuses = sorted({p["status"] for p in pilots})
    return Card(
        "Housing Tenancy Fraud Pilot",
        "tenancy_fraud.py",
        [
            Figure("Pilot groups", format_count(len(pilots))),
            Figure("Councils", format_count(sum(len(p["councils"]) for p in pilots))),
            Figure("Properties recovered", format_count(outcomes["properties_recovered"])),
        ],
        "Status: " + ", ".join(statuses) + ".",
        "Pilot register",
    )


def procurement(figures: dict, milestones: list[dict]) -> Card:
    """Return the procurement card: deep dives, the strategy and EU reform."""
    dives = figures["programme"]["deep_dives"]
    workstreams = ("National Procurement Strategy", "EU procurement reform")
    if not dives and not any(m["workstream"] in workstreams for m in milestones):
        return Card("Procurement", "procurement.py", empty_workstream="programme")
    spend = sum(d["planned_spend_gbp"] or 0 for d in dives)
    return Card(
        "Procurement",
        "procurement.py",
        [
            Figure("Deep dives", format_count(len(dives))),
            Figure("Planned spend in scope", format_money(spend)),
        ],
        "National Procurement Strategy and EU procurement reform: "
        + _milestone_status(milestones, workstreams),
        "Programme milestones and deep dives",
    )


def ebulletin(figures: dict) -> Card:
    """Return the e-bulletin card: the latest bulletin and how programme pages fare."""
    bulletins = figures["ebulletin"]["bulletins"]
    if not bulletins:
        return Card("E-bulletin statistics", "ebulletin.py", empty_workstream="ebulletin")
    latest = bulletins[0]
    programme_tops = sum(b["top_is_programme"] for b in bulletins)
    return Card(
        "E-bulletin statistics",
        "ebulletin.py",
        [
            Figure("Views, latest bulletin", format_count(latest["views"])),
            Figure("Top link's share", f"{latest['top_share']:.0%}"),
            Figure(
                "Programme page on top",
                f"{programme_tops} of last {len(bulletins)}",
            ),
        ],
        f"Top link of {latest['bulletin']}: {latest['top_url']}",
        f"Bulletin sent {format_iso_date(latest['sent_on'], missing='')}",
        latest["upload_id"],
    )


def cards(figures: dict, milestones: list[dict]) -> list[Card]:
    """Return the Overview's cards in the order of the board report's recommendations."""
    return [
        capital_assets(figures, milestones),
        commissioning_academy(milestones),
        shared_services(figures),
        tenancy_fraud(figures),
        procurement(figures, milestones),
        ebulletin(figures),
    ]
