"""File bytes in, parsed rows and every problem found out. Nothing here writes to the database.

Structure problems (an unreadable file, a missing sheet or column, too many rows) stop at
once with one message; problems in cells are all collected, so an officer sees every one.
"""

import hashlib

from lgadata import adapters
from lgadata.councils import CouncilRegister, load_register
from lgadata.parsed import (
    ParsedSheet,
    ParsedUpload,
    file_name_stem,
    find_header,
    header_keys,
    normalise_header,
)
from lgadata.problems import Code, Problem
from lgadata.reader import FileRejected, RawSheet, RawWorkbook, ReadLimits, read_workbook
from lgadata.reader.limits import MB
from lgadata.settings import Settings, get_settings
from lgadata.sheet_parser import SheetParser
from lgadata.workstreams import Sheet, Workstream, get_workstream

__all__ = [
    "ParsedSheet",
    "ParsedUpload",
    "check_book",
    "check_bytes",
    "file_name_stem",
    "header_keys",
    "limits_from",
    "normalise_header",
    "parse_workbook",
]


def limits_from(settings: Settings) -> ReadLimits:
    """Return the reader limits the settings ask for."""
    return ReadLimits(
        max_bytes=settings.max_upload_mb * MB,
        max_uncompressed_bytes=settings.max_uncompressed_mb * 1024 * 1024,
        max_compression_ratio=settings.max_compression_ratio,
        max_zip_entries=settings.max_zip_entries,
        max_rows=settings.max_rows_per_sheet,
        max_columns=settings.max_columns,
        memory_mb=settings.reader_memory_mb,
        timeout_s=settings.reader_timeout_s,
    )


def check_bytes(
    data: bytes,
    file_name: str,
    *,
    workstream: str | Workstream,
    period: object = None,
    register: CouncilRegister | None = None,
    settings: Settings | None = None,
    isolate: bool = True,
) -> ParsedUpload:
    """Read and validate a file for a workstream; store nothing."""
    settings = settings or get_settings()
    sha256, size = hashlib.sha256(data).hexdigest(), len(data)
    try:
        book = read_workbook(data, file_name, limits=limits_from(settings), isolate=isolate)
    except FileRejected as rejected:
        ws = workstream if isinstance(workstream, Workstream) else get_workstream(workstream)
        result = ParsedUpload(ws, file_name, sha256, size)
        result.problems.append(Problem(rejected.code, rejected.message))
        return result
    return check_book(
        book,
        workstream=workstream,
        sha256=sha256,
        size_bytes=size,
        period=period,
        register=register,
        settings=settings,
    )


def check_book(
    book: RawWorkbook,
    *,
    workstream: str | Workstream,
    sha256: str,
    size_bytes: int,
    period: object = None,
    register: CouncilRegister | None = None,
    settings: Settings | None = None,
) -> ParsedUpload:
    """Validate a file already read, for a workstream; store nothing."""
    settings = settings or get_settings()
    ws = workstream if isinstance(workstream, Workstream) else get_workstream(workstream)
    result = ParsedUpload(ws, book.file_name, sha256, size_bytes)
    parse_workbook(
        adapters.adapt(book, ws),
        result,
        period=period,
        register=register or load_register(),
        max_rows=min(settings.max_rows_per_sheet, ws.max_rows),
    )
    return result


def parse_workbook(
    book: RawWorkbook,
    result: ParsedUpload,
    *,
    period: object = None,
    register: CouncilRegister,
    max_rows: int,
) -> None:
    """Match the book's sheets to the declaration and parse each into result."""
    matches = _match_sheets(book, result)
    for declared, raw in matches:
        parser = SheetParser(declared, raw, result, register, period, file_name=book.file_name)
        parsed = parser.parse(max_rows=max_rows)
        if parsed is not None:
            result.sheets.append(parsed)


def _match_sheets(book: RawWorkbook, result: ParsedUpload) -> list[tuple[Sheet, RawSheet]]:
    by_name = {normalise_header(raw.name): raw for raw in book.sheets}
    matches: dict[str, RawSheet] = {}
    for declared in result.workstream.sheets:
        for name in (declared.name, *declared.aliases):
            raw = by_name.get(normalise_header(name))
            if raw is not None and raw not in matches.values():
                matches[declared.name] = raw
                break
    spare = [raw for raw in book.sheets if raw not in matches.values() and not raw.hidden]
    for declared in result.workstream.sheets:
        if declared.name in matches or not spare:
            continue
        keys = header_keys(declared)
        scored = [(find_header(raw.rows, keys)[1], i, raw) for i, raw in enumerate(spare)]
        best, _, raw = max(scored, key=lambda s: (s[0], -s[1]))
        if best >= min(2, sum(c.required for c in declared.columns)):
            matches[declared.name] = raw
            spare.remove(raw)
    for declared in result.workstream.sheets:
        if declared.name not in matches and declared.required:
            found = ", ".join(f'"{raw.name}"' for raw in book.sheets) or "none"
            result.problems.append(
                Problem(
                    Code.MISSING_SHEET,
                    Code.MISSING_SHEET.message(
                        file=book.file_name,
                        sheet=declared.name,
                        workstream=result.workstream.title,
                        found=found,
                    ),
                )
            )
    return [(d, matches[d.name]) for d in result.workstream.sheets if d.name in matches]
