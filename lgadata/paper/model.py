"""The board paper as data: built once, then rendered to PDF and to Word alike."""

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Protocol

APPENDIX = "Appendix: sources of the figures"
APPENDIX_INTRO = (
    "Each figure in this paper comes from one of these uploads. The SHA-256 fingerprint "
    "identifies the exact file: any change to the file changes it."
)
NO_SOURCES = "No uploads are quoted: no data has been uploaded yet."
SOURCE_COLUMNS = ("Upload", "Workstream", "File", "Uploaded by", "Uploaded (UK time)")

BOARD = "Improvement and Innovation Board"  # the board a paper is for, unless registered


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

    def cells(self) -> tuple[str, ...]:
        """Return the source's row of the appendix table, as SOURCE_COLUMNS name them."""
        return (
            str(self.upload_id),
            self.workstream,
            self.filename,
            self.uploaded_by,
            self.uploaded_at,
        )


CONTACT = "Contact officer"


@dataclass(frozen=True)
class Contact:
    """The officer a board paper names for questions about it, as the board's papers do."""

    name: str = ""
    position: str = ""
    telephone: str = ""
    email: str = ""

    def lines(self) -> list[str]:
        """Return the contact block's lines, leaving out any part not given."""
        parts = (
            ("Contact officer", self.name),
            ("Position", self.position),
            ("Telephone", self.telephone),
            ("E-mail", self.email),
        )
        return [f"{label}: {value}" for label, value in parts if value]


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
    contact: Contact = Contact()
    # What changed since the board last met; None when no earlier meeting is registered.
    since: Section | None = None
    # The meeting's title as registered ("Improvement and Innovation Board" when none is).
    board: str = BOARD

    def body(self) -> tuple[Section, ...]:
        """Return the numbered sections: what changed since the last meeting, each workstream,
        then the financial implications."""
        return (*((self.since,) if self.since else ()), *self.sections, self.financial)

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

    def source_line(self, section: Section) -> str:
        """Return the line naming the uploads a section's figures come from."""
        names = []
        for upload_id in section.sources:
            source = self.source(upload_id)
            names.append(
                f"upload {upload_id} ({source.filename})" if source else f"upload {upload_id}"
            )
        label = "Source" if len(names) == 1 else "Sources"
        return f"{label}: {', '.join(names)}; see the appendix."


class Writer(Protocol):
    """A renderer: what it does with each part of the paper that `write` hands it."""

    def heading(self, text: str, *, level: int) -> None: ...
    def paragraph(self, text: str) -> None: ...
    def numbered(self, number: int, text: str) -> None: ...
    def chart(self, chart: Chart, figure: int) -> None: ...
    def note_and_sources(self, section: Section) -> None: ...
    def page_break(self) -> None: ...
    def sources_table(self, sources: tuple[Source, ...]) -> None: ...


def write(paper: Paper, to: Writer) -> None:
    """Hand the paper's parts to a renderer in the board paper's order, numbered.

    Both renderers lay the paper out through this one walk, so the PDF and the Word file
    cannot differ in order, headings, paragraph numbers or figure numbers.
    """
    to.heading("Purpose of report", level=1)
    for text in paper.purpose:
        to.paragraph(text)
    to.heading("Recommendations", level=1)
    for number, text in paper.numbered_recommendations():
        to.numbered(number, text)
    figures = itertools.count(1)
    for section, paragraphs in paper.numbered():
        # The workstreams are parts of the background; what changed since the last meeting
        # and the financial implications stand alone.
        alone = section is paper.financial or section is paper.since
        if section is next(iter(paper.sections), None):
            to.heading("Background", level=1)
        to.heading(section.title, level=1 if alone else 2)
        for number, text in paragraphs:
            to.numbered(number, text)
        for chart in section.charts:
            to.chart(chart, next(figures))
        to.note_and_sources(section)
    if paper.contact.lines():
        to.heading(CONTACT, level=1)
        for line in paper.contact.lines():
            to.paragraph(line)
    to.page_break()
    to.heading(APPENDIX, level=1)
    if not paper.sources:
        to.paragraph(NO_SOURCES)
        return
    to.paragraph(APPENDIX_INTRO)
    to.sources_table(paper.sources)
