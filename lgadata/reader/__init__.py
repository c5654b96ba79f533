"""Turn uploaded spreadsheet bytes into raw sheets, refusing hostile files with one message.

One module per safeguard or format: `sniff` judges the format from the bytes, `xlsx_scan`
looks for dimension bombs before calamine reads, `isolation` runs calamine in a child
process with capped memory and time, `binary` and `delimited` do the reading itself.
"""

from lgadata.problems import Code
from lgadata.reader.binary import read_binary
from lgadata.reader.delimited import read_csv
from lgadata.reader.isolation import read_isolated
from lgadata.reader.limits import MB, MIB, ReadLimits
from lgadata.reader.rejection import FileRejected, reject
from lgadata.reader.sniff import sniff_format
from lgadata.reader.workbook import CellError, RawSheet, RawWorkbook, cell_ref, column_letter

__all__ = [
    "MIB",
    "CellError",
    "FileRejected",
    "RawSheet",
    "RawWorkbook",
    "ReadLimits",
    "cell_ref",
    "column_letter",
    "read_workbook",
]


# ReadLimits is a frozen dataclass, so one shared default is safe; ruff's B008 can tell only
# for a class defined in the same module.
def read_workbook(
    data: bytes,
    file_name: str,
    *,
    limits: ReadLimits = ReadLimits(),  # noqa: B008
    isolate: bool = True,
) -> RawWorkbook:
    """Return the sheets in an uploaded file, or raise FileRejected saying why it cannot be read."""
    if len(data) > limits.max_bytes:
        size, limit = len(data) / MB, limits.max_bytes / MB
        raise reject(Code.TOO_LARGE, file_name, size=size, limit=limit)
    if not data:
        raise reject(Code.EMPTY_FILE, file_name)
    file_format = sniff_format(data, file_name, limits)
    if file_format == "csv":
        return read_csv(data, file_name, limits)
    if isolate:
        return read_isolated(data, file_name, file_format, limits)
    return read_binary(data, file_name, file_format, limits)
