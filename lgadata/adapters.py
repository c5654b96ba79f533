"""Reshape exports from e-mail tools into the template's layout before parsing.

Most exports need no adapter: column aliases and 'Label: value' lines above the header do
the work (a GovDelivery bulletin report, a flat link-click export with `link_url` and
`total_click_count`). A Mailchimp campaign report holds several blocks one under another,
so only its "Clicks by URL" block, and the title lines above everything, are kept. An A/B
test report has no single block but one per combination ("Combination 1 Clicks by URL"),
and then every combination's block is kept: the board's figures add a link's views up.
The report is the same whether Mailchimp's CSV is uploaded or that CSV saved in Excel.
"""

import re
from dataclasses import replace

from lgadata.reader import RawSheet, RawWorkbook
from lgadata.values import is_blank
from lgadata.workstreams import Workstream

_FIRST_BLOCK_WITHIN = 200  # rows; Mailchimp's overall figures take about twenty
_BLOCK = re.compile(r"(?:(?:combination|variation|group)\s+\w+\s+)?clicks\s+by\s+url", re.I)


def adapt(book: RawWorkbook, workstream: Workstream) -> RawWorkbook:
    """Return the book reshaped for the workstream, or as it is."""
    if workstream.key != "ebulletin":
        return book
    return replace(book, sheets=[_mailchimp_clicks(sheet) for sheet in book.sheets])


def _first_text(row: list) -> str:
    cell = next((c for c in row if not is_blank(c)), None)
    return str(cell).strip().casefold() if cell is not None else ""


def _block_title(row: list) -> str | None:
    """Return 'overall' or 'combination' for a row that opens a Clicks by URL block."""
    first = row[0] if row else None
    if not isinstance(first, str) or not _BLOCK.fullmatch(first.strip()):
        return None
    return "overall" if first.strip().casefold().startswith("clicks") else "combination"


def _mailchimp_clicks(sheet: RawSheet) -> RawSheet:
    """Keep a report's title lines and its Clicks by URL blocks; blank the rest.

    Blanking, not removing, keeps every row where Excel shows it, so cell references
    in messages stay true. The header of a second combination's block is kept too: the
    parser skips a repeated header with a warning.
    """
    # A report's first block starts within its first lines, under the title and the overall
    # figures; a sheet without one there (the template's own) is left alone unread.
    if not any(map(_block_title, sheet.rows[:_FIRST_BLOCK_WITHIN])):
        return sheet
    titles = {i: kind for i, row in enumerate(sheet.rows) if (kind := _block_title(row))}
    if not titles:
        return sheet
    kind = "overall" if "overall" in titles.values() else "combination"
    starts = [i for i, found in titles.items() if found == kind]
    if kind == "overall":
        starts = starts[:1]
    kept: set[int] = set()
    for start in starts:
        end = start + 1
        while end < len(sheet.rows) and (end == start + 1 or not _is_blank_row(sheet.rows[end])):
            kept.add(end)
            end += 1
    first = starts[0]
    rows = [
        row if i < first and ":" in _first_text(row) or i in kept else []
        for i, row in enumerate(sheet.rows)
    ]
    return replace(sheet, rows=rows)


def _is_blank_row(row: list) -> bool:
    return all(is_blank(c) for c in row)
