"""Hypothesis strategies for workstream tables drawn from the declarations, and one step outside.

A table is drawn within its workstream's schema (every required column, some optional ones,
headers by name or alias, values each kind accepts), then may be mutated just outside it:
a required column dropped, a cell of the wrong type, an unknown council, a row pasted
twice, a required cell left blank, or a negative amount. The mutation says where the
error must be reported.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from hypothesis import strategies as st

from lgadata.councils import load_register
from lgadata.ingest import header_keys, normalise_header
from lgadata.problems import Problem
from lgadata.reader import column_letter
from lgadata.workstreams import Column, Kind, Sheet, Workstream
from tests.workbooks import make_xlsx

# Separators and quotes are left out of text so a CSV's separator is never in doubt.
TEXT = st.text(
    st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters=",;\t\"'"),
    max_size=20,
)
WRONG = {  # a value of the wrong type for each kind that has a type
    Kind.MONEY: "about five grand",
    Kind.INTEGER: "a dozen",
    Kind.DATE: "next Tuesday",
    Kind.YES_NO: "perhaps",
    Kind.CHOICE: "none of these",
    Kind.FINANCIAL_YEAR: "last year",
    Kind.QUARTER: "spring",
    Kind.URL: "not a web address",
    Kind.COUNCIL: "Nowhere Borough Council",
    Kind.COUNCILS: "Nowhere Borough Council",
}


@dataclass
class Table:
    """One sheet as an officer might type it: a header and rows of cell values."""

    sheet: Sheet
    header: list[str]
    columns: list[Column]
    rows: list[list] = field(default_factory=list)


@dataclass
class Drawn:
    """A workbook of tables, and the error a mutation must produce (None: it must load)."""

    tables: list[Table]
    file_format: str
    mutation: str | None = None
    codes: frozenset[str] = frozenset()
    cell: str | None = None  # where the error must be reported, when it is at one place

    def file(self) -> tuple[str, bytes]:
        """Return the file name and bytes: one sheet per table, or a CSV of the first."""
        if self.file_format == "xlsx":
            sheets = {t.sheet.name: [t.header, *t.rows] for t in self.tables}
            return "drawn.xlsx", make_xlsx(sheets)
        table = self.tables[0]
        buffer = io.StringIO()
        csv.writer(buffer).writerows([table.header, *map(_csv_cells, table.rows)])
        return "drawn.csv", buffer.getvalue().encode()


def _csv_cells(row: list) -> list:
    return ["Yes" if v is True else "No" if v is False else v for v in row]


def _councils() -> list[str]:
    register = load_register()
    ambiguous = set(register.ambiguous_names())
    return sorted(c.official_name for c in register if c.official_name not in ambiguous)


def value(column: Column):
    """Return a strategy for a cell value the column accepts."""
    kind, low, high = column.kind, column.minimum, column.maximum
    councils = _councils()
    strategies = {
        Kind.TEXT: TEXT.map(lambda text: f"Item {text}"),
        Kind.URL: st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True).map(
            lambda slug: f"https://www.local.gov.uk/{slug}"
        ),
        Kind.MONEY: st.integers(0, 10**9) | st.decimals(0, 10**6, places=2).map(float),
        Kind.INTEGER: st.integers(int(low or 0), int(high or 10**6)),
        Kind.DATE: st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
        Kind.YES_NO: st.sampled_from(["Yes", "No", "y", "n", True, False]),
        Kind.CHOICE: st.sampled_from(column.choices),
        Kind.COUNCIL: st.sampled_from(councils),
        Kind.COUNCILS: st.lists(st.sampled_from(councils), max_size=3).map("; ".join),
        Kind.FINANCIAL_YEAR: st.integers(2000, 2030).map(lambda y: f"{y}/{(y + 1) % 100:02d}"),
        Kind.QUARTER: st.tuples(st.integers(2000, 2030), st.integers(1, 4)).map(
            lambda yq: f"{yq[0]}-Q{yq[1]}"
        ),
    }
    return strategies[kind]


def _must_fill(column: Column) -> bool:
    return column.required and column.default is None


@st.composite
def table(draw, sheet: Sheet) -> Table:
    """Draw a table within the sheet's schema: 1 to 6 rows, no two alike."""
    keys = header_keys(sheet)
    optional = [c for c in sheet.columns if not c.required]
    chosen = [c for c in sheet.columns if c.required] + draw(st.lists(st.sampled_from(optional)))
    columns = draw(st.permutations(list(dict.fromkeys(chosen))))
    header = []
    for column in columns:
        names = [
            n for n in (column.name, *column.aliases) if keys[normalise_header(n)] == column.name
        ]
        header.append(draw(st.sampled_from(names)))
    count = draw(st.integers(1, 6))
    # One column tells the rows apart, so no row repeats another by chance.
    unique = next((c for c in columns if c.kind is Kind.TEXT and _must_fill(c)), None)
    unique = unique or next(c for c in columns if c.kind is Kind.COUNCIL)
    distinct = draw(st.lists(value(unique), min_size=count, max_size=count, unique=True))
    rows = []
    for index in range(count):
        row = [draw(value(c)) if c is not unique else distinct[index] for c in columns]
        if unique.kind is Kind.TEXT:
            row[columns.index(unique)] = f"Row {index} {distinct[index]}"
        rows.append(row)
    return Table(sheet, header, columns, rows)


