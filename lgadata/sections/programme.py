"""The programme workbook's summary and sheet, which the Commissioning Academy and the
Procurement sections both draw on: milestones by strand, and the procurement deep dives."""

from collections import Counter

from lgadata import queries
from lgadata.paper import workbook_sheets
from lgadata.sections.parts import Sheet, Summary

KEY = "programme"


def figures(*, engine, today=None) -> dict:
    """Return the milestones counted by status and overdue, and the deep dives."""
    rows = queries.milestones(engine=engine, today=today)
    return {
        "milestones": len(rows),
        "overdue": sum(m["overdue"] for m in rows),
        "by_status": dict(Counter(m["status"] for m in rows)),
        "deep_dives": queries.deep_dives(engine=engine),
    }


def sentences(figures: dict) -> list[str]:
    """Return the milestones by status, and one sentence a deep dive."""
    programme = figures[KEY]
    if not (programme["milestones"] or programme["deep_dives"]):
        return []
    status = ", ".join(f"{n} {s.lower()}" for s, n in sorted(programme["by_status"].items()))
    return [
        f"{programme['milestones']} milestones ({status}); {programme['overdue']} overdue.",
        *(
            f"Deep dive: {d['organisation']}, {d['category']} ({d['status'] or 'no status'})."
            for d in programme["deep_dives"]
        ),
    ]


SUMMARY = Summary(KEY, figures, sentences)
SHEET = Sheet(
    KEY, "Programme and procurement", (36, 50, 30, 14, 24, 50, 14, 14), workbook_sheets.programme
)
