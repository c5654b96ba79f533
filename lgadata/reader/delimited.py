"""Read delimited text in-process: decode, guess the separator, keep every row."""

import codecs
import csv
import io

from lgadata.problems import Code
from lgadata.reader.limits import ReadLimits
from lgadata.reader.rejection import reject, too_many_cells
from lgadata.reader.workbook import RawSheet, RawWorkbook, cell_ref

# What British text holds above ASCII: the quotes and dashes Word and Excel type, the pound
# and euro signs, and the accented small letters of names such as Clyde Café.
_LIKELY = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014\u2026£€éèêëàâäçîïôöûüùáíóúñ")
_SAMPLE_LINES = 500


def read_csv(data: bytes, file_name: str, limits: ReadLimits) -> RawWorkbook:
    """Read delimited text in-process: decode, guess the separator, keep every row."""
    text = _decode(data)
    delimiter = _sniff_delimiter(text[:16_384])
    rows: list[list[object]] = []
    # csv refuses a field over 131,072 characters as an error, which would call a file with
    # one long note damaged; the file size limit already bounds a field, and ingest says
    # which cell is too long.
    if csv.field_size_limit() < limits.max_bytes:
        csv.field_size_limit(limits.max_bytes)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= limits.max_rows or len(row) > limits.max_columns:
                ref = cell_ref(file_name, len(rows) + 1, max(len(row) - 1, 0))
                raise too_many_cells(file_name, ref, limits)
            rows.append([value if value != "" else None for value in row])
    except csv.Error as error:
        raise reject(Code.CORRUPT, file_name) from error
    return RawWorkbook(file_name=file_name, format="csv", sheets=[RawSheet(file_name, rows)])


def _decode(data: bytes) -> str:
    """Decode UTF-16 with a byte order mark, else UTF-8, else Windows-1252 or Mac Roman."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    data = data.removeprefix(codecs.BOM_UTF8)
    for encoding in ("utf-8", _single_byte_encoding(data)):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _single_byte_encoding(data: bytes) -> str:
    """Return "cp1252" (Excel for Windows) or "mac_roman" (Excel for Mac), judged from the bytes.

    Both decode any text without complaint, so the wrong one stores "childrenÕs" silently.
    Each puts the quotes, dashes and accented letters of British text at its own bytes, where
    the other mostly has characters no return holds (Õ Ò Ž for the Mac's ’ “ é), so the
    reading with more likely characters is right; a tie (say a Windows ’, the Mac's í) is
    Windows, the commoner. charset-normalizer, tried first, took a Windows file with curly
    quotes for Mac Roman.
    """
    lines = [line for line in data.splitlines() if max(line, default=0) > 127][:_SAMPLE_LINES]
    sample = b"\n".join(lines)
    windows, mac = (
        sum(char in _LIKELY for char in sample.decode(encoding, "replace"))
        for encoding in ("cp1252", "mac_roman")
    )
    return "mac_roman" if mac > windows else "cp1252"


def _sniff_delimiter(sample: str) -> str:
    """Return the separator among comma, semicolon and tab that the sample uses."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        lines = sample.splitlines()[:20]
        return max(",;\t", key=lambda delimiter: sum(line.count(delimiter) for line in lines))