def _where(drawn: Drawn, chosen: Table, row: int, column: int) -> str:
    """Return the cell a problem at a row and column of the table is reported at."""
    sheet = drawn.file()[0] if drawn.file_format == "csv" else chosen.sheet.name
    return Problem("", "", sheet, row + 2, column_letter(column)).cell


@st.composite
def workbook(draw, workstream: Workstream, *, mutate: bool) -> Drawn:
    """Draw a workbook for the workstream, mutated just outside its schema when mutate is set."""
    file_format = draw(st.sampled_from(["xlsx", "csv"]))
    sheets = [s for s in workstream.sheets if s.required]
    if file_format == "xlsx":
        sheets += [s for s in workstream.sheets if not s.required and draw(st.booleans())]
    drawn = Drawn([draw(table(sheet)) for sheet in sheets], file_format)
    if not mutate:
        return drawn
    chosen = drawn.tables[0]
    row = draw(st.integers(0, len(chosen.rows) - 1))
    options = ["duplicate row"]
    fillable = [i for i, c in enumerate(chosen.columns) if _must_fill(c)]
    from_name = chosen.sheet.period if chosen.sheet.period_from_file_name else None
    droppable = [i for i in fillable if chosen.columns[i].name != from_name]
    typed = [i for i, c in enumerate(chosen.columns) if c.kind in WRONG]
    signed = [i for i, c in enumerate(chosen.columns) if c.kind in (Kind.MONEY, Kind.INTEGER)]
    options += ["drop column"] * bool(droppable) + ["blank cell"] * bool(fillable)
    options += ["wrong type"] * bool(typed) + ["negative"] * bool(signed)
    drawn.mutation = draw(st.sampled_from(options))
    if drawn.mutation == "duplicate row":
        chosen.rows.insert(row + 1, list(chosen.rows[row]))
        drawn.codes, drawn.cell = frozenset({"duplicate-row"}), None
    elif drawn.mutation == "drop column":
        index = draw(st.sampled_from(droppable))
        del chosen.header[index], chosen.columns[index]
        for cells in chosen.rows:
            del cells[index]
        drawn.codes = frozenset({"missing-column", "missing-sheet", "header-not-found"})
    else:
        pool = {"blank cell": fillable, "wrong type": typed, "negative": signed}[drawn.mutation]
        index = draw(st.sampled_from(pool))
        kind = chosen.columns[index].kind
        chosen.rows[row][index] = {"blank cell": None, "negative": -5}.get(
            drawn.mutation, WRONG.get(kind)
        )
        drawn.cell = _where(drawn, chosen, row, index)
    return drawn
