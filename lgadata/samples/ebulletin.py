"""The e-bulletin statistics' sample: five monthly bulletins and the views of their links."""

import random

from lgadata.councils import CouncilRegister
from lgadata.samples.tables import (
    LGA,
    OTHER_LINKS,
    SENT_ON,
    TOP_LINKS,
)

# The About sheet's notes, under the sample notice.
NOTES = (
    "Five monthly e-bulletins, January to May 2013. The links and their views are "
    "illustrative; in each, a Productivity Programme page is the most viewed link.",
)


def rows(register: CouncilRegister, rng: random.Random) -> dict[str, list[dict]]:
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
