"""One raw sheet parsed against its declaration, column by column, collecting every problem."""

import re
from functools import partial
from operator import itemgetter

from lgadata import values
from lgadata.councils import CouncilRegister, split_council_list
from lgadata.parsed import (
    HEADER_SEARCH_ROWS,
    ParsedSheet,
    ParsedUpload,
    file_name_stem,
    find_header,
    header_keys,
    normalise_header,
)
from lgadata.problems import Code, Problem
from lgadata.reader import CellError, RawSheet
from lgadata.reader import column_letter as letter
from lgadata.workstreams import Column, Kind, Sheet

_TOTAL = re.compile(r"^\s*(grand\s+)?totals?\b", re.IGNORECASE)
_UNSAVED_CODES = (Code.ERROR_CELL, Code.UNCALCULATED_FORMULA)


class SheetParser:
    """Parses one raw sheet against one declared sheet, collecting problems."""

    def __init__(self, declared, raw, result, register, period, *, file_name):
        self.declared: Sheet = declared
        self.raw: RawSheet = raw
        self.result: ParsedUpload = result
        self.register: CouncilRegister = register
        self.period = period
        self.file_name = file_name
        self.name = raw.name
        self.fallbacks: dict[str, object] = {}
        self.fallback_cells: dict[str, tuple[int, str]] = {}  # (row, column) of a title line
        self.shortest_row = 0

    def problem(self, code: Code, message: str, row=None, column=None) -> None:
        self.result.problems.append(Problem(code, message, self.name, row, column))

    def parse(self, *, max_rows: int) -> ParsedSheet | None:
        keys = header_keys(self.declared)
        header_index, score = find_header(self.raw.rows, keys)
        if score == 0:
            expected = ", ".join(c.name for c in self.declared.columns if c.required)
            found = Code.HEADER_NOT_FOUND
            self.problem(found, found.message(rows=HEADER_SEARCH_ROWS, expected=expected))
            return None
        header_row = header_index + 1
        columns = self._map_columns(self.raw.rows[header_index], keys, header_row)
        self.fallbacks = self._fallbacks(self.raw.rows[:header_index], keys, columns)
        if not self._check_missing(columns, self.fallbacks, header_row):
            return None
        numbers, rows = self._data_rows(header_index)
        if not rows and self.declared.required:
            self.problem(Code.NO_ROWS, Code.NO_ROWS.message(), header_row)
            return None
        if len(rows) > max_rows:
            title, code = self.result.workstream.title, Code.TOO_MANY_ROWS
            self.problem(code, code.message(rows=len(rows), workstream=title, most=max_rows))
            return None
        self.shortest_row = min(map(len, rows), default=0)
        parsed = ParsedSheet(self.declared, self.name, header_row, columns, numbers, {}, [])
        for column in self.declared.columns:
            parsed.values[column.name] = self._parse_column(column, columns, rows, numbers, parsed)
        period_column = self.declared.period
        parsed.period_keys = (
            _period_keys(parsed.values[period_column]) if period_column else [""] * len(numbers)
        )
        self._check_duplicate_rows(parsed)
        return parsed

    def _check_duplicate_rows(self, parsed: ParsedSheet) -> None:
        """Report each row that repeats an earlier row of the same period in every column."""
        # A row pasted twice would count twice in every headline figure. Only whole rows are
        # compared: a declared key repeats legitimately (a monthly meeting is one milestone).
        first: dict[tuple, int] = {}
        columns = [parsed.values[c.name] for c in self.declared.columns]
        # The usual sheet has a column with no value twice (each link's address): then no
        # two rows can be equal, decided in C from one column before building any row.
        count = len(parsed.period_keys)
        if count > 1 and any(_all_different(column, count) for column in columns):
            return
        rows = list(zip(parsed.period_keys, *columns, strict=True))
        if len(set(rows)) == len(rows):
            return
        for cells, row in zip(rows, parsed.row_numbers, strict=True):
            if first.setdefault(cells, row) != row:
                code = Code.DUPLICATE_ROW
                self.problem(code, code.message(first=first[cells]), row)

    def _map_columns(self, header: list, keys: dict[str, str], header_row: int) -> dict[str, int]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(header):
            if values.is_blank(cell):
                continue
            name = keys.get(normalise_header(cell))
            if name is None:
                title, code = self.result.workstream.title, Code.UNKNOWN_COLUMN
                self.problem(
                    code, code.message(cell=cell, workstream=title), header_row, letter(index)
                )
            elif name in columns:
                code, first = Code.DUPLICATE_COLUMN, letter(columns[name])
                message = code.message(cell=cell, first=first, column=name)
                self.problem(code, message, header_row, letter(index))
            else:
                columns[name] = index
        return columns

    def _fallbacks(self, title_rows: list[list], keys: dict[str, str], columns) -> dict:
        """Return values for missing columns: from 'Label: value' lines above the header,
        or the period given at upload."""
        found: dict[str, object] = {}
        for number, row in enumerate(title_rows, start=1):
            cells = [(i, c) for i, c in enumerate(row) if not values.is_blank(c)]
            if not cells or not isinstance(cells[0][1], str):
                continue
            label, _, rest = cells[0][1].partition(":")
            where, value = (cells[0][0], rest.strip()) if rest.strip() else (None, None)
            if value is None and len(cells) > 1:
                where, value = cells[1]
            name = keys.get(normalise_header(label))
            if name and name not in columns and not values.is_blank(value):
                found.setdefault(name, value)
                self.fallback_cells.setdefault(name, (number, letter(where)))
        period = self.declared.period
        if period and self.period is not None:
            found[period] = self.period
            self.fallback_cells.pop(period, None)
        elif (
            period
            and self.declared.period_from_file_name
            and period not in columns
            and period not in found
        ):
            found[period] = file_name_stem(self.file_name)
            code = Code.PERIOD_FROM_FILE_NAME
            self.problem(code, code.message(period=period, value=found[period]))
        return found

    def _check_missing(self, columns, fallbacks, header_row) -> bool:
        ok = True
        for column in self.declared.columns:
            if column.name in columns or column.name in fallbacks:
                continue
            if column.required and column.default is None:
                ok = False
                hint = " (or give it when uploading)" if column.name == self.declared.period else ""
                code = Code.MISSING_COLUMN
                message = code.message(column=column.name, hint=hint, help=column.help)
                self.problem(code, message, header_row)
        return ok

    def _data_rows(self, header_index: int) -> tuple[list[int], list[list]]:
        numbers, rows = [], []
        # Two tables pasted one under the other repeat the header; it is no data row, and
        # parsing it would bury the officer in a type error for every one of its cells.
        header = _trimmed(self.raw.rows[header_index])
        first = next(i for i, cell in enumerate(header) if not values.is_blank(cell))
        below = self.raw.rows[header_index + 1 :]
        if _all_data(below, first, header[first]):
            numbers, rows = list(range(header_index + 2, len(self.raw.rows) + 1)), below
        else:
            numbers, rows = self._data_rows_one_by_one(header_index, header, first)
        while rows and _is_total_row(rows[-1]):
            skipped = Code.TOTAL_ROW_SKIPPED
            self.problem(skipped, skipped.message(), numbers[-1])
            rows.pop()
            numbers.pop()
        return numbers, rows

    def _data_rows_one_by_one(self, header_index: int, header: list, first: int):
        numbers, rows = [], []
        for index in range(header_index + 1, len(self.raw.rows)):
            row = self.raw.rows[index]
            if first < len(row) and row[first] == header[first] and _trimmed(row) == header:
                self.problem(Code.REPEATED_HEADER, Code.REPEATED_HEADER.message(), index + 1)
            elif _has_content(row):
                numbers.append(index + 1)
                rows.append(row)
        return numbers, rows

    def _parse_column(self, column: Column, columns, rows, numbers, parsed) -> list:
        index = columns.get(column.name)
        parser = self._parser(column, parsed, numbers)
        fallback = self._parse_fallback(column, parser, parsed.header_row)
        if index is None:
            return [column.default if fallback is None else fallback] * len(rows)
        raw = _column_cells(rows, index, self.shortest_row)
        required = column.required and column.default is None and fallback is None
        parsed_values, problems = values.parse_column(raw, parser, required=required)
        problems += _out_of_bounds(column, parsed_values)
        for position, code, message in problems:
            if code == Code.MISSING_VALUE:
                message = code.message(column=column.name, help=column.help)
            elif code in _UNSAVED_CODES:  # the message names the cell, as Problem does
                where = Problem(code, "", self.name, numbers[position], letter(index)).cell
                message = f"{where} {message}"
            self.problem(code, message, numbers[position], letter(index))
        if column.kind is Kind.DATE and values.day_and_month_may_be_swapped(raw):
            ambiguous = Code.DAY_MONTH_AMBIGUOUS
            message = ambiguous.message(column=column.name)
            self.problem(ambiguous, message, parsed.header_row, letter(index))
        default = column.default if fallback is None else fallback
        if default is not None:
            parsed_values = [default if v is None else v for v in parsed_values]
        return parsed_values

    def _parse_fallback(self, column: Column, parser, header_row: int) -> object:
        """Parse the value given above the header or at upload for a column, once."""
        if column.name not in self.fallbacks:
            return None
        # A value from a line above the header is blamed on its cell there; one given at
        # upload, on the header row.
        row, where = self.fallback_cells.get(column.name, (header_row, None))
        if (unsaved := values.unsaved_value(self.fallbacks[column.name])) is not None:
            self.problem(unsaved[0], f"{column.name} {unsaved[1]}", row, where)
            return None
        try:
            return parser(self.fallbacks[column.name])
        except values.ValueProblem as problem:
            self.problem(problem.code, f"{column.name}: {problem.message}", row, where)
            return None

    def _parser(self, column: Column, parsed: ParsedSheet, numbers: list[int]):
        kind = column.kind
        base = {
            Kind.TEXT: values.parse_text,
            Kind.URL: values.parse_url,
            Kind.MONEY: values.parse_money,
            Kind.INTEGER: values.parse_integer,
            Kind.DATE: values.parse_date,
            Kind.YES_NO: values.parse_yes_no,
            Kind.FINANCIAL_YEAR: values.parse_financial_year,
            Kind.QUARTER: values.parse_quarter,
        }.get(kind)
        if kind is Kind.CHOICE:
            base = partial(values.parse_choice, choices=column.choices)
        elif kind is Kind.COUNCIL:
            base = self._resolve_council
        elif kind is Kind.COUNCILS:
            base = self._resolve_councils
        return base

    def _resolve_council(self, value: object) -> str:
        name = values.parse_text(value)
        council = self.register.resolve(name)
        if council is None:
            raise values.ValueProblem(Code.UNKNOWN_COUNCIL, _unknown_council(name, self.register))
        self.result.resolutions[name] = council.gss_code
        return council.gss_code

    def _resolve_councils(self, value: object) -> str:
        names = split_council_list(values.parse_text(value))
        unknown = [n for n in names if self.register.resolve(n) is None]
        if unknown:
            raise values.ValueProblem(
                Code.UNKNOWN_COUNCIL, " ".join(_unknown_council(n, self.register) for n in unknown)
            )
        return ";".join(self._resolve_council(n) for n in names)


