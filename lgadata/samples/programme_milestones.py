"""The programme's sample: its milestones and the three procurement deep dives."""

import datetime as dt
import random

from lgadata.councils import CouncilRegister
from lgadata.samples.tables import DEEP_DIVES, MILESTONES, table

# The About sheet's notes, under the sample notice.
NOTES = (
    "Milestones as they stood on 20 March 2013; dates the report does not give are "
    "illustrative. The three procurement deep dives are the report's; their spend "
    "and next steps are illustrative.",
)


def rows(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
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
