"""Recognise which workstream a file is for, from its sheet names and header rows.

The file is read once; each workstream's declaration is then scored against the sheets
already read, and only the chosen workstream parses the rows.
"""

import hashlib
from dataclasses import dataclass, replace

from lgadata import adapters
from lgadata.ingest import check_book, limits_from
from lgadata.parsed import HEADER_SEARCH_ROWS, ParsedUpload, header_keys, normalise_header
from lgadata.problems import Code, Problem
from lgadata.reader import FileRejected, RawSheet, RawWorkbook, read_workbook
from lgadata.settings import Settings, get_settings
from lgadata.workstreams import WORKSTREAMS, Sheet, Workstream, get_workstream

# A workstream is recognised when at least half the columns of its sheets are found, and
# clearly ahead of the next: by this share of the columns.
MINIMUM_SHARE = 0.5
MARGIN = 0.15


@dataclass(frozen=True)
class SheetMatch:
    """A declared sheet and the sheet of the file that looks most like it, if any."""

    declared: str
    found: str | None
    by_name: bool
    columns: int
    of: int

    def describe(self) -> str:
        """Return 'sheet Arrangements, 9 of 10 columns'."""
        name = self.found if self.found == self.declared else f"{self.found} (as {self.declared})"
        return f"sheet {name}, {self.columns} of {self.of} columns"


@dataclass(frozen=True)
class Candidate:
    """How much of one workstream's declaration a file matches."""

    workstream: Workstream
    sheets: tuple[SheetMatch, ...]

    @property
    def columns(self) -> int:
        """Return the declared columns found in the file's header rows."""
        return sum(s.columns for s in self.sheets)

    @property
    def share(self) -> float:
        """Return the share of the declared columns found, over required and found sheets."""
        counted = [s for s in self.sheets if s.found or self._required(s.declared)]
        total = sum(s.of for s in counted)
        return self.columns / total if total else 0.0

    def _required(self, name: str) -> bool:
        return self.workstream.sheet(name).required

    def describe(self) -> str:
        """Return the sheets found and their columns, in one phrase."""
        return "; ".join(s.describe() for s in self.sheets if s.found)


