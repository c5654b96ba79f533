"""What a check produces (parsed sheets, the parsed upload) and how headers are matched."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from lgadata.problems import Problem
from lgadata.workstreams import Sheet, Workstream

HEADER_SEARCH_ROWS = 30
_UNIT = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(text: object) -> str:
    """Normalise a header for matching: no unit in brackets, case, spaces, _ or -."""
    text = _UNIT.sub("", str(text).replace("£", ""))
    return _NOT_ALNUM.sub("", text.casefold())


def header_keys(sheet: Sheet) -> dict[str, str]:
    """Return every normalised header that names a column of the sheet."""
    keys: dict[str, str] = {}
    for column in sheet.columns:
        names = (column.name, column.name.removesuffix("_gbp"), *column.aliases)
        for name in names:
            keys.setdefault(normalise_header(name), column.name)
    return keys


def find_header(rows: list[list], keys: dict[str, str]) -> tuple[int, int]:
    """Return (index, score) of the row most like a header: the most cells naming columns."""
    best, best_score, seen = 0, 0, 0
    for index, row in enumerate(rows):
        if not any(row):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            break
        score = len({keys[k] for k in (normalise_header(c) for c in row if c) if k in keys})
        if score > best_score:
            best, best_score = index, score
    return best, best_score


def file_name_stem(file_name: str) -> str:
    """Return a file's name without folders or extension."""
    return Path(file_name).stem


@dataclass
class ParsedSheet:
    """The rows of one declared sheet, parsed column by column."""

    declaration: Sheet
    source_name: str
    header_row: int
    columns: dict[str, int]
    row_numbers: list[int]
    values: dict[str, list]
    period_keys: list[str]
    council_links: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        """Return how many data rows the sheet has."""
        return len(self.row_numbers)

    @property
    def periods(self) -> list[str]:
        """Return the periods the sheet's rows belong to, sorted."""
        return sorted(set(self.period_keys))

    def records(self) -> list[dict]:
        """Return the rows as dictionaries, with their spreadsheet row numbers."""
        names = [c.name for c in self.declaration.columns]
        columns = [self.values[n] for n in names]
        return [
            {"row": row, **dict(zip(names, cells, strict=True))}
            for row, *cells in zip(self.row_numbers, *columns, strict=True)
        ]


@dataclass
class ParsedUpload:
    """What a file holds for a workstream, and every problem found in it."""

    workstream: Workstream
    file_name: str
    sha256: str
    size_bytes: int
    sheets: list[ParsedSheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    resolutions: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that stop the file being stored."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Return the problems that do not stop the file being stored."""
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        """Say whether the file can be stored."""
        return not self.errors and bool(self.sheets)

    @property
    def row_count(self) -> int:
        """Return the number of data rows over all sheets."""
        return sum(s.row_count for s in self.sheets)

    def summary(self) -> dict:
        """Return rows and periods per sheet, as stored with the upload."""
        return {
            s.declaration.name: {"rows": s.row_count, "periods": s.periods} for s in self.sheets
        }

    def as_dict(self) -> dict:
        """Return the result as plain data for --json output."""
        return {
            "ok": self.ok,
            "workstream": self.workstream.key,
            "file": self.file_name,
            "sha256": self.sha256,
            "rows": self.row_count,
            "sheets": self.summary(),
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }
