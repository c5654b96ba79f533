"""The Capital and Assets Programme's sample: two years' budget lines and four waves of councils."""

import random

from lgadata.councils import CouncilRegister
from lgadata.samples.council_names import officer_name
from lgadata.samples.tables import BUDGET, WAVE_SIZES

# The About sheet's notes, under the sample notice.
NOTES = (
    "The 2013/14 budget of £700,000, about half (£350,000) for secondees, and the 12 "
    "councils of wave 4 are the report's. The 2012/13 budget, the spend to date, the "
    "councils of waves 1 to 3 and their receipts and savings are illustrative.",
)


def rows(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
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
