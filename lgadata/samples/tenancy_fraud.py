"""The Housing Tenancy Fraud Pilot's sample: the three pilot groups, and no outcomes yet."""

import random

from lgadata.councils import CouncilRegister
from lgadata.samples.tables import PILOTS

# The About sheet's notes, under the sample notice.
NOTES = (
    "The three pilot groups and their councils are the report's; each has held an "
    "initial meeting. RAG ratings and next milestones are illustrative. There are no "
    "outcomes yet, so the Outcomes sheet has headers only.",
)


def rows(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
    """Return the three pilot groups, which have held initial meetings and report no outcomes."""
    pilots = [
        {"pilot": pilot, "council": council, "lead": "Yes" if index == 0 else "No"}
        | {"status": "Initial meeting held", "next_milestone": milestone, "rag": rag}
        for pilot, rag, milestone, councils in PILOTS
        for index, council in enumerate(councils.split("; "))
    ]
    return {"Pilots": pilots, "Outcomes": []}
