"""Meeting mode: the board's screens in the report's order, and which one comes next."""

import datetime as dt
from dataclasses import dataclass, field, replace

from lgadata.report import headlines
from lgadata.sections import registry
from lgadata.sections.parts import Card, Section
from lgadata.sections.parts import Screen as Plan
from lgadata.values import format_date

DUE_SLUG, DUE_TITLE = "what-is-due", "What is due"

# Shortest and longest time a screen may stay up when advancing on its own: shorter than a
# few seconds cannot be read aloud, and a link asking for more than an hour is a typing slip.
SHORTEST_SECONDS = 3.0
LONGEST_SECONDS = 3600.0


@dataclass(frozen=True)
class Screen:
    """One screen of meeting mode: a workstream's card, its sentences and its source line."""

    slug: str
    workstream: str
    card: Card
    sentences: list[str]
    source: str
    section: Section | None = None
    plan: Plan | None = None  # how the section declared it: its chart and layout
    due: "Due | None" = None  # the closing screen's returns and actions
    notes: "Notes | None" = None  # a section's commentary screen: what officers wrote

    @property
    def leads(self) -> bool:
        """Say whether this is a section's own screen (not one of its further screens)."""
        return self.section is not None and self.plan is self.section.screen


@dataclass(frozen=True)
class Due:
    """What the closing screen lists for a meeting: the returns missing before it (once it
    has passed, those its paper lists: lgadata.returns.due_at_meeting) and the actions from
    the meeting before it."""

    meets_on: dt.date
    when: str  # when the returns are due, in words: 'before the meeting on 9 October 2013'
    returns: list = field(default_factory=list)  # returns.ReturnDue
    actions: list = field(default_factory=list)  # actions.Recorded

    @property
    def return_lines(self) -> list[str]:
        """Return the returns missing, one line each, or a line saying none is."""
        return [r.sentence for r in self.returns] or [f"No return is due {self.when}."]

    @property
    def action_lines(self) -> list[str]:
        """Return the actions from the last meeting with their status, one line each."""
        if not self.actions:
            return ["No actions were carried from the last meeting."]
        return [action_line(a) for a in self.actions]


@dataclass(frozen=True)
class Notes:
    """What officers said of a section for the meeting on show: their commentary as typed,
    who wrote it and when, and the reasons given for uploads that moved its figures past a
    threshold (part of the commentary)."""

    meets_on: dt.date
    text: str = ""
    written: str = ""  # "Written by jo@example.gov.uk, 7 December 2026 at 14:05"
    reasons: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.text or self.reasons)


def notes_screen(section: Section, notes: Notes) -> Screen:
    """Return a section's commentary screen, which follows its other screens.

    A commentary may run to a thousand characters: on a screen of its own it is read whole
    at the size of a screen's sentences, where beside the figures, the sentences, the
    changes and the chart it had a box a few lines high that scrolled.
    """
    title = f"{section.title}: commentary"
    meeting = f"the meeting of {format_date(notes.meets_on)}"
    source = f"{notes.written} · for {meeting}" if notes.written else f"For {meeting}"
    card = Card(title, section.page.file if section.page else "")
    return Screen(f"{section.screen.slug}-commentary", "", card, [], source, section, notes=notes)


def action_line(action) -> str:
    """Return an action as the board reads it: 'Write to the councils (Jo, by 1 May 2013): open'."""
    due = f"by {format_date(action.due_on)}" if action.due_on else ""
    who = ", ".join(filter(None, (action.owner, due)))
    return f"{action.text} ({who}): {action.status}" if who else f"{action.text}: {action.status}"


def recorded_line(item) -> str:
    """Return a decision or action (an lgadata.actions.Recorded) as the board reads it, with
    the section it was recorded on: 'Action on E-bulletin statistics: … (Jo): open'."""
    titles = {s.key: s.title for s in registry.SECTIONS}
    on = titles.get(item.section, "the meeting as a whole")
    return f"{item.kind.capitalize()} on {on}: {action_line(item)}"


def due_screen(due: Due) -> Screen:
    """Return the closing screen: what is due before the meeting, and the actions carried."""
    card = Card(DUE_TITLE, "meetings.py")
    source = f"For the meeting of {format_date(due.meets_on)}"
    return Screen(DUE_SLUG, "", card, [*due.return_lines, *due.action_lines], source, due=due)


def source_line(card: Card, workstream: str, uploads: list[dict]) -> str:
    """Return a screen's source line: the data's own period, then the upload it comes from.

    "Financial year 2013/14 · figures from the upload of 3 March 2013 by Jane Smith". The
    moment the figures were read is a different thing, and the page says it apart.
    """
    by_id = {u["upload_id"]: u for u in uploads}
    # The card's own upload when it names one (a map edition); else the workstream's newest.
    upload = by_id.get(card.upload_id) or next(
        (u for u in uploads if u["workstream"] == workstream), None
    )
    if card.empty_workstream or upload is None:
        return "No figures uploaded yet"
    line = f"from {upload_words(upload)}"
    return f"{card.as_at} · figures {line}" if card.as_at else f"Figures {line}"


def upload_words(upload: dict) -> str:
    """Return an upload as a person says it: 'the upload of 3 March 2013 by Jane Smith'."""
    when = format_date(upload["uploaded_at"].date())
    who = upload.get("uploaded_by")
    return f"the upload of {when}" + (f" by {who}" if who else "")


def _sentences(card: Card, drafted: list[str], screen: Plan) -> list[str]:
    picks = range(len(drafted)) if screen.sentences is None else screen.sentences
    chosen = [drafted[i] for i in picks if -len(drafted) <= i < len(drafted)]
    if screen.status and card.status and card.status not in chosen:
        chosen.append(card.status)
    return chosen


def screens(
    figures: dict,
    milestones: list[dict],
    uploads: list[dict],
    due: Due | None = None,
    notes: dict[str, Notes] | None = None,
) -> list[Screen]:
    """Return meeting mode's screens in the report's order: one per Overview card, each
    followed by its section's further screens (none while its workstream is empty) and, for
    a registered meeting, by its commentary screen when officers wrote one (`notes`, by
    section key); then, for a registered meeting, the closing "What is due" screen."""
    drafted = headlines(figures)
    out = []
    for section in registry.board_sections():
        card, workstream = section.card(figures, milestones), section.workstreams[0]
        plans = (
            [section.screen] if card.empty_workstream else [section.screen, *section.more_screens]
        )
        for plan in plans:
            shown = plan.card(figures, milestones) if plan.card else card
            shown = replace(shown, title=plan.title) if plan.title else shown
            sentences = (
                []
                if shown.empty_workstream
                else _sentences(shown, drafted.get(section.summary.workstream, []), plan)
            )
            out.append(
                Screen(
                    plan.slug,
                    workstream,
                    shown,
                    sentences,
                    source_line(shown, workstream, uploads),
                    section,
                    plan,
                )
            )
        if (notes or {}).get(section.key):
            out.append(notes_screen(section, notes[section.key]))
    return [*out, due_screen(due)] if due else out


def step(index: int, count: int, by: int = 1) -> int:
    """Return the screen `by` places on from `index`, going round from the last to the first."""
    return (index + by) % count if count else 0


def progress(index: int, count: int) -> str:
    """Return where the meeting is: "Screen 3 of 6"."""
    return f"Screen {index % count + 1} of {count}" if count else "No screens"


def seconds_per_screen(asked: str | None, *, default: float) -> float:
    """Return how long each screen stays up: `?every=` if it is a number, else the setting.

    0 means do not advance on its own; other values are kept between the shortest and the
    longest a screen may stay up.
    """
    try:
        seconds = float(asked) if asked is not None else default
    except ValueError:
        seconds = default
    if not seconds > 0:  # also NaN
        return 0.0
    return min(max(seconds, SHORTEST_SECONDS), LONGEST_SECONDS)


def theme(asked: str | None) -> str:
    """Return meeting mode's theme: light for projectors unless dark is asked for."""
    return "dark" if (asked or "").strip().lower() == "dark" else "light"


def due(shown_at: dt.datetime, now: dt.datetime, seconds: float) -> bool:
    """Return whether a screen shown at `shown_at` has been up its time and should move on."""
    return seconds > 0 and (now - shown_at).total_seconds() >= seconds