def _out_of_bounds(column: Column, parsed: list) -> list[tuple[int, str, str]]:
    """Return (index, code, message) for each parsed value outside the column's range."""
    low, high = column.minimum, column.maximum
    if low is None and high is None:
        return []
    present = parsed if None not in parsed else [v for v in parsed if v is not None]
    if not present or (
        (low is None or min(present) >= low) and (high is None or max(present) <= high)
    ):
        return []  # the usual column: one pass in C instead of a comparison per cell in Python
    problems = []
    if low is not None:
        code = Code.NEGATIVE_VALUE if low == 0 else Code.OUT_OF_RANGE
        message = f"{column.name} must be at least {low:g}."
        problems += [(i, code, message) for i, v in enumerate(parsed) if v is not None and v < low]
    if high is not None:
        message = f"{column.name} must be at most {high:g}."
        problems += [
            (i, Code.OUT_OF_RANGE, message)
            for i, v in enumerate(parsed)
            if v is not None and v > high
        ]
    return problems


def _all_different(column: list, count: int) -> bool:
    """Say whether no two of a column's count values are equal."""
    # A set compares as the rows' tuples do (1 == 1.0 == True alike), so when one column's
    # values are all different, so are the rows.
    return len(column) == count and len(set(column)) == count


def _unknown_council(name: str, register: CouncilRegister) -> str:
    suggestions = register.suggest(name, limit=3)
    hint = (
        f" Did you mean {' or '.join(c.official_name for c in suggestions)}?" if suggestions else ""
    )
    return f'"{name}" is not an English council in the register.{hint}'


