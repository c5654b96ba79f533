"""Reshape exports from e-mail tools into the template's layout before parsing.

Most exports need no adapter: column aliases and 'Label: value' lines above the header
do the work. A Mailchimp campaign report holds several blocks one under another, so only
its "Clicks by URL" block, and the title lines above everything, are kept. Mailchimp
exports reports as CSV only.
"""

from dataclasses import replace

from lgadata.reader import RawSheet, RawWorkbook
from lgadata.values import is_blank
from lgadata.workstreams import Workstream

MAILCHIMP_BLOCK = "clicks by url"


def adapt(book: RawWorkbook, workstream: Workstream) -> RawWorkbook:
    """Return the book reshaped for the workstream, or as it is."""
    if workstream.key != "ebulletin" or book.format != "csv":
        return book
    return replace(book, sheets=[_mailchimp_clicks(sheet) for sheet in book.sheets])


def _first_text(row: list) -> str:
    cell = next((c for c in row if not is_blank(c)), None)
    return str(cell).strip().casefold() if cell is not None else ""


def _mailchimp_clicks(sheet: RawSheet) -> RawSheet:
    """Keep a report's title lines and its Clicks by URL block; blank the rest.

    Blanking, not removing, keeps every row where Excel shows it, so cell references
    in messages stay true.
    """
    starts = [
        i
        for i, row in enumerate(sheet.rows)
        if row and isinstance(row[0], str) and row[0].strip().casefold() == MAILCHIMP_BLOCK
    ]
    if not starts:
        return sheet
    start = starts[0]
    end = start + 1
    while end < len(sheet.rows) and (end == start + 1 or not _is_blank_row(sheet.rows[end])):
        end += 1
    rows = [
        row if i < start and ":" in _first_text(row) or start < i < end else []
        for i, row in enumerate(sheet.rows)
    ]
    return replace(sheet, rows=rows)


def _is_blank_row(row: list) -> bool:
    return all(is_blank(c) for c in row)
