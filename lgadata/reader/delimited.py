"""Read delimited text in-process: decode, guess the separator, keep every row."""

import codecs
import csv
import io

from lgadata.reader.limits import ReadLimits
from lgadata.reader.rejection import reject, too_many_cells
from lgadata.reader.workbook import RawSheet, RawWorkbook, cell_ref


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
        raise reject("corrupt", file_name) from error
    return RawWorkbook(file_name=file_name, format="csv", sheets=[RawSheet(file_name, rows)])


def _decode(data: bytes) -> str:
    """Decode UTF-16 with a byte order mark, else UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    data = data.removeprefix(codecs.BOM_UTF8)
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _sniff_delimiter(sample: str) -> str:
    """Return the separator among comma, semicolon and tab that the sample uses."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        lines = sample.splitlines()[:20]
        return max(",;\t", key=lambda delimiter: sum(line.count(delimiter) for line in lines))
