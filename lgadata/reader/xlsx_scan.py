"""Refuse an xlsx whose sheets reach past the row and column limits before calamine reads it,
and find the cells calamine would read as blank: errors and formulas never calculated."""

import html
import posixpath
import re
import zipfile

from lgadata.problems import Code
from lgadata.reader.limits import MIB, ReadLimits
from lgadata.reader.rejection import reject, too_many_cells
from lgadata.reader.workbook import CellError, cell_ref, column_letter

_CHUNK = 256 * 1024
_OVERLAP = 256  # bytes carried between chunks so a reference split across them is still seen
_SMALL_PART_LIMIT = 10 * MIB
_SPACES = bytes.maketrans(b"\t\n\r", b"   ")
_HOLDS_VALUE = re.compile(rb"<v>[^<]|<(?:\w+:)?f[\s>/]|<is>")
_REF = re.compile(rb"([A-Z]*)\$?(\d+)")
_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\s([^>]*)>")
# A formula cell with no value, or an empty one (openpyxl writes <v></v>): written by a
# program, never opened in Excel. calamine reads it as blank, which would load an empty cell
# where the officer sees a figure. An empty value is real only for a text result (t="str").
_UNCALCULATED = re.compile(
    rb"<c\s([^>]*)>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_ERROR_CELL = re.compile(
    rb'<c\s([^>]*\bt="e"[^>]*)>(?:\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>))?\s*<v>([^<]*)</v>'
)
_CELL_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_ATTRIBUTE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def scan_xlsx(
    archive: zipfile.ZipFile, file_name: str, limits: ReadLimits
) -> dict[str, dict[tuple[int, int], CellError]]:
    """Refuse a workbook whose sheets hold cells beyond the limits; return each sheet's cells
    that show an error or hold a formula never calculated, by (row, column) from 0."""
    beyond = _beyond_limits_pattern(limits)
    budget = limits.max_uncompressed_bytes
    found: dict[str, dict[tuple[int, int], CellError]] = {}
    for part, sheet in _worksheet_parts(archive).items():
        carry, spaced, first = b"", False, True
        cells = found.setdefault(sheet, {})
        with archive.open(part) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                budget -= len(chunk)
                if budget < 0:
                    raise reject(Code.ZIP_BOMB, file_name)
                if first:  # the first chunk shows the layout
                    spaced = any(gap + b'r="' in chunk for gap in (b"\t", b"\n", b"\r"))
                window = carry + (chunk.translate(_SPACES) if spaced else chunk)
                # Every cell before the last "<c" is whole, so no cell is judged in halves;
                # the rest waits for the next chunk.
                cut = window.rfind(b"<c") if chunk else len(window)
                if cut <= 0:
                    cut = max(len(window) - _OVERLAP, 0)
                whole, carry = window[:cut], window[cut:]
                _check_cells(whole, beyond, sheet, file_name, limits)
                # Most sheets have neither formulas nor errors, so they skip the regexes.
                if b"<f" in whole or b't="e"' in whole:
                    cells.update(_unsaved_values(whole))
                first = False
                if not chunk:
                    break
    return {sheet: cells for sheet, cells in found.items() if cells}


def _check_cells(
    window: bytes, beyond: re.Pattern[bytes], sheet: str, file_name: str, limits: ReadLimits
) -> None:
    """Refuse the first cell in window past the limits that holds a value or a formula.

    What calamine reads is judged, not what the file declares: the dimension, a row's height
    or a styled empty cell (LibreOffice's AMJ, Gnumeric's XFD1048576) hold nothing. A legit
    sheet gives the pattern no match, so no Python runs per cell; a cell that cannot be placed
    without its r attribute meets the child's memory cap instead.
    """
    for match in beyond.finditer(window):
        start = window.rfind(b"<", 0, match.start())
        if window[start + 1 : start + 2] != b"c" or not window[start + 2 : start + 3].isspace():
            continue  # a <row r="...">: rows are judged by their cells
        end = window.find(b">", match.end())
        if end < 0 or window[end - 1 : end] == b"/":
            continue  # an empty cell, kept only for its style
        close = window.find(b"</c>", end)
        if not _HOLDS_VALUE.search(window, end, close if close >= 0 else len(window)):
            continue
        letters, digits = _REF.fullmatch(match[1]).groups()
        where = cell_ref(sheet, int(digits), _column_index(letters))
        raise too_many_cells(file_name, where, limits)


