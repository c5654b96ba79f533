"""Problems found in an uploaded file: typed records, so tests assert on codes, not wording."""

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem with a file, a sheet, a column or a cell."""

    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    severity: str = ERROR

    @property
    def cell(self) -> str:
        """Return where the problem is, as Excel names it: Arrangements!D14, or a row."""
        if self.sheet is None:
            return ""
        sheet = f"'{self.sheet}'" if any(ch in self.sheet for ch in " -!'") else self.sheet
        if self.column and self.row:
            return f"{sheet}!{self.column}{self.row}"
        if self.row:
            return f"{sheet} row {self.row}"
        if self.column:
            return f"{sheet} column {self.column}"
        return sheet

    @property
    def is_error(self) -> bool:
        """Say whether this problem stops the file being stored."""
        return self.severity == ERROR

    def as_dict(self) -> dict:
        """Return the problem as plain data, with its cell reference."""
        return asdict(self) | {"cell": self.cell}

    def __str__(self) -> str:
        # A message that names its cell first ("Budget!D3 shows #DIV/0!") reads whole.
        named = not self.cell or self.message.startswith(f"{self.cell} ")
        return self.message if named else f"{self.cell}: {self.message}"
