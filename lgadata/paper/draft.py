"""Draft the Productivity Programme Update for a board meeting from the uploaded data."""

import datetime as dt
import re

import sqlalchemy as sa

from lgadata.commentary import commentary
from lgadata.meetings import meetings
from lgadata.paper import facts
from lgadata.paper.model import BOARD, Contact, Paper, Section
from lgadata.paper.since_part import TITLE as SINCE
from lgadata.paper.since_part import since_paragraphs, since_report
from lgadata.paper.wording import as_known_at
from lgadata.sections import registry
from lgadata.sections.parts import join_names
from lgadata.thresholds import reasons_for_meeting
from lgadata.values import format_date, format_iso_date

TITLE = "Productivity Programme Update"
AUTHOR = "Local Government Association"
NOTE_LIMIT = 1_000
CONTACT_LIMIT = 200  # each part of the contact officer block
# Control characters other than line breaks cannot go into a Word file and mean nothing on paper.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def __getattr__(name: str):
    # SECTIONS, the sections' (key, title) in the report's order, is read from the registry
    # when asked for: the sections import the paper's writers, so the registry loads after this.
    if name == "SECTIONS":
        return tuple((s.key, s.title) for s in registry.SECTIONS)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def clean_note(text: str) -> str:
    """Return an officer's note as plain text to print, or raise ValueError if too long."""
    note = _CONTROL.sub(" ", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(note) > NOTE_LIMIT:
        raise ValueError(
            f"An officer's note may be at most {NOTE_LIMIT:,} characters; this one has "
            f"{len(note):,}."
        )
    return note


def clean_contact(contact: Contact | None) -> Contact:
    """Return the contact officer block as plain text to print, or raise ValueError."""
    if contact is None:
        return Contact()
    parts = {}
    for part in ("name", "position", "telephone", "email"):
        text = " ".join(_CONTROL.sub(" ", getattr(contact, part) or "").split())
        if len(text) > CONTACT_LIMIT:
            raise ValueError(
                f"The contact officer's {part} may be at most {CONTACT_LIMIT} characters."
            )
        parts[part] = text
    return Contact(**parts)


def build_paper(
    *,
    engine: sa.Engine,
    meeting_date: dt.date,
    notes: dict[str, str] | None = None,
    contact: Contact | None = None,
) -> Paper:
    """Return the board paper for a meeting, every figure drawn from the current data."""
    notes = dict(notes or {})
    unknown = sorted(set(notes) - set(registry.keys()))
    if unknown:
        known = ", ".join(registry.keys())
        raise ValueError(f"No section called {', '.join(unknown)}; the sections are {known}.")
    cleaned = {key: clean_note(text) for key, text in notes.items()}
    officer = clean_contact(contact)
    found = facts.gather(engine=engine, meeting_date=meeting_date)
    registered = registered_meeting(engine=engine, meeting_date=meeting_date)
    board = registered.title if registered else BOARD
    # The officers' commentary stored for the meeting on this day, unless a note replaces it.
    stored = stored_commentary(engine=engine, meeting=registered)
    drafted = []
    report = since_report(engine=engine, meeting_date=meeting_date)  # read once, for all
    for section in registry.SECTIONS:
        paragraphs, uploads = section.paragraphs(found)
        note = cleaned.get(section.key) or stored.get(section.key, "")
        # The reasons given when an upload crossed a threshold belong to the commentary.
        why = reasons_for_meeting(
            engine=engine, section=section.key, meeting_date=meeting_date, report=report
        )
        note = "\n".join([note, *why] if note else why)
        drafted.append(
            Section(
                key=section.key,
                title=section.title,
                paragraphs=tuple(paragraphs),
                charts=section.charts(found) if section.charts else (),
                note=note,
                sources=tuple(sorted(uploads)),
            )
        )
    body, financial = tuple(drafted[:-1]), drafted[-1]
    changed, cited = since_paragraphs(engine=engine, meeting_date=meeting_date, report=report)
    since = (
        Section("since", SINCE, tuple(changed), sources=tuple(sorted(cited))) if changed else None
    )
    quoted = {upload for section in (*drafted, since) if section for upload in section.sources}
    return Paper(
        title=TITLE,
        meeting_date=meeting_date,
        purpose=tuple(purpose(found, board=board)),
        recommendations=tuple(
            recommendations(
                found,
                background=sum(len(s.paragraphs) for s in body),
                financial=len(financial.paragraphs),
                since=len(changed),
            )
        ),
        sections=body,
        financial=financial,
        sources=facts.sources(engine=engine, upload_ids=quoted),
        contact=officer,
        since=since,
        board=board,
    )


def registered_meeting(*, engine: sa.Engine, meeting_date: dt.date):
    """Return the meeting registered on this day, or None."""
    return next((m for m in meetings(engine=engine) if m.meets_on == meeting_date), None)


def stored_commentary(*, engine: sa.Engine, meeting) -> dict[str, str]:
    """Return the commentary kept for a registered meeting (none for None), by section."""
    if meeting is None:
        return {}
    return {key: c.text for key, c in commentary(engine=engine, meeting_id=meeting.id).items()}


def purpose(found: dict, *, board: str = BOARD) -> list[str]:
    """Return the purpose of the paper, and what it leaves out as dated after the meeting."""
    meeting = format_date(found["meeting_date"])
    out = [
        f"This paper updates the {board} on the Productivity Programme for its meeting on "
        f"{meeting}. Every figure is drawn from the data uploaded to the Productivity "
        "Programme dashboard, and the appendix lists the upload each one comes from, with "
        "the file’s SHA-256 fingerprint.",
    ]
    left = found["left_out"]
    later = [
        *(f"the Shared Services Map of {format_iso_date(e['as_at'])}" for e in left["editions"]),
        *_bulletins_left_out(left["bulletins"]),
        *(f"the tenancy fraud outcomes for {q['label']}" for q in left["quarters"]),
    ]
    text = (
        f"Periods dated after {meeting} (later map editions, e-bulletins sent after the "
        "meeting, later quarters) are left out, so the paper quotes only what was known by then."
    )
    out.append(f"{text} Not quoted for that reason: {join_names(later)}." if later else text)
    return out


def _bulletins_left_out(bulletins: list[dict]) -> list[str]:
    """Name the e-bulletins sent after the meeting by their dates, not by their titles."""
    if not bulletins:
        return []
    dates = join_names([format_iso_date(b["sent_on"]) for b in sorted(bulletins, key=_sent)])
    return [f"the e-bulletin{'s' if len(bulletins) > 1 else ''} sent on {dates}"]


def _sent(bulletin: dict) -> str:
    return str(bulletin["sent_on"])


def span(first: int, last: int) -> str:
    """Return a range of numbered paragraphs as a board paper cites it: "paragraphs 1–21"."""
    return f"paragraph {first}" if first == last else f"paragraphs {first}–{last}"


def recommendations(
    found: dict, *, background: int, financial: int = 0, since: int = 0
) -> list[str]:
    """Return what the board is asked to do, naming the milestones that need its attention.

    The first cites what changed since the last meeting, the next the background's
    paragraphs and the financial implications' after them, so that together they cite every
    numbered paragraph of the body.
    """
    out = []
    if since:
        out.append(
            f"That the Board notes what has changed since its last meeting ({span(1, since)})."
        )
    first = since + 1
    progress = f"set out in {span(first, since + background)}" if background else "set out below"
    if financial:
        last = since + background
        progress += f", and its financial implications in {span(last + 1, last + financial)}"
    out.append(f"That the Board notes the progress of the Productivity Programme {progress}.")
    meeting = found["meeting_date"]
    attention = [
        (m, status)
        for m in found["milestones"]
        if (status := as_known_at(m, meeting)) in ("Missed", "At risk")
    ]
    if attention:
        listed = "; ".join(
            f"{m['milestone']} ({m['workstream']}, {status.lower()})" for m, status in attention
        )
        out.append(f"That the Board notes the milestones missed or at risk: {listed}.")
    out.append("That the Board comments on the priorities for the programme’s next phase.")
    return out