def _unsaved_values(window: bytes) -> dict[tuple[int, int], CellError]:
    """Return the cells in window that show an error or hold a formula never calculated."""
    cells = {}
    for match in _ERROR_CELL.finditer(window):
        where = _position(match[1])
        if where is not None:
            cells[where] = CellError(html.unescape(match[2].decode("utf-8", "replace")).strip())
    for match in _UNCALCULATED.finditer(window):
        attributes, empty_value = match.groups()
        where = _position(attributes)
        if where is None or (empty_value and b't="str"' in attributes) or b't="e"' in attributes:
            continue
        cells[where] = CellError("")
    return cells


def _position(attributes: bytes) -> tuple[int, int] | None:
    ref = _CELL_REF.search(attributes)
    if ref is None:
        return None
    letters, digits = _REF.fullmatch(ref[1]).groups()
    return int(digits) - 1, _column_index(letters)


def _beyond_limits_pattern(limits: ReadLimits) -> re.Pattern[bytes]:
    """Return a regex for cell references past the last column or the last row."""
    # Matching only offending references keeps the scan at regex speed: a legitimate sheet
    # produces no matches, so no Python code runs per cell.
    columns = _above(column_letter(limits.max_columns - 1), "A", "Z")
    rows = _above(str(limits.max_rows), "0", "9")
    return re.compile(f' r="((?:{columns})\\d+|[A-Z]+0*+(?:{rows}))"'.encode())


def _above(limit: str, low: str, high: str) -> str:
    """Return a regex alternation for strings over low..high that count higher than limit."""
    any_char = f"[{low}-{high}]"
    first = "[1-9]" if low == "0" else any_char  # a longer number must not start with 0
    options = [f"{first}{any_char}{{{len(limit)},}}"]
    for i, char in enumerate(limit):
        if char != high:
            rest = len(limit) - i - 1
            options.append(f"{limit[:i]}[{chr(ord(char) + 1)}-{high}]{any_char}{{{rest}}}")
    return "|".join(options)


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def workbook_part(archive: zipfile.ZipFile) -> str | None:
    """Return the path of the package's workbook part (xl/workbook.xml in most), or None.

    Excel finds it from the package relationships, not by name, so a file that keeps it
    elsewhere, or writes its part names with backslashes, is still a workbook.
    """
    names = _names(archive)
    for tag, attributes in _tags(archive, "_rels/.rels", names):
        if tag == "Relationship" and attributes.get("Type", "").endswith("/officeDocument"):
            path = _resolve("", attributes.get("Target", ""))
            if path in names and path.rsplit("/", 1)[-1] == "workbook.xml":
                return path
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return each part's path with forward slashes, mapped to its name in the zip."""
    return {name.replace("\\", "/"): name for name in archive.namelist()}


def _resolve(folder: str, target: str) -> str:
    path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path.replace("\\", "/"))


def _worksheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return each worksheet part's name in the zip mapped to the sheet name shown in Excel."""
    names = _names(archive)
    workbook = workbook_part(archive) or "xl/workbook.xml"
    folder, base = posixpath.split(workbook)
    targets = {}
    for tag, attributes in _tags(archive, posixpath.join(folder, "_rels", base + ".rels"), names):
        if tag == "Relationship" and "Target" in attributes:
            targets[attributes.get("Id")] = _resolve(folder, attributes["Target"])
    parts = {
        names[path]: path.rsplit("/", 1)[-1]
        for path in names
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", path)
    }
    for tag, attributes in _tags(archive, workbook, names):
        rel = next((value for key, value in attributes.items() if key.endswith(":id")), None)
        if tag == "sheet" and targets.get(rel) in names:
            parts[names[targets[rel]]] = attributes.get("name", targets[rel])
    return parts


def _tags(
    archive: zipfile.ZipFile, part: str, names: dict[str, str]
) -> list[tuple[str, dict[str, str]]]:
    """Return the sheet and relationship tags of a small XML part with their attributes."""
    if part not in names:
        return []
    with archive.open(names[part]) as stream:
        text = stream.read(_SMALL_PART_LIMIT)
    found = []
    for tag, body in _TAG.findall(text):
        pairs = _ATTRIBUTE.findall(body)
        values = {
            key.decode(): (double or single).decode("utf-8", "replace")
            for key, double, single in pairs
        }
        found.append((tag.decode(), {key: html.unescape(value) for key, value in values.items()}))
    return found
