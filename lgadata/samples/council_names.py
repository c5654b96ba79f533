"""Council names as officers write them: official, short or abbreviated."""

import random

from lgadata.councils import Council, CouncilRegister

_ABBREVIATIONS = (
    (" Metropolitan Borough Council", " MBC"),
    (" District Council", " DC"),
    (" Borough Council", " BC"),
    (" County Council", " CC"),
    (" City Council", " City"),
)


def officer_name(
    council: Council, register: CouncilRegister, rng: random.Random, *, official: int = 1
) -> str:
    """Return a name officers write for a council: official (weighted), short or abbreviated."""
    forms = [council.official_name] * official + [council.short_name]
    for suffix, short in _ABBREVIATIONS:
        if council.official_name.endswith(suffix):
            forms.append(council.official_name.removesuffix(suffix) + short)
            break
    if council.official_name.startswith("London Borough of "):
        forms.append("LB " + council.official_name.removeprefix("London Borough of "))
    return rng.choice([f for f in forms if register.resolve(f) == council])
