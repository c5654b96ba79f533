"""Refusing an upload: one stable code and one message for the officer per reason."""

from lgadata.reader.limits import ReadLimits

_RESAVE = "Open it in Excel, choose File > Save As > Excel Workbook (.xlsx) and upload that file."
_UNSAFE = "{file} could not be read safely: {why}. It may be damaged or far larger than it looks."
_MESSAGES = {  # key: (code, message)
    "too-large": (
        "too-large",
        "{file} is {size:.1f} MB, over the {limit:g} MB limit. Remove sheets the return does "
        "not need, or split it, and upload it again.",
    ),
    "empty-file": ("empty-file", "{file} is empty. Check you chose the right file and try again."),
    "not-a-spreadsheet": (
        "not-a-spreadsheet",
        "{file} looks like {what}, not a spreadsheet. Upload the Excel (.xlsx or .xls), "
        "OpenDocument (.ods) or CSV file instead.",
    ),
    "web-page": (
        "not-a-spreadsheet",
        "{file} is a web page saved with a spreadsheet name, not a real spreadsheet. " + _RESAVE,
    ),
    "xml-2003": ("unsupported-format", "{file} is an XML Spreadsheet 2003 file. " + _RESAVE),
    "xlsb": ("unsupported-format", "{file} is an Excel Binary Workbook (.xlsb). " + _RESAVE),
    "encrypted": (
        "encrypted",
        "{file} is protected with a password. Remove the password (File > Info > Protect "
        "Workbook in Excel) and upload it again.",
    ),
    "corrupt": (
        "corrupt",
        "{file} is damaged or not a complete file. Open it in Excel, save it again and upload "
        "the new copy.",
    ),
    "zip-bomb": (
        "zip-bomb",
        "{file} unpacks to far more data than a spreadsheet of its size should. Open it in "
        "Excel, delete anything the return does not need, save it and upload it again.",
    ),
    "too-many-cells": (
        "too-many-cells",
        "{file} has cells as far as {ref}, beyond the {rows:,} rows and {columns} columns the "
        "dashboard reads. Delete the unused rows and columns after your data and try again.",
    ),
    "reader-crashed": ("reader-crashed", _UNSAFE.replace("{why}", "the reader stopped")),
    "reader-timeout": (
        "reader-timeout",
        _UNSAFE.replace("{why}", "reading it took longer than {seconds:g} seconds"),
    ),
    "reader-out-of-memory": (
        "reader-out-of-memory",
        _UNSAFE.replace("{why}", "it needed more than {megabytes:,} MB of memory"),
    ),
}


class FileRejected(Exception):
    """An upload that cannot be read, with a stable code and a message for the officer."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def reject(key: str, file_name: str, **details: object) -> FileRejected:
    """Return the rejection for a reason in _MESSAGES, its message filled in."""
    code, template = _MESSAGES[key]
    return FileRejected(code, template.format(file=file_name, **details))


def too_many_cells(file_name: str, ref: str, limits: ReadLimits) -> FileRejected:
    """Return the rejection of a file with a cell at ref, beyond the limits."""
    columns, rows = limits.max_columns, limits.max_rows
    return reject("too-many-cells", file_name, ref=ref, rows=rows, columns=columns)
