"""The reader's column-wise fast paths give exactly what the cell-by-cell ones gave."""

import datetime
import math
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from lgadata.reader.binary import _rows
from lgadata.reader.workbook import CellError, RawSheet

# What python-calamine's to_python() hands over, and the values that compare equal across
# types (1, 1.0, True; a date and midnight of that date), which must never be merged.
_CELLS = st.one_of(
    st.sampled_from(["", " ", "a", "1", "#DIV/0!", 0, 1, 1.0, 0.0, True, False]),
    st.text(max_size=5),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(datetime.date(2013, 1, 1), datetime.date(2013, 1, 3)),
    st.datetimes(datetime.datetime(2013, 1, 1), datetime.datetime(2013, 1, 2)),
    st.times(datetime.time(0), datetime.time(0, 0, 2)),
)
_RECTANGLES = st.integers(0, 5).flatmap(
    lambda width: st.lists(st.lists(_CELLS, min_size=width, max_size=width), max_size=8)
)
_RAGGED = st.lists(st.lists(_CELLS, max_size=5), max_size=8)


def _typed(rows: list[list]) -> list[list[tuple[type, object]]]:
    return [[(type(value), value) for value in row] for row in rows]


def _cell_by_cell(cells: list[list]) -> list[list]:
    """The reader's rows as the loop over every cell made them before the column fast path."""
    return [[None if value == "" else value for value in row] for row in cells]


@given(st.one_of(_RECTANGLES, _RAGGED))
def test_rows_are_the_cells_with_blanks_as_none_and_every_type_kept(cells):
    assert _typed(_rows(cells)) == _typed(_cell_by_cell(cells))


@given(st.one_of(_RECTANGLES, _RAGGED))
def test_rows_never_merge_values_of_different_types_that_compare_equal(cells):
    for row, before in zip(_rows(cells), cells, strict=True):
        for value, original in zip(row, before, strict=True):
            assert original == "" or type(value) is type(original)


@given(st.one_of(_RECTANGLES, _RAGGED), st.booleans())
def test_a_sheet_sent_from_the_child_arrives_exactly_as_it_left(cells, hidden):
    rows = _rows(cells)
    if rows and rows[0]:
        rows[0][0] = CellError("#N/A")  # the reader's marks travel with the cells
    sheet = RawSheet("Links", rows, hidden)
    back = pickle.loads(pickle.dumps(sheet, protocol=pickle.HIGHEST_PROTOCOL))
    assert (back.name, back.hidden) == ("Links", hidden)
    assert _typed(back.rows) == _typed(sheet.rows)
    assert all(type(row) is list for row in back.rows)


def test_repeated_text_arrives_as_one_object():
    sheet = RawSheet("Links", _rows([["Bulletin 1", "a"], ["Bulletin 1", "b"]]))
    back = pickle.loads(pickle.dumps(sheet, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.rows[0][0] is back.rows[1][0]


# Each example parses a column of over 1,000 cells twice; a busy machine is slow at it.
@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.sampled_from(["Yes", " no ", "a  b", "", "https://x.uk/", "www.y", "1,234"])),
    st.sampled_from(["parse_text", "parse_url", "parse_integer", "parse_money", "parse_date"]),
    st.booleans(),
)
def test_a_column_of_repeated_text_parses_as_cell_by_cell(cells, parser_name, required):
    from lgadata import values

    parser = getattr(values, parser_name)
    column = cells * (1_001 // max(len(cells), 1) + 1) if cells else []
    parsed, problems = values.parse_column(column, parser, required=required)
    one_by_one = [values.parse_column([cell], parser, required=required) for cell in column]
    assert _typed([parsed]) == _typed([[cell[0][0] for cell in one_by_one]])
    assert problems == [
        (index, *problem[1:]) for index, cell in enumerate(one_by_one) for problem in cell[1]
    ]


# Spaces and letters mostly, where the tests at once are subtlest; then other white space.
_TEXTS = st.one_of(st.text(alphabet=" a", max_size=4), st.text(alphabet=" a/.\n\t\xa0\u2028"))


@settings(deadline=None, max_examples=300)
@given(
    st.lists(_TEXTS, min_size=2, max_size=6),
    st.sampled_from(["parse_text", "parse_url"]),
    st.sampled_from(["", "https://", "www.", "/"]),
)
def test_a_column_of_text_judged_at_once_parses_as_cell_by_cell(cells, parser_name, start):
    from lgadata import values

    parser = getattr(values, parser_name)
    column = [start + cell if start and cell else cell for cell in cells]
    parsed, problems = values.parse_column(column, parser, required=True)
    one_by_one = [values.parse_column([cell], parser, required=True) for cell in column]
    assert _typed([parsed]) == _typed([[cell[0][0] for cell in one_by_one]])
    assert problems == [
        (index, *problem[1:]) for index, cell in enumerate(one_by_one) for problem in cell[1]
    ]


# Cells within the sheet, where most marks lie, and past its last row and column, where a
# formula copied down beyond calamine's cells puts some.
_MARKS = st.dictionaries(
    st.tuples(st.integers(0, 9), st.integers(0, 6)),
    st.sampled_from([CellError("#N/A"), CellError("")]),
    max_size=4,
)


@given(st.one_of(_RECTANGLES, _RAGGED), _MARKS)
def test_a_sheet_read_in_columns_has_the_rows_it_had_read_in_rows(cells, marks):
    from lgadata.reader.binary import _columns, _mark, _mark_columns
    from lgadata.reader.workbook import SentSheet, sheet_from_columns

    rows = _rows(cells)
    _mark(rows, marks)
    columns = _columns(cells, marks)
    if columns is None:  # read row by row, as before
        return
    _mark_columns(columns, marks)
    sent = pickle.loads(pickle.dumps(SentSheet("Links", columns, True)))
    for sheet in (sheet_from_columns("Links", columns, True), sent):
        assert type(sheet) is RawSheet and (sheet.name, sheet.hidden) == ("Links", True)
        assert _typed(sheet.rows) == _typed(rows)
        assert all(type(row) is list for row in sheet.rows)


_FIRST_CELLS = st.sampled_from(
    ["bulletin", "url", "Bulletin 1", "", " ", None, CellError("#N/A"), 1.0, 2, math.nan]
)


@settings(deadline=None, max_examples=300)
@given(
    st.lists(st.lists(_FIRST_CELLS, max_size=2), max_size=4),
    st.sampled_from(["bulletin", 1.0]),
)
def test_a_sheets_data_rows_are_found_as_row_by_row(below, heading):
    from lgadata import ingest
    from lgadata.councils import load_register
    from lgadata.sheet_parser import SheetParser
    from lgadata.workstreams import get_workstream

    workstream = get_workstream("ebulletin")
    header = [heading, "url"]
    sheet = RawSheet("Links", [header, *below])

    def found(one_by_one: bool):
        result = ingest.ParsedUpload(workstream, "links.xlsx", "", 0)
        parser = SheetParser(workstream.sheets[0], sheet, result, load_register(), None,
                             file_name="links.xlsx")  # fmt: skip
        if one_by_one:
            rows = parser._data_rows_one_by_one(0, header, 0)
            numbers, rows = rows
            while rows and parser_total(rows[-1]):
                rows.pop(), numbers.pop()
        else:
            numbers, rows = parser._data_rows(0)
        return numbers, [list(map(repr, row)) for row in rows]

    from lgadata.sheet_parser import _is_total_row as parser_total

    assert found(False) == found(True)
