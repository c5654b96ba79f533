"""The wording the paper's sections share: no data, counts in words, changes and milestones."""

import datetime as dt

from lgadata.queries.base import as_date
from lgadata.values import format_count, format_iso_date

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def no_data(what: str) -> str:
    """Return the sentence a section gets when nothing has been uploaded for it."""
    return f"No data has been uploaded for the {what} yet, so this paper reports no figures for it."


def in_words(number: int) -> str:
    """Return a count as the report writes it: words to ten, figures above."""
    return _WORDS[number] if 0 <= number < len(_WORDS) else format_count(number)


def change(now: float, before: float) -> str:
    """Return how a figure moved, as the words before the earlier figure."""
    return "up from" if now > before else "down from" if now < before else "unchanged from"


def changes(moves: dict[str, tuple[float, float]]) -> tuple[str, str]:
    """Return how several figures moved together, each (now, before): the words before the
    earlier figures ('up from' when every one rose) and nothing after them; or, when they
    moved differently, 'against' and after them which moved how (' (councils unchanged,
    arrangements up, savings up)'). One word for all said 'unchanged' when only the first
    stood still (the walk of issue 17)."""
    words = {name: change(*pair).removesuffix(" from") for name, pair in moves.items()}
    if len(set(words.values())) == 1:
        return f"{next(iter(words.values()))} from", ""
    return "against", " (" + ", ".join(f"{name} {word}" for name, word in words.items()) + ")"


def _milestone(row: dict) -> str:
    notes = f": {row['notes']}" if row["notes"] else ""
    return f"{row['milestone']} ({format_iso_date(row['due'])}{notes})"


def as_known_at(row: dict, meeting_date: dt.date) -> str:
    """Return a milestone's status as the board could know it at the meeting.

    The data holds today's statuses: a milestone due after the meeting was, at the meeting,
    still to come, however it turned out, unless it was already flagged at risk.
    """
    if row["status"] in ("Done", "Missed") and as_date(row["due"]) > meeting_date:
        return "Planned"
    return row["status"]


def milestone_paragraphs(rows: list[dict], *, meeting_date: dt.date) -> list[str]:
    """Return sentences on milestones met, missed, at risk, overdue and next."""
    status = {id(r): as_known_at(r, meeting_date) for r in rows}
    out = []
    groups = (
        ("Milestones met", [r for r in rows if status[id(r)] == "Done"]),
        ("Missed", [r for r in rows if status[id(r)] == "Missed"]),
        ("At risk", [r for r in rows if status[id(r)] == "At risk"]),
        ("Overdue", [r for r in rows if r["overdue"]]),
    )
    for label, found in groups:
        if found:
            out.append(f"{label}: {'; '.join(_milestone(r) for r in found)}.")
    upcoming = [
        r
        for r in rows
        if status[id(r)] == "Planned" and not r["overdue"] and as_date(r["due"]) >= meeting_date
    ]
    if upcoming:
        out.append(f"Next: {'; '.join(_milestone(r) for r in upcoming[:3])}.")
    return out


def upload_ids(rows: list[dict]) -> set[int]:
    """Return the uploads that rows of a query came from."""
    return {r["upload_id"] for r in rows if r.get("upload_id") is not None}
