"""Officers' commentary: a short text per section of the report per meeting, kept in versions.

Each save is a new version with who and when; clearing the text is a version too. The text
is plain: surfaces show it as text, never as HTML or Markdown.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from lgadata import audit
from lgadata.auth import Actor, NotAllowed, Permission, Role, require, require_now
from lgadata.db import write_transaction
from lgadata.meetings import existing_meeting
from lgadata.models import Commentary, as_utc


@dataclass(frozen=True)
class Comment:
    """One version of the commentary on a section for a meeting."""

    meeting_id: int
    section: str
    version: int
    text: str
    written_by: str
    written_at: dt.datetime


def section_keys() -> tuple[str, ...]:
    """Return the sections a commentary may be written on: the board paper's sections."""
    # The paper's renderers are heavy to import and only this check needs them.
    from lgadata.paper.draft import SECTIONS

    return tuple(key for key, _ in SECTIONS)


def _clean(section: str, text: str) -> str:
    from lgadata.paper.draft import clean_note  # the same rules as the paper's notes

    if section not in section_keys():
        raise ValueError(
            f"No section called {section!r}; the sections are {', '.join(section_keys())}."
        )
    return clean_note(text)


def may_write(actor: Actor | None, section: str) -> bool:
    """Say whether an actor may write a section's commentary: administrators, and officers
    who keep every workstream or one that the section draws on."""
    if actor is None or not actor.can(Permission.KEEP_MEETINGS):
        return False
    if actor.role is Role.ADMIN or not actor.workstreams:
        return True
    from lgadata.sections.registry import get_section

    return bool(actor.workstreams & set(get_section(section).workstreams))


def _require_writer(conn: sa.Connection | None, actor: Actor | None, section: str) -> Actor:
    actor = require_now(conn, actor, Permission.KEEP_MEETINGS) if conn else actor
    require(actor, Permission.KEEP_MEETINGS)
    if not may_write(actor, section):
        from lgadata.sections.registry import get_section

        raise NotAllowed(
            f"{actor.email} keeps other workstreams, so may not write the commentary on "
            f"{get_section(section).title}."
        )
    return actor


def _comment(row) -> Comment:
    at = as_utc(row.written_at)
    return Comment(row.meeting_id, row.section, row.version, row.text, row.written_by, at)


def write_commentary(
    *, engine: sa.Engine, by: Actor, meeting_id: int, section: str, text: str
) -> Comment:
    """Save a new version of a section's commentary for a meeting; officers and admins only."""
    require(by, Permission.KEEP_MEETINGS)
    cleaned = _clean(section, text)
    _require_writer(None, by, section)
    with write_transaction(engine) as conn:
        by = _require_writer(conn, by, section)
        existing_meeting(conn, meeting_id)
        last = conn.execute(
            sa.select(sa.func.max(Commentary.version)).where(
                Commentary.meeting_id == meeting_id, Commentary.section == section
            )
        ).scalar_one()
        version = (last or 0) + 1
        conn.execute(
            sa.insert(Commentary).values(
                meeting_id=meeting_id,
                section=section,
                version=version,
                text=cleaned,
                written_by=by.email,
            )
        )
        audit.record(
            conn,
            actor=by.email,
            action="commentary written",
            meeting=meeting_id,
            section=section,
            version=version,
            characters=len(cleaned),
        )
    return commentary_versions(engine=engine, meeting_id=meeting_id, section=section)[-1]


def commentary(*, engine: sa.Engine, meeting_id: int) -> dict[str, Comment]:
    """Return the newest commentary on each section for a meeting, leaving out cleared ones."""
    newest: dict[str, Comment] = {}
    for comment in _all(engine, meeting_id):
        newest[comment.section] = comment
    return {section: c for section, c in newest.items() if c.text}


def commentary_versions(*, engine: sa.Engine, meeting_id: int, section: str) -> list[Comment]:
    """Return every version of a section's commentary for a meeting, oldest first."""
    return [c for c in _all(engine, meeting_id) if c.section == section]


def _all(engine: sa.Engine, meeting_id: int) -> list[Comment]:
    query = (
        sa.select(Commentary)
        .where(Commentary.meeting_id == meeting_id)
        .order_by(Commentary.section, Commentary.version)
    )
    with engine.connect() as conn:
        return [_comment(row) for row in conn.execute(query)]
