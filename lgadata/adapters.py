"""Reshape exports from e-mail tools into the template's layout before parsing.

Most exports need no adapter: column aliases and 'Label: value' lines above the header do
the work (a GovDelivery bulletin report, a flat link-click export with `link_url` and
`total_click_count`). A Mailchimp campaign report holds several blocks one under another,
so only its "Clicks by URL" block, and the 'Label: value' lines above it that name a
column (its title, subject line and delivery date), are kept. An A/B
test report has no single block but one per combination ("Combination 1 Clicks by URL"),
and then every combination's block is kept.

A link listed more than once becomes one row, at its first listing. Its total clicks add
up: Mailchimp counts every click once ("Total clicks ... includes multiple clicks from
individual recipients"). Its unique clicks add up across combinations, because an A/B
test sends "different sets of subscribed contacts" each combination, "so no one receives
more than 1 combination" (mailchimp.com/help/about-ab-tests). Within one block the same
recipients may have clicked both listings, so there the larger count is kept: the
recipients known to have clicked, never more. When a count cannot be read, the rows are
left as they are, for the parser to blame the cell.
The report is the same whether Mailchimp's CSV is uploaded or that CSV saved in Excel.
"""

import re
from dataclasses import replace

from lgadata.parsed import header_keys, normalise_header
from lgadata.reader import RawSheet, RawWorkbook
from lgadata.values import ValueProblem, is_blank, parse_integer
from lgadata.workstreams import Workstream

_FIRST_BLOCK_WITHIN = 200  # rows; Mailchimp's overall figures take about twenty
_BLOCK = re.compile(r"(?:(?:combination|variation|group)\s+\w+\s+)?clicks\s+by\s+url", re.I)


def adapt(book: RawWorkbook, workstream: Workstream) -> RawWorkbook:
    """Return the book reshaped for the workstream, or as it is."""
    if not workstream.mail_tool_reports:
        return book
    keys = header_keys(workstream.sheets[0])
    return replace(book, sheets=[_mailchimp_clicks(sheet, keys) for sheet in book.sheets])


def _first_text(row: list) -> str:
    cell = next((c for c in row if not is_blank(c)), None)
    return str(cell).strip().casefold() if cell is not None else ""


def _names_a_column(row: list, keys: dict[str, str]) -> bool:
    """Say whether a line above the blocks is a 'Label: value' line for a column."""
    # Only these are kept: an A/B report's figures for each combination run to thirty lines
    # and more, and would push the blocks' header out of the rows searched for one.
    label, colon, _ = _first_text(row).partition(":")
    return bool(colon) and normalise_header(label) in keys


def _block_title(row: list) -> str | None:
    """Return 'overall' or 'combination' for a row that opens a Clicks by URL block."""
    first = row[0] if row else None
    if not isinstance(first, str) or not _BLOCK.fullmatch(first.strip()):
        return None
    return "overall" if first.strip().casefold().startswith("clicks") else "combination"


def _mailchimp_clicks(sheet: RawSheet, keys: dict[str, str]) -> RawSheet:
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
    blocks: list[list[int]] = []
    for start in starts:
        end = start + 1
        blocks.append([])
        while end < len(sheet.rows) and (end == start + 1 or not _is_blank_row(sheet.rows[end])):
            blocks[-1].append(end)
            end += 1
    kept = {i for block in blocks for i in block}
    first = starts[0]
    rows = [
        row if i < first and _names_a_column(row, keys) or i in kept else []
        for i, row in enumerate(sheet.rows)
    ]
    _merge_repeated_links(rows, blocks, keys)
    return replace(sheet, rows=rows)


def _merge_repeated_links(rows: list[list], blocks: list[list[int]], keys: dict) -> None:
    """Make each link listed more than once one row, at its first listing, in place."""
    listings: dict[str, list[tuple[int, int, dict[str, int]]]] = {}
    for number, block in enumerate(blocks):
        if not block:
            continue
        columns = {keys.get(normalise_header(c)): j for j, c in enumerate(rows[block[0]]) if c}
        if "url" not in columns or "views" not in columns:
            continue
        counts = {name: columns[name] for name in ("views", "unique_views") if name in columns}
        for i in block[1:]:
            url = rows[i][columns["url"]] if columns["url"] < len(rows[i]) else None
            if isinstance(url, str) and url.strip():
                listings.setdefault(url.strip(), []).append((number, i, counts))
    for found in listings.values():
        if len(found) > 1 and (merged := _merged_counts(rows, found)) is not None:
            first = found[0][1]
            rows[first] = list(rows[first])
            for name, value in merged.items():
                rows[first][found[0][2][name]] = value
            for _, i, _ in found[1:]:
                rows[i] = []


def _merged_counts(rows: list[list], found: list) -> dict[str, int] | None:
    """Return a repeated link's counts: summed over blocks, the larger within one."""
    names = set(found[0][2])
    if any(set(counts) != names for _, _, counts in found):
        return None
    by_block: dict[int, dict[str, int]] = {}
    for block, i, counts in found:
        try:
            read = {name: parse_integer(rows[i][j]) for name, j in counts.items()}
        except (ValueProblem, IndexError, TypeError):
            return None
        kept = by_block.setdefault(block, dict.fromkeys(names, 0))
        kept["views"] += read["views"]
        if "unique_views" in read:
            kept["unique_views"] = max(kept["unique_views"], read["unique_views"])
    return {name: sum(block[name] for block in by_block.values()) for name in names}


def _is_blank_row(row: list) -> bool:
    return all(is_blank(c) for c in row)
