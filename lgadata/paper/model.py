"""The board paper as data: built once, then rendered to PDF and to Word alike."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    """A chart drawn for paper: its caption, the PNG and a text alternative."""

    caption: str
    png: bytes
    alt_text: str


@dataclass(frozen=True)
class Source:
    """An upload whose figures the paper quotes, so the board can trace every number."""

    upload_id: int
    workstream: str
    filename: str
    uploaded_by: str
    uploaded_at: str
    sha256: str


@dataclass(frozen=True)
class Section:
    """A titled part of the paper: its paragraphs, charts, an officer's note and its sources."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    charts: tuple[Chart, ...] = ()
    note: str = ""
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Paper:
    """The Productivity Programme Update as the board reads it."""

    title: str
    meeting_date: dt.date
    purpose: tuple[str, ...]
    recommendations: tuple[str, ...]
    sections: tuple[Section, ...]
    financial: Section
    sources: tuple[Source, ...]

    def body(self) -> tuple[Section, ...]:
        """Return the numbered sections: each workstream, then the financial implications."""
        return (*self.sections, self.financial)

    def numbered(self) -> list[tuple[Section, list[tuple[int, str]]]]:
        """Return each numbered section with its paragraphs numbered on from the section before.

        Board papers number their paragraphs once through the body, so both renderers take
        the numbers from here and cannot disagree.
        """
        out, number = [], 0
        for section in self.body():
            numbered = []
            for text in section.paragraphs:
                number += 1
                numbered.append((number, text))
            out.append((section, numbered))
        return out

    def numbered_recommendations(self) -> list[tuple[int, str]]:
        """Return the recommendations numbered on their own, from 1."""
        return list(enumerate(self.recommendations, start=1))

    def source(self, upload_id: int) -> Source | None:
        """Return the source upload with this id, if the paper quotes it."""
        return next((s for s in self.sources if s.upload_id == upload_id), None)
