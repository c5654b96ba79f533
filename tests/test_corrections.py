"""Officers' corrections: applied to the cells read, checked again, kept with the upload."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lgadata import queries
from lgadata.auth import command_line
from lgadata.corrections import (
    apply_corrections,
    as_text,
    column_index,
    corrections_made,
    editable_sheets,
    edits_from,
    recheck,
)
from lgadata.models import UploadFile
from lgadata.reader import RawSheet, RawWorkbook, read_workbook
from lgadata.recognise import check_read
from lgadata.store import store_upload
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx


def arrangement(name: str, lead: str, savings: object = 1000) -> list:
    return ["2013-01-31", name, lead, "", "Legal", "", "", savings, "", ""]


def checked(rows: list[list], sheet: str = "Arrangements"):
    """Return the book read and its check, for a sheet of arrangements."""
    data = make_xlsx({sheet: [ARRANGEMENT_HEADER, *rows]})
    book = read_workbook(data, "map.xlsx", isolate=False)
    result = check_read(book, sha256="abc", size_bytes=len(data), workstream="shared_services")
    return data, book, result.parsed


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("  ", None),
        ("Stroud DC", "Stroud DC"),
        (500.0, "500"),
        (12.5, "12.5"),
        (7, "7"),
        (True, "True"),
        (dt.date(2013, 1, 31), "2013-01-31"),
        (dt.datetime(2013, 1, 31), "2013-01-31"),
        (dt.datetime(2013, 1, 31, 9, 30), "2013-01-31T09:30:00"),
    ],
)
def test_a_cell_is_shown_as_an_officer_would_type_it(value, text):
    assert as_text(value) == text


@pytest.mark.parametrize(("letters", "index"), [("A", 0), ("C", 2), ("Z", 25), ("AA", 26)])
def test_column_letters_give_the_column_index(letters, index):
    assert column_index(letters) == index


def test_corrections_change_a_copy_of_the_book_and_leave_the_read_one_alone():
    book = RawWorkbook("f.xlsx", "xlsx", [RawSheet("S", [["a", "b"], ["c"]])])
    corrected = apply_corrections(book, {("S", 2, "C"): "new", ("S", 1, "A"): "z"})
    assert corrected.sheets[0].rows == [["z", "b"], ["c", None, "new"]]
    assert book.sheets[0].rows == [["a", "b"], ["c"]]


def test_only_rows_with_errors_are_offered_for_correction_in_a_long_sheet():
    rows = [arrangement(f"A{i}", "Stroud DC") for i in range(40)]
    rows[5] = arrangement("A5", "Strowd District Council")
    _, book, parsed = checked(rows)
    [sheet] = editable_sheets(book, parsed)
    assert (sheet.sheet, sheet.rows, sheet.rows_with_errors) == ("Arrangements", (7,), 1)
    assert sheet.letters == tuple("ABCDEFGHIJ")
    assert sheet.headers == tuple(ARRANGEMENT_HEADER)
    assert sheet.cells[0][:3] == ("2013-01-31", "A5", "Strowd District Council")
    assert sheet.cells[0][7] == "1000"


def test_a_small_sheet_with_errors_is_offered_whole():
    _, book, parsed = checked([arrangement("A", "Stroud DC"), arrangement("B", "Nowhere")])
    [sheet] = editable_sheets(book, parsed)
    assert (sheet.rows, sheet.rows_with_errors) == ((2, 3), 1)


def test_a_file_without_errors_offers_nothing_to_correct():
    _, book, parsed = checked([arrangement("A", "Stroud DC")])
    assert editable_sheets(book, parsed) == []


def test_edits_are_the_cells_changed_with_blanks_as_none_and_spaces_trimmed():
    _, book, parsed = checked([arrangement("A", "Nowhere", "lots")])
    [sheet] = editable_sheets(book, parsed)
    cells = [list(sheet.cells[0])]
    cells[0][2], cells[0][7], cells[0][1] = " Stroud DC ", "", "A"
    assert edits_from(sheet, cells) == {
        ("Arrangements", 2, "C"): "Stroud DC",
        ("Arrangements", 2, "H"): None,
    }


def test_a_corrected_council_makes_the_file_pass_and_the_correction_is_listed():
    data, book, parsed = checked(
        [arrangement("A", "Stroud DC"), arrangement("B", "Strowd District Council")]
    )
    assert [(p.cell, p.code) for p in parsed.errors] == [("Arrangements!C3", "unknown-council")]
    fixed, made = recheck(book, parsed, {("Arrangements", 3, "C"): "Stroud DC"})
    assert fixed.ok, [str(p) for p in fixed.errors]
    assert made == [
        {"cell": "Arrangements!C3", "was": "Strowd District Council", "now": "Stroud DC"}
    ]
    assert (fixed.sha256, fixed.size_bytes, fixed.file_name) == ("abc", len(data), "map.xlsx")
    assert fixed.sheets[0].values["lead_council"] == ["E07000082", "E07000082"]


def test_a_correction_that_is_still_wrong_is_reported_at_its_cell():
    _, book, parsed = checked([arrangement("A", "Strowd District Council")])
    fixed, _ = recheck(book, parsed, {("Arrangements", 2, "C"): "Stroudd"})
    assert [(p.cell, p.code) for p in fixed.errors] == [("Arrangements!C2", "unknown-council")]


def test_a_cell_set_back_to_its_uploaded_value_is_not_a_correction():
    _, book, _ = checked([arrangement("A", "Stroud DC", 1000)])
    edits = {("Arrangements", 2, "C"): "Stroud DC", ("Arrangements", 2, "H"): "1000"}
    assert corrections_made(book, edits) == []


def test_a_sheet_name_with_a_space_is_quoted_in_the_cell_reference():
    book = RawWorkbook("p.xlsx", "xlsx", [RawSheet("Deep dives", [["a"], ["b"]])])
    made = corrections_made(book, {("Deep dives", 2, "A"): "c"})
    assert made == [{"cell": "'Deep dives'!A2", "was": "b", "now": "c"}]


def test_a_corrected_upload_keeps_the_bytes_as_uploaded_and_its_corrections(empty_engine):
    data, book, parsed = checked([arrangement("B", "Strowd District Council")])
    fixed, made = recheck(book, parsed, {("Arrangements", 2, "C"): "Stroud DC"})
    upload = store_upload(
        engine=empty_engine,
        parsed=fixed,
        content=data,
        actor=command_line("officer"),
        corrections=made,
    )
    [entry] = queries.history(engine=empty_engine, workstream="shared_services")
    assert entry["summary"]["corrections"] == made
    with empty_engine.connect() as conn:
        stored = conn.execute(
            sa.select(UploadFile.content).where(UploadFile.upload_id == upload.id)
        ).scalar_one()
    assert bytes(stored) == data
    [row] = queries.shared_services_arrangements(engine=empty_engine, as_at="2013-01-31")["rows"]
    assert row["lead_council"] == "Stroud"
