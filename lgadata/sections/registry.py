"""The board report's sections, in the report's order: the one list that the router, the
Overview, meeting mode, `metrics`, the paper and the figures workbook all read.

A new section is a file in this package declaring a `SECTION`, and its module's name on
one line of SECTION_MODULES below. The built-in sections register exactly that way (the
way datasette lists its own plugins).
"""

import importlib

from lgadata.sections.parts import Section, Sheet, Summary, charts_not_declared
from lgadata.workstreams import WORKSTREAMS

# The board report's order, one module of this package a line; the financial implications
# close the paper, so they come last.
SECTION_MODULES = (
    "capital_assets",
    "commissioning_academy",
    "shared_services",
    "tenancy_fraud",
    "procurement",
    "ebulletin",
    "financial",
)
SECTIONS: list[Section] = [
    importlib.import_module(f"lgadata.sections.{name}").SECTION for name in SECTION_MODULES
]


def board_sections() -> list[Section]:
    """Return the sections the board sees on the Overview and in meeting mode, in order."""
    return [s for s in SECTIONS if not s.paper_only]


def get_section(key: str) -> Section:
    """Return a section by its key, or raise KeyError naming the sections there are."""
    for section in SECTIONS:
        if section.key == key:
            return section
    raise KeyError(f"No section called {key}; the sections are {', '.join(keys())}.")


def keys() -> list[str]:
    """Return the sections' keys, in the report's order: the paper's --note keys."""
    return [s.key for s in SECTIONS]


def _by_workstream(pieces) -> dict:
    found = {}
    for piece in pieces:
        found.setdefault(piece.workstream, piece)
    missing = [key for key in WORKSTREAMS if key not in found]
    if missing:
        kind = type(next(iter(found.values()), None)).__name__.lower()
        raise LookupError(f"No section declares a {kind} for {', '.join(missing)}.")
    return found


def summaries() -> list[Summary]:
    """Return each workstream's summary, in WORKSTREAMS' order; raise if one has none."""
    found = _by_workstream(s.summary for s in SECTIONS if s.summary)
    return [found[key] for key in WORKSTREAMS]


def sheets() -> list[Sheet]:
    """Return each workstream's figures-workbook sheet, in WORKSTREAMS' order; raise if one
    has none."""
    found = _by_workstream(s.sheet for s in SECTIONS if s.sheet)
    return [found[key] for key in WORKSTREAMS]


def problems() -> list[str]:
    """Return every way the registry is incomplete or inconsistent (none when it is whole)."""
    out = []
    for attr in ("key", "title", "link"):
        values = [getattr(s, attr) for s in board_sections()]
        out += [f"two sections have the {attr} {v!r}" for v in set(values) if values.count(v) > 1]
    if not SECTIONS or not SECTIONS[-1].paper_only:
        out.append("the financial implications must be the last section")
    drawn = {w for s in SECTIONS for w in s.workstreams}
    out += [f"no section draws on the workstream {k}" for k in WORKSTREAMS if k not in drawn]
    out += [
        f"section {s.key} draws on the unknown workstream {w}"
        for s in SECTIONS
        for w in s.workstreams
        if w not in WORKSTREAMS
    ]
    out += [
        f"section {s.key} declares no paper charts (charts=None if its paper has none)"
        for s in SECTIONS
        if s.charts is charts_not_declared
    ]
    for kind, pieces in (("summary", summaries), ("sheet", sheets)):
        try:
            pieces()
        except LookupError as error:
            out.append(f"{kind}: {error}")
    return out
