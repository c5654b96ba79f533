"""Refusing an upload: one stable code and one message for the officer per reason."""

from lgadata.problems import RESAVE, Code
from lgadata.reader.limits import ReadLimits

_VARIANTS = {  # a cause with its own wording under a catalogued code: (code, template)
    "web-page": (
        Code.NOT_A_SPREADSHEET,
        "{file} is a web page saved with a spreadsheet name, not a real spreadsheet. " + RESAVE,
    ),
}


class FileRejected(Exception):
    """An upload that cannot be read, with a stable code and a message for the officer."""

    def __init__(self, code: Code, message: str):
        super().__init__(message)
        self.code = Code(code)  # ValueError for a code outside the catalogue
        self.message = message


def reject(cause: Code | str, file_name: str, **details: object) -> FileRejected:
    """Return the rejection for a code (or a cause in _VARIANTS), its message filled in."""
    code, template = _VARIANTS.get(cause) or (Code(cause), Code(cause).template)
    return FileRejected(code, template.format(file=file_name, **details))


def too_many_cells(file_name: str, ref: str, limits: ReadLimits) -> FileRejected:
    """Return the rejection of a file with a cell at ref, beyond the limits."""
    columns, rows = limits.max_columns, limits.max_rows
    return reject(Code.TOO_MANY_CELLS, file_name, ref=ref, rows=rows, columns=columns)
