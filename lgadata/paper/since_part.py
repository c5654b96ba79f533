"""The board paper's "Since the last meeting": what the figures were when the board last met
and what they are now, which uploads moved them and how, the returns still to come before the
next meeting, and the actions from the last meeting with their status.

Computed from the version history by lgadata.since, the same functions the pages read; the
officers' commentary on why things moved is under each section (the section's note).
"""

import datetime as dt

import sqlalchemy as sa

from lgadata import actions, meetings, returns
from lgadata.values import format_date

TITLE = "Since the last meeting"


def since_report(*, engine: sa.Engine, meeting_date: dt.date) -> list:
    """Return what changed since the meeting before this day (lgadata.since), or []."""
    # Here, not at the top: lgadata.since reads the Overview's cards, which read the sections,
    # which import the paper's writers, this module among them.
    from lgadata.since import since

    last = meetings.last_meeting(engine=engine, on=meeting_date)
    return since(engine=engine, start=last.meets_on, end=meeting_date) if last else []


def since_paragraphs(
    *, engine: sa.Engine, meeting_date: dt.date, report: list | None = None
) -> tuple[list[str], set[int]]:
    """Return the section's paragraphs and the uploads they cite; none before any meeting."""
    last = meetings.last_meeting(engine=engine, on=meeting_date)
    if last is None:
        return [], set()
    if report is None:
        report = since_report(engine=engine, meeting_date=meeting_date)
    out = [_figures(engine, last.meets_on, meeting_date)]
    cited: set[int] = set()
    for workstream in report:
        text = f"{workstream.title}: {' '.join(workstream.sentences)}"
        if workstream.uploads:
            text += f" ({'; '.join(_upload(u) for u in workstream.uploads)})."
            cited |= {u.id for u in workstream.uploads}
        out.append(text)
    out.append(_due(engine, meeting_date))
    out.extend(_actions(engine, last, meeting_date))
    return out, cited


def _figures(engine: sa.Engine, start: dt.date, end: dt.date) -> str:
    from lgadata.since import headline_figures

    moved: dict[str, list[str]] = {}
    for row in headline_figures(engine=engine, start=start, end=end):
        if row["changed"]:
            then, now = row["then"] or "none", row["now"] or "none"
            moved.setdefault(row["card"], []).append(f"{row['figure'].lower()} {then} to {now}")
    opening = f"The Board last met on {format_date(start)}."
    if not moved:
        return f"{opening} No headline figure has moved since."
    listed = "; ".join(f"{card}: {', '.join(figures)}" for card, figures in moved.items())
    return f"{opening} Headline figures then and now: {listed}."


def _upload(upload) -> str:  # an lgadata.since.UploadSeen
    what = f"rollback of upload {upload.rolls_back}" if upload.rolls_back else "upload"
    why = f"; the reason given: {upload.reason}" if upload.reason else ""
    return (
        f"{upload.periods_text} from {what} {upload.id}, {upload.file_name}, by "
        f"{upload.uploaded_by} on {upload.when}{why}"
    )


def _due(engine: sa.Engine, meeting_date: dt.date) -> str:
    when, missing = returns.due_at_meeting(engine=engine, meeting_date=meeting_date)
    if not missing:
        return f"Returns due {when}: none; every workstream's return is in."
    return f"Returns due {when}: " + " ".join(r.sentence for r in missing)


def _actions(engine: sa.Engine, last: meetings.BoardMeeting, meeting_date: dt.date) -> list[str]:
    this = next((m for m in meetings.meetings(engine=engine) if m.meets_on == meeting_date), None)
    if this is not None:
        carried = actions.from_last_meeting(engine=engine, meeting_id=this.id)
    else:
        carried = [
            a
            for a in actions.recorded_at(engine=engine, meeting_id=last.id)
            if a.kind == actions.Kind.ACTION
        ]
    if not carried:
        return [f"No actions were recorded at the meeting on {format_date(last.meets_on)}."]
    listed = "; ".join(
        f"{a.text} ({', '.join(filter(None, (a.owner, _by(a.due_on))))}): {a.status}"
        for a in carried
    )
    return [f"Actions from the last meeting: {listed}."]


def _by(day: dt.date | None) -> str:
    return f"by {format_date(day)}" if day else ""
