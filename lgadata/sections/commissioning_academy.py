"""Commissioning Academy: its cohorts, told by the programme's milestones."""

import datetime as dt

from lgadata.charts import programme_milestones as charts
from lgadata.paper import sections as paper
from lgadata.sections import programme_milestones as milestone_data
from lgadata.sections.parts import Card, Figure, Screen, Section, milestone_status
from lgadata.values import format_count

KEY = "commissioning_academy"
TITLE = "Commissioning Academy"
STRANDS = ("Commissioning Academy",)


def card(figures: dict, milestones: list[dict]) -> Card:
    """Return the Commissioning Academy card, drawn from its milestones."""
    del figures
    mine = [m for m in milestones if m["workstream"] in STRANDS]
    if not mine:
        return Card(TITLE, SECTION.link, empty_workstream=milestone_data.KEY)
    done = sum(m["status"] == "Done" for m in mine)
    return Card(
        TITLE,
        SECTION.link,
        [
            Figure("Milestones done", f"{done} of {len(mine)}"),
            Figure(
                "At risk or missed",
                format_count(sum(m["status"] in ("At risk", "Missed") for m in mine)),
            ),
        ],
        milestone_status(milestones, STRANDS),
        "Programme milestones",
    )


def screen_chart(figures: dict, milestones: list[dict], *, query):
    """Return the academy's milestones on a timeline."""
    del figures, query
    rows = [m for m in milestones if m["workstream"] in STRANDS]
    return charts.timeline(rows, today=dt.date.today(), show_today=False)


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(milestone_data.KEY,),
    strands=STRANDS,
    opens="timeline.py",
    card=card,
    summary=milestone_data.SUMMARY,
    screen=Screen("commissioning-academy", chart=screen_chart),
    paragraphs=paper.commissioning_academy,
    charts=None,
    sheet=milestone_data.SHEET,
)
