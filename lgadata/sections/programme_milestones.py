"""The programme workbook's summary and sheet, which the Commissioning Academy and the
Procurement sections both draw on: milestones by strand, and the procurement deep dives."""

from collections import Counter

from lgadata import queries
from lgadata.paper.workbook_sheets import (
    COUNT,
    DATE,
    MONEY,
    UPLOAD,
    Context,
    nothing_uploaded,
)
from lgadata.queries.base import as_date
from lgadata.queries.programme_milestones import MILESTONE_STATUSES
from lgadata.sections.parts import Sheet, Summary

KEY = "programme_milestones"


def figures(*, engine, today=None, known_at=None) -> dict:
    """Return the milestones counted by status and overdue, and the deep dives."""
    rows = queries.milestones(engine=engine, known_at=known_at, today=today)
    return {
        "milestones": len(rows),
        "overdue": sum(m["overdue"] for m in rows),
        "by_status": dict(Counter(m["status"] for m in rows)),
        "deep_dives": queries.deep_dives(engine=engine, known_at=known_at),
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


def write_sheet(sheet, ctx: Context) -> None:
    """Write the milestones as they stood at the meeting, and the procurement deep dives."""
    prog = ctx.figures[KEY]
    rows = queries.milestones(engine=ctx.engine, today=ctx.meeting_date)
    dives = prog["deep_dives"]
    if not rows and not dives:
        return nothing_uploaded(sheet, KEY)
    when, up = "Programme milestones", [m["upload_id"] for m in rows]
    dive_up = ctx.sheet_uploads(KEY, "Deep dives")
    sheet.figures(
        [
            ("Milestones", prog["milestones"], COUNT, when, up),
            ("Overdue at the meeting", prog["overdue"], COUNT, when, up),
            *(
                (f"Milestones {status.lower()}", prog["by_status"][status], COUNT, when, up)
                for status in MILESTONE_STATUSES
                if status in prog["by_status"]
            ),
            ("Procurement deep dives", len(dives), COUNT, "Deep dives", dive_up),
            ("Planned spend in scope",
             sum(d["planned_spend_gbp"] or 0 for d in dives), MONEY, "Deep dives", dive_up),
        ]
    )  # fmt: skip
    sheet.table(
        "Programme milestones",
        [("Workstream", None), ("Milestone", None), ("Due", DATE), ("Status", None),
         ("Owner", None), ("Notes", None), ("Overdue at the meeting", None), UPLOAD],
        [(m["workstream"], m["milestone"], as_date(m["due"]), m["status"], m["owner"] or "",
          m["notes"] or "", m["overdue"], sheet.upload(m["upload_id"])) for m in rows],
    )  # fmt: skip
    sheet.table(
        "Procurement deep dives",
        [("Organisation", None), ("Category", None), ("Status", None),
         ("Planned spend", MONEY), ("Next step", None)],
        [(d["organisation"], d["category"], d["status"] or "", d["planned_spend_gbp"],
          d["next_step"] or "") for d in dives],
    )  # fmt: skip


SUMMARY = Summary(KEY, figures, sentences)
SHEET = Sheet(KEY, "Programme and procurement", (36, 50, 30, 14, 24, 50, 14, 14), write_sheet)
