"""Problems found in an uploaded file: typed records, so tests assert on codes, not wording.

Every code is one member of Code, which carries its severity, what it means and the shape of
its message. `--json` prints the code, so a code, once released, keeps its spelling.
"""

from dataclasses import asdict, dataclass, field
from enum import StrEnum

ERROR = "error"
WARNING = "warning"

_UNSAFE = "{file} could not be read safely: {why}. It may be damaged or far larger than it looks."
RESAVE = "Open it in Excel, choose File > Save As > Excel Workbook (.xlsx) and upload that file."


class Code(StrEnum):
    """One kind of problem: its stable code, severity, meaning and message template."""

    severity: str
    description: str
    template: str

    def __new__(cls, value: str, severity: str, description: str, template: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.description = description
        member.template = template
        return member

    def message(self, **fields: object) -> str:
        """Return the message for this problem, its template filled in."""
        return self.template.format(**fields)

    # Refusing the whole file before its rows are read (lgadata/reader).
    TOO_LARGE = (
        "too-large",
        ERROR,
        "The file is over the upload limit.",
        "{file} is {size:.1f} MB, over the {limit:g} MB limit. Remove sheets the return does "
        "not need, or split it, and upload it again.",
    )
    EMPTY_FILE = (
        "empty-file",
        ERROR,
        "The file has no bytes in it.",
        "{file} is empty. Check you chose the right file and try again.",
    )
    NOT_A_SPREADSHEET = (
        "not-a-spreadsheet",
        ERROR,
        "The file is not a spreadsheet (another kind of file, a web page, or text named .xlsx).",
        "{file} looks like {what}, not a spreadsheet. Upload the Excel (.xlsx or .xls), "
        "OpenDocument (.ods) or CSV file instead.",
    )
    UNSUPPORTED_FORMAT = (
        "unsupported-format",
        ERROR,
        "A spreadsheet format the dashboard does not read (XML Spreadsheet 2003, .xlsb).",
        "{file} is {what}. " + RESAVE,
    )
    ENCRYPTED = (
        "encrypted",
        ERROR,
        "The workbook is protected with a password.",
        "{file} is protected with a password. Remove the password (File > Info > Protect "
        "Workbook in Excel) and upload it again.",
    )
    CORRUPT = (
        "corrupt",
        ERROR,
        "The file is damaged or cut short.",
        "{file} is damaged or not a complete file. Open it in Excel, save it again and upload "
        "the new copy.",
    )
    ZIP_BOMB = (
        "zip-bomb",
        ERROR,
        "The workbook unpacks to far more than its size allows.",
        "{file} unpacks to far more data than a spreadsheet of its size should. Open it in "
        "Excel, delete anything the return does not need, save it and upload it again.",
    )
    TOO_MANY_CELLS = (
        "too-many-cells",
        ERROR,
        "A cell lies beyond the rows and columns the dashboard reads.",
        "{file} has cells as far as {ref}, beyond the {rows:,} rows and {columns} columns the "
        "dashboard reads. Delete the unused rows and columns after your data and try again.",
    )
    READER_CRASHED = (
        "reader-crashed",
        ERROR,
        "The process reading the file stopped.",
        _UNSAFE.replace("{why}", "the reader stopped"),
    )
    READER_TIMEOUT = (
        "reader-timeout",
        ERROR,
        "Reading the file took longer than the time allowed.",
        _UNSAFE.replace("{why}", "reading it took longer than {seconds:g} seconds"),
    )
    READER_OUT_OF_MEMORY = (
        "reader-out-of-memory",
        ERROR,
        "Reading the file needed more memory than allowed.",
        _UNSAFE.replace("{why}", "it needed more than {megabytes:,} MB of memory"),
    )
    # Refusing a file that is not the workbook it should be (lgadata/recognise.py).
    NOT_RECOGNISED = (
        "not-recognised",
        ERROR,
        "The file matches no workstream's workbook.",
        "{reason}",
    )
    ANOTHER_WORKSTREAM = (
        "another-workstream",
        ERROR,
        "The file looks like another workstream's workbook than the one chosen.",
        "{file} does not look like {chosen} workbook: it looks like {found} workbook "
        "({described}).",
    )
    # A workbook's sheets and columns (lgadata/ingest.py, lgadata/sheet_parser.py).
    MISSING_SHEET = (
        "missing-sheet",
        ERROR,
        "A required sheet is not in the workbook.",
        '{file} has no sheet "{sheet}" for the {workstream} (sheets found: {found}). Download '
        "the template to see the sheets and columns expected.",
    )
    HEADER_NOT_FOUND = (
        "header-not-found",
        ERROR,
        "No row near the top of the sheet looks like its header.",
        "No header row found in the first {rows} filled rows: expected columns such as {expected}.",
    )
    MISSING_COLUMN = (
        "missing-column",
        ERROR,
        "A required column is neither in the header nor given above it.",
        'Required column "{column}" is missing{hint}. {help}',
    )
    UNKNOWN_COLUMN = (
        "unknown-column",
        WARNING,
        "A column the workstream does not use; it is ignored.",
        'Column "{cell}" is not one the {workstream} uses; it was ignored.',
    )
    DUPLICATE_COLUMN = (
        "duplicate-column",
        ERROR,
        "Two header cells name the same column.",
        'Column "{cell}" repeats column {first} ({column}); keep one of them.',
    )
    PERIOD_FROM_FILE_NAME = (
        "period-from-file-name",
        WARNING,
        "No period column or title line, so the file name gives the period.",
        'No {period} column or title line, so "{value}" (the file name) is used as the {period}.',
    )
    NO_ROWS = (
        "no-rows",
        ERROR,
        "A required sheet has a header but no data.",
        "The sheet has a header row but no data under it, so there is nothing to load.",
    )
    TOO_MANY_ROWS = (
        "too-many-rows",
        ERROR,
        "A sheet has more rows than the workstream takes.",
        "The sheet has {rows:,} rows, but the {workstream} takes at most {most:,} in one "
        "sheet. Split the file, or remove rows that are not part of the return.",
    )
    REPEATED_HEADER = (
        "repeated-header",
        WARNING,
        "A row repeats the header (two tables pasted together); it is skipped.",
        "This row repeats the header row, so it was skipped.",
    )
    TOTAL_ROW_SKIPPED = (
        "total-row-skipped",
        WARNING,
        "A total row at the foot of the data; it is skipped.",
        "This looks like a total row, so it was skipped; totals are computed.",
    )
    DUPLICATE_ROW = (
        "duplicate-row",
        ERROR,
        "A row repeats an earlier row of the same period in every column.",
        "This row repeats row {first} in every column; keep one of them.",
    )
    DAY_MONTH_AMBIGUOUS = (
        "day-month-ambiguous",
        WARNING,
        "Every date in a column could be day first or month first; they are read day first.",
        "Every date in {column} could be read day first or month first (none has a day over "
        "12). They were read day first, so 04/03/2013 is 4 March 2013; if the file puts the "
        "month first, write the dates as 4 March 2013.",
    )
    # One cell (lgadata/values.py, lgadata/sheet_parser.py).
    MISSING_VALUE = (
        "missing-value",
        ERROR,
        "A required cell is blank.",
        "{column} is blank but required. {help}",
    )
    ERROR_CELL = (
        "error-cell",
        ERROR,
        "A cell shows an Excel error such as #DIV/0!.",
        "{cell} shows {shown}: the formula behind it failed in Excel; fix it and save again.",
    )
    UNCALCULATED_FORMULA = (
        "uncalculated-formula",
        ERROR,
        "A formula whose result was never calculated, so the file holds no figure.",
        "{cell} holds a formula whose result was never calculated, so the figure you see "
        "in Excel is not in the file; open it in Excel, save it and upload it again.",
    )
    INVALID_MONEY = (
        "invalid-money",
        ERROR,
        "A cell is not an amount of money.",
        "{column}: '{value}' is not an amount of money: {reason}",
    )
    INVALID_NUMBER = (
        "invalid-number",
        ERROR,
        "A cell is not a number.",
        "{column}: '{value}' is not a number: use digits such as 1,234.5",
    )
    INVALID_INTEGER = (
        "invalid-integer",
        ERROR,
        "A cell is not a whole number.",
        "{column}: '{value}' is not a whole number",
    )
    INVALID_PERCENTAGE = (
        "invalid-percentage",
        ERROR,
        "A cell is not a percentage.",
        "{column}: '{value}' is not a percentage: use one such as 45%",
    )
    INVALID_DATE = (
        "invalid-date",
        ERROR,
        "A cell is not a date, a financial year or a quarter.",
        "{column}: '{value}' is not a date: {reason}",
    )
    INVALID_YES_NO = (
        "invalid-yes-no",
        ERROR,
        "A cell is not yes or no.",
        "{column}: '{value}' is not yes or no: use Yes or No",
    )
    INVALID_TEXT = (
        "invalid-text",
        ERROR,
        "A cell is not text, or is longer than its column takes.",
        "{column}: '{value}' is too long: {most}",
    )
    INVALID_URL = (
        "invalid-url",
        ERROR,
        "A cell is not a web address.",
        "{column}: '{value}' is not a web address",
    )
    NOT_IN_LIST = (
        "not-in-list",
        ERROR,
        "A cell is not one of its column's choices.",
        "{column}: '{value}' is not in the list.{hint} Use one of: {choices}",
    )
    UNKNOWN_COUNCIL = (
        "unknown-council",
        ERROR,
        "A council name is not an English council in the register.",
        '{column}: "{name}" is not an English council in the register.{hint}',
    )
    NEGATIVE_VALUE = (
        "negative-value",
        ERROR,
        "A figure that cannot be below zero is negative.",
        "{column} must be at least 0.",
    )
    OUT_OF_RANGE = (
        "out-of-range",
        ERROR,
        "A figure is outside the range its column allows.",
        "{column} must be at most {high:g}.",
    )


@dataclass(frozen=True)
class Problem:
    """One problem with a file, a sheet, a column or a cell; its severity is its code's."""

    code: Code | str  # a code outside the catalogue is refused; "" names only a place
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    severity: str = field(init=False)

    def __post_init__(self) -> None:
        code = Code(self.code) if self.code else None  # ValueError for an uncatalogued code
        object.__setattr__(self, "code", code or "")
        object.__setattr__(self, "severity", code.severity if code else ERROR)

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