@dataclass(frozen=True)
class Recognition:
    """The workstream a file is for (None when unsure), and a sentence saying why."""

    workstream: Workstream | None
    reason: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file read once: its sheets, the workstream it is for and its rows."""

    file_name: str
    sha256: str
    size_bytes: int
    book: RawWorkbook | None
    rejected: Problem | None
    recognition: Recognition | None
    parsed: ParsedUpload | None
    # When the file fails as the workstream chosen: the one it looks like instead, and why.
    elsewhere: Recognition | None = None


def header_score(rows: list[list], keys: dict[str, str]) -> int:
    """Return the declared columns named by the best header row and 'Label: value' lines above."""
    best: set[str] = set()
    labels: set[str] = set()
    above: set[str] = set()
    seen = 0
    for row in rows:
        cells = [cell for cell in row if cell is not None and str(cell).strip()]
        if not cells:
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            break
        names = {keys[k] for k in map(normalise_header, cells) if k in keys}
        if len(names) > len(best):
            best, above = names, set(labels)
        if isinstance(cells[0], str) and ":" in cells[0]:
            label = keys.get(normalise_header(cells[0].partition(":")[0]))
            labels |= {label} if label else set()
    return len(best | above)


def _matches(book: RawWorkbook, workstream: Workstream) -> tuple[SheetMatch, ...]:
    """Pair each declared sheet with a sheet of the file, as ingest would."""
    by_name = {normalise_header(raw.name): raw for raw in book.sheets}
    paired: dict[str, tuple[RawSheet, bool]] = {}
    for declared in workstream.sheets:
        for name in (declared.name, *declared.aliases):
            raw = by_name.get(normalise_header(name))
            if raw is not None and all(raw is not used for used, _ in paired.values()):
                paired[declared.name] = (raw, True)
                break
    taken = [raw for raw, _ in paired.values()]
    spare = [raw for raw in book.sheets if not raw.hidden and all(raw is not t for t in taken)]
    for declared in workstream.sheets:
        if declared.name in paired or not spare:
            continue
        keys = header_keys(declared)
        score, raw = max(((header_score(r.rows, keys), r) for r in spare), key=lambda pair: pair[0])
        if score >= min(2, sum(c.required for c in declared.columns)):
            paired[declared.name] = (raw, False)
            spare = [r for r in spare if r is not raw]
    return tuple(
        _sheet_match(declared, paired.get(declared.name)) for declared in workstream.sheets
    )


def _sheet_match(declared: Sheet, pair: tuple[RawSheet, bool] | None) -> SheetMatch:
    of = len(declared.columns)
    if pair is None:
        return SheetMatch(declared.name, None, False, 0, of)
    raw, by_name = pair
    return SheetMatch(
        declared.name, raw.name, by_name, header_score(raw.rows, header_keys(declared)), of
    )


def recognise(book: RawWorkbook) -> Recognition:
    """Return the workstream whose sheets and columns the file matches best, and why."""
    candidates = sorted(
        (Candidate(ws, _matches(adapters.adapt(book, ws), ws)) for ws in WORKSTREAMS.values()),
        key=lambda c: (-c.share, -c.columns, c.workstream.key),
    )
    best, runner_up = candidates[0], candidates[1]
    if best.share < MINIMUM_SHARE or best.columns < 2:
        reason = (
            "This file does not look like any workstream's spreadsheet: no sheet has enough "
            "of a template's columns. Choose its workstream, or download a template."
        )
        return Recognition(None, reason, tuple(candidates))
    if runner_up.share > best.share - MARGIN:
        reason = (
            f"This file could be the {best.workstream.title} ({best.describe()}) or the "
            f"{runner_up.workstream.title} ({runner_up.describe()}). Choose its workstream."
        )
        return Recognition(None, reason, tuple(candidates))
    reason = f"Recognised as {best.workstream.title}: {best.describe()}."
    return Recognition(best.workstream, reason, tuple(candidates))


def check_upload(
    data: bytes,
    file_name: str,
    *,
    workstream: str | None = None,
    period: object = None,
    settings: Settings | None = None,
    isolate: bool = True,
) -> CheckedFile:
    """Read a file once, recognise its workstream unless one is given, and check its rows."""
    settings = settings or get_settings()
    sha256, size = hashlib.sha256(data).hexdigest(), len(data)
    try:
        book = read_workbook(data, file_name, limits=limits_from(settings), isolate=isolate)
    except FileRejected as rejected:
        problem = Problem(rejected.code, rejected.message)
        return CheckedFile(file_name, sha256, size, None, problem, None, None)
    return check_read(
        book,
        sha256=sha256,
        size_bytes=size,
        workstream=workstream,
        period=period,
        settings=settings,
    )


def check_read(
    book: RawWorkbook,
    *,
    sha256: str,
    size_bytes: int,
    workstream: str | None = None,
    period: object = None,
    settings: Settings | None = None,
) -> CheckedFile:
    """Recognise a file already read unless its workstream is given, and check its rows."""
    recognition = None if workstream else recognise(book)
    chosen = workstream or (recognition.workstream if recognition else None)
    parsed, elsewhere = None, None
    text = _text_posing_as_a_workbook(book)
    if text is not None and recognition is not None and recognition.workstream is None:
        return CheckedFile(book.file_name, sha256, size_bytes, book, text, recognition, None)
    if chosen:
        parsed = check_book(
            book,
            workstream=chosen,
            sha256=sha256,
            size_bytes=size_bytes,
            period=period,
            settings=settings,
        )
        if _structure_failed(parsed):
            if text is not None:
                parsed.problems.insert(0, text)
            elsewhere = _looks_like_another(book, chosen)
    return CheckedFile(
        book.file_name, sha256, size_bytes, book, None, recognition, parsed, elsewhere
    )


STRUCTURE = (Code.MISSING_SHEET, Code.MISSING_COLUMN, Code.NO_ROWS)
_ZIPPED = (".xlsx", ".xlsm", ".ods")  # an .xls may be text: old systems export TSV so named


def _structure_failed(parsed: ParsedUpload) -> bool:
    return any(p.code in STRUCTURE for p in parsed.errors)


def _text_posing_as_a_workbook(book: RawWorkbook) -> Problem | None:
    """Return a refusal for plain text named as a zipped workbook, which it cannot be."""
    suffix = book.file_name.lower().rpartition(".")[2]
    if book.format != "csv" or f".{suffix}" not in _ZIPPED:
        return None
    return Problem(
        Code.NOT_A_SPREADSHEET,
        f"{book.file_name} is plain text, not a spreadsheet: a real .{suffix} file is a "
        "zipped workbook. Open the file you meant to send in Excel and save it as an Excel "
        "Workbook (.xlsx), or upload a CSV file named .csv.",
    )


def refusal(checked: CheckedFile) -> Problem | None:
    """Return why a file is refused before its rows are judged, as every surface says it."""
    if checked.rejected is not None:
        return checked.rejected
    if checked.recognition is not None and checked.recognition.workstream is None:
        return Problem(Code.NOT_RECOGNISED, checked.recognition.reason)
    if checked.elsewhere is not None and checked.parsed is not None:
        chosen, found = checked.parsed.workstream, checked.elsewhere.candidates[0]
        code, described = Code.ANOTHER_WORKSTREAM, found.describe()
        return Problem(
            code,
            code.message(
                file=checked.file_name,
                chosen=_a(chosen.title),
                found=_a(found.workstream.title),
                described=described,
            ),
        )
    return None


def _a(title: str) -> str:
    """Return 'a Shared Services Map' or 'an E-bulletin statistics'."""
    return f"{'an' if title[:1].casefold() in 'aeiou' else 'a'} {title}"


def outcome(checked: CheckedFile, workstream: str) -> ParsedUpload:
    """Return a checked file's rows and problems, led by its refusal if it has one."""
    parsed = checked.parsed or ParsedUpload(
        get_workstream(workstream), checked.file_name, checked.sha256, checked.size_bytes
    )
    refused = refusal(checked)
    if refused is None or refused in parsed.problems:
        return parsed
    return replace(parsed, problems=[refused, *parsed.problems])


def _looks_like_another(book: RawWorkbook, chosen: str) -> Recognition | None:
    """Return the recognition of another workstream when the file is clearly that one's."""
    recognition = recognise(book)
    found = recognition.workstream
    return recognition if found is not None and found.key != chosen else None
