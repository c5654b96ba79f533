"""What a board section is made of: one row carries its page, card, sentences, screen, paper
paragraphs, charts and figures-workbook sheet, and every surface reads that row."""

from collections.abc import Callable
from dataclasses import dataclass, field

from lgadata.values import format_iso_date


@dataclass(frozen=True)
class Figure:
    """A headline figure with its change since the previous period, if there is one."""

    label: str
    value: str
    change: str | None = None


@dataclass(frozen=True)
class Card:
    """One workstream's card: figures, a status line, where the figures come from."""

    title: str
    page: str
    figures: list[Figure] = field(default_factory=list)
    status: str = ""
    as_at: str = ""
    upload_id: int | None = None
    empty_workstream: str | None = None


@dataclass(frozen=True)
class Page:
    """A section's own page: its file in pages/, its menu title and icon."""

    file: str
    title: str
    icon: str


@dataclass(frozen=True)
class Summary:
    """A workstream's headline figures and the sentences stating them.

    `figures(*, engine, today, known_at)` returns the workstream's part of `metrics` (as known
    at a moment, or now when known_at is None); `sentences(figures)`
    states them from all of `metrics`, or returns [] when nothing is uploaded.
    """

    workstream: str
    figures: Callable[..., dict]
    sentences: Callable[[dict], list[str]]


@dataclass(frozen=True)
class Screen:
    """How a section's card becomes a meeting-mode screen.

    `sentences` picks the summary's sentences it reads (None: all of them); `status` says
    whether the card's status line follows them. `chart(figures, milestones, query=)` returns
    the screen's one chart or None; the app passes `query(function, **kwargs)`, its cached way
    of running a query, so that nothing here knows about the app. A section's further screens
    (`Section.more_screens`) have a `title` of their own and may have their own `card`
    (same arguments as the section's); `chart_alone` gives the chart the screen, with the
    figures in a column beside it and no sentences; `caption` is small print shown under
    the chart as text (a map's attribution), whole and legible at any window size.
    """

    slug: str
    sentences: tuple[int, ...] | None = ()
    status: bool = True
    chart: Callable[..., object] | None = None
    title: str | None = None
    card: Callable[[dict, list[dict]], Card] | None = None
    chart_alone: bool = False
    caption: str = ""


@dataclass(frozen=True)
class Sheet:
    """A workstream's sheet of the figures workbook: its name, column widths and writer."""

    workstream: str
    name: str
    widths: tuple[int, ...]
    write: Callable[..., None]


@dataclass(frozen=True)
class Threshold:
    """A line a headline figure may not cross in an upload unless the officer gives a reason.

    `read(*, engine)` returns the figure's values by item (the latest edition's savings, each
    budget line's budget and spend, each pilot group's RAG status); `crossed(item, before,
    after)` says in plain words how an upload would cross the line for one item (before is
    None for an item the data did not have), or returns None.
    """

    workstream: str
    figure: str
    read: Callable[..., dict]
    crossed: Callable[[str, object, object], str | None]


def charts_not_declared(facts: dict) -> tuple:
    """Return no charts: the default, which the wiring test refuses (declare charts=None)."""
    del facts
    return ()


@dataclass(frozen=True)
class Section:
    """One section of the board report, in every place the board sees it.

    `key` is also the paper's `--note` key. `workstreams` are the workbook kinds it draws on,
    the first being the one its screen cites; `strands` the milestone strands it reports. A
    `paper_only` section (the financial implications) has paragraphs and nothing else.
    `charts(facts)` returns the paper's figures; a section whose paper has none says so with
    `charts=None`, so that a forgotten one fails a test instead of printing no figure.
    `facts(*, engine, meeting_date)` returns the section's entries in the paper's facts; when
    it is None the paper's facts hold the summary's figures at the meeting under `key`.
    """

    key: str
    title: str
    workstreams: tuple[str, ...]
    paragraphs: Callable[[dict], tuple[list[str], set[int]]]
    charts: Callable[[dict], tuple] | None = charts_not_declared
    facts: Callable[..., dict] | None = None
    strands: tuple[str, ...] = ()
    page: Page | None = None
    opens: str | None = None  # the page its card opens, when it has none of its own
    card: Callable[[dict, list[dict]], Card] | None = None
    summary: Summary | None = None
    screen: Screen | None = None
    more_screens: tuple[Screen, ...] = ()  # meeting mode's screens after `screen`, in order
    sheet: Sheet | None = None
    paper_only: bool = False
    thresholds: tuple[Threshold, ...] = ()  # lines an upload may cross only with a reason

    def __post_init__(self) -> None:
        if not self.workstreams:
            raise ValueError(f"Section {self.key!r} draws on no workstream.")
        if self.paper_only:
            return
        needed = {
            "card": self.card,
            "summary": self.summary,
            "screen": self.screen,
            "sheet": self.sheet,
            "page": self.page or self.opens,
        }
        missing = [name for name, value in needed.items() if value is None]
        if missing:
            raise ValueError(f"Section {self.key!r} has no {', '.join(missing)}.")

    @property
    def link(self) -> str:
        """The page file its Overview card links to."""
        return self.page.file if self.page else str(self.opens)


def join_names(names: list[str]) -> str:
    """Join names as prose: "Huntingdonshire, Fenland and Peterborough"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


NO_CHANGE = "no change"  # a change of nothing, said so: "+0" came with a green arrow up


def signed(amount: float, formatter) -> str:
    """Return an amount with its sign: "+117", "-£2m"; NO_CHANGE for none."""
    if not amount:
        return NO_CHANGE
    return ("+" if amount > 0 else "-") + formatter(abs(amount))


def still(change: str | None) -> dict:
    """Return st.metric's arguments for a change: no colour and no arrow for NO_CHANGE."""
    if change and change.startswith(NO_CHANGE):
        return {"delta_color": "off", "delta_arrow": "off"}
    return {}


def next_milestone(milestones: list[dict], strands: tuple[str, ...]) -> dict | None:
    """Return the strands' next milestone not yet done, or None."""
    pending = [m for m in milestones if m["workstream"] in strands and m["status"] != "Done"]
    return min(pending, key=lambda m: m["due"], default=None)


def milestone_status(milestones: list[dict], strands: tuple[str, ...]) -> str:
    """Return a card's status line: milestones done, overdue and the next one."""
    mine = [m for m in milestones if m["workstream"] in strands]
    if not mine:
        return "No milestones uploaded."
    done = sum(m["status"] == "Done" for m in mine)
    overdue = sum(m["overdue"] for m in mine)
    upcoming = next_milestone(milestones, strands)
    line = f"{done} of {len(mine)} milestones done"
    line += f", {overdue} overdue" if overdue else ""
    if upcoming:
        when, status = format_iso_date(upcoming["due"], missing=""), upcoming["status"].lower()
        line += f". Next: {upcoming['milestone']} ({when}, {status})"
    return line + "."
