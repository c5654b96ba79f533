"""Find the cells of an .ods file that show an error, which calamine reads as blank.

LibreOffice writes an error result as `calcext:value-type="error"` with what it shows in
the cell's paragraph (`#DIV/0!`, or `Err:502` for its own errors). Excel writes it as a
number, 0, with the error as the paragraph, which calamine would read as a real 0. Cells are
counted the way calamine counts them: rows and cells repeat by `number-rows-repeated` and
`number-columns-repeated`, and a covered (merged) cell takes its place.
"""

import html
import re
import zipfile

from lgadata.reader.limits import ReadLimits
from lgadata.reader.workbook import EXCEL_ERRORS, CellError

_ERROR = b'calcext:value-type="error"'
_ERROR_TEXTS = frozenset(EXCEL_ERRORS.values())
_EXCEL_ERROR = re.compile(
    b"<text:p>(?:" + b"|".join(re.escape(text.encode()) for text in _ERROR_TEXTS) + b")</text:p>"
)
_TAG = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_REPEAT = re.compile(rb'table:number-(?:rows|columns)-repeated="(\d+)"')
_NAME = re.compile(rb'table:name="([^"]*)"')
_PARAGRAPH = re.compile(rb"<text:p\b[^>]*>(.*?)</text:p>", re.S)
_MARKUP = re.compile(rb"<[^>]*>")


def scan_ods(
    archive: zipfile.ZipFile, limits: ReadLimits
) -> dict[str, dict[tuple[int, int], CellError]]:
    """Return each sheet's cells that show an error, by (row, column) from 0."""
    if "content.xml" not in archive.NameToInfo:
        return {}
    with archive.open("content.xml") as stream:
        content = stream.read(limits.max_uncompressed_bytes + 1)
    if _ERROR not in content and not _EXCEL_ERROR.search(content):
        return {}
    found: dict[str, dict[tuple[int, int], CellError]] = {}
    cells: dict[tuple[int, int], CellError] = {}
    row = column = 0
    row_repeat = 1
    for match in _TAG.finditer(content):
        closing, tag, attributes, empty = match.groups()
        repeat = _REPEAT.search(attributes)
        count = int(repeat[1]) if repeat else 1
        if tag == b"table" and not closing:
            name = _NAME.search(attributes)
            cells = found.setdefault(html.unescape(name[1].decode()) if name else "", {})
            row = 0
        elif tag == b"table-row" and not closing:
            column = 0
            if empty:
                row += count
            else:
                row_repeat = count
        elif tag == b"table-row":
            row += row_repeat
        elif not closing:
            within = row < limits.max_rows and column < limits.max_columns
            if within and not empty and (_ERROR in attributes or b"table:formula" in attributes):
                shown = _shown(content, match.end())
                if _ERROR in attributes or shown in _ERROR_TEXTS:
                    for offset in range(min(count, limits.max_columns - column)):
                        cells[(row, column + offset)] = CellError(shown or "#VALUE!")
            column += count
    return {sheet: errors for sheet, errors in found.items() if errors}


def _shown(content: bytes, start: int) -> str:
    """Return the text of the cell's paragraphs, which is what the officer sees in it."""
    end = content.find(b"</table:table-cell>", start)
    paragraph = _PARAGRAPH.search(content, start, end if end >= 0 else len(content))
    if paragraph is None:
        return ""
    return html.unescape(_MARKUP.sub(b"", paragraph[1]).decode("utf-8", "replace")).strip()