def _column_cells(rows: list[list], index: int, shortest: int) -> list:
    if index < shortest:
        return [row[index] for row in rows]
    return [row[index] if index < len(row) else None for row in rows]


def _all_data(rows: list[list], first: int, heading: object) -> bool:
    """Say whether every row has content in the header's first column and none repeats the
    header there, so that each is a data row: decided in C for the usual sheet."""
    if not rows or any(len(row) <= first for row in rows):
        return False
    cells = list(map(itemgetter(first), rows))
    kinds = set(map(type, cells))
    if kinds & {type(None), CellError, float} or heading in cells:
        return False  # blanks, error cells or NaN: the rows are judged one by one
    return str not in kinds or (kinds == {str} and all(map(str.strip, cells)))


def _has_content(row: list) -> bool:
    # Most rows start with a value: decide those on their first cell, the rest cell by cell.
    # A row of nothing but errors and formulas never calculated (a lookup copied down past
    # the data) has no value to load, so it is skipped like a blank one.
    first = row[0] if row else None
    if (
        first is not None
        and (type(first) is not str or first.strip())
        and type(first) is not CellError
    ):
        return True
    return any(
        c is not None and type(c) is not CellError and (type(c) is not str or c.strip())
        for c in row
    )


def _trimmed(row: list) -> list:
    end = len(row)
    while end and values.is_blank(row[end - 1]):
        end -= 1
    return row[:end]


def _is_total_row(row: list) -> bool:
    first = next((c for c in row if not values.is_blank(c)), None)
    return isinstance(first, str) and bool(_TOTAL.match(first))


def _period_keys(column: list) -> list[str]:
    """Return each row's period key: its period's text, a date's ISO form."""
    if set(map(type, column)) == {str}:  # the usual period column, a title: its own key
        return list(column)
    return [_period_key(v) for v in column]


def _period_key(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
