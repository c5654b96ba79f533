"""The rows of the smaller samples: capital and assets, tenancy fraud, e-bulletin, programme."""

import datetime as dt
import random

from lgadata.councils import CouncilRegister
from lgadata.samples.council_names import officer_name
from lgadata.samples.tables import (
    BUDGET,
    DEEP_DIVES,
    LGA,
    MILESTONES,
    OTHER_LINKS,
    PILOTS,
    SENT_ON,
    TOP_LINKS,
    WAVE_SIZES,
    table,
)


def capital_assets(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return the budget lines of two years and the councils of four waves."""
    budget = [
        {"financial_year": year, "line": line, "category": category}
        | {"budget_gbp": int(amount), "spent_gbp": int(spent)}
        for year, line, category, amount, spent in BUDGET
    ]
    picked = rng.sample(sorted(register, key=lambda c: c.gss_code), sum(WAVE_SIZES.values()))
    councils = []
    for wave, size in WAVE_SIZES.items():
        done = wave < max(WAVE_SIZES)
        for council in sorted(picked[:size], key=lambda c: c.official_name):
            councils.append(
                {
                    "council": officer_name(council, register, rng, official=3),
                    "wave": wave,
                    "status": "Complete" if done else "Under way",
                    "secondee_in_post": "No" if done else "Yes",
                    "capital_receipts_gbp": rng.randrange(300, 6_000) * 1_000 if done else None,
                    "running_cost_savings_gbp": rng.randrange(40, 900) * 1_000 if done else None,
                }
            )
        picked = picked[size:]
    return {"Budget": budget, "Councils": councils}


def tenancy_fraud(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return the three pilot groups, which have held initial meetings and report no outcomes."""
    pilots = [
        {"pilot": pilot, "council": council, "lead": "Yes" if index == 0 else "No"}
        | {"status": "Initial meeting held", "next_milestone": milestone, "rag": rag}
        for pilot, rag, milestone, councils in PILOTS
        for index, council in enumerate(councils.split("; "))
    ]
    return {"Pilots": pilots, "Outcomes": []}


def ebulletin(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return five monthly bulletins, each led by a Productivity Programme link."""
    links = []
    for sent_on, top_link in zip(SENT_ON, TOP_LINKS, strict=True):
        top = rng.randint(600, 950)
        others = rng.sample(OTHER_LINKS, rng.randint(7, 14))
        viewed = [(link, rng.randint(40, top - 120)) for link in others]
        viewed.insert(rng.randrange(3), (top_link, top))  # not always first in the e-mail
        for (page, text), views in viewed:
            links.append(
                {
                    "bulletin": f"Improvement and Innovation Board e-bulletin, {sent_on:%B %Y}",
                    "sent_on": sent_on,
                    "url": LGA + page,
                    "link_text": text,
                    "views": views,
                    "unique_views": round(views * rng.uniform(0.6, 0.9)),
                }
            )
    return {"Links": links}


def programme(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return the programme's milestones and its three procurement deep dives."""
    milestones = [
        {"workstream": workstream, "milestone": milestone, "due": dt.date.fromisoformat(due)}
        | {"status": status, "owner": owner, "notes": notes[0] if notes else None}
        for (workstream, owner), text in MILESTONES.items()
        for due, status, milestone, *notes in table(text)
    ]
    milestones.sort(key=lambda m: m["due"])
    columns = ("organisation", "category", "status", "planned_spend_gbp", "next_step")
    dives = [dict(zip(columns, row, strict=True)) for row in DEEP_DIVES]
    return {"Milestones": milestones, "Deep dives": dives}
