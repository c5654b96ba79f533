"""Templates: written from the declarations, filled in as an officer would, accepted."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from lgadata.ingest import check_bytes, header_keys, normalise_header
from lgadata.templates import build_template
from lgadata.workstreams import WORKSTREAMS, Column, Kind

EXAMPLES = {
    Kind.TEXT: "Example",
    Kind.URL: "https://www.local.gov.uk/productivity",
    Kind.MONEY: "£1.2m",
    Kind.DATE: dt.datetime(2013, 3, 20),
    Kind.YES_NO: "yes",
    Kind.COUNCIL: "Stroud DC",
    Kind.COUNCILS: "Gloucester City; Cotswold",
    Kind.FINANCIAL_YEAR: "2013/14",
    Kind.QUARTER: "2013-Q2",
}


def example(column: Column):
    if column.kind is Kind.CHOICE:
        return column.choices[-1]
    if column.kind is Kind.INTEGER:
        return int(column.minimum or 0) + 1
    return EXAMPLES[column.kind]


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_a_filled_in_template_is_accepted(key):
    workstream = WORKSTREAMS[key]
    book = load_workbook(io.BytesIO(build_template(key)))
    for declared in workstream.sheets:
        sheet = book[declared.name]
        assert [c.value for c in sheet[1]] == [c.label for c in declared.columns]
        sheet.append([example(c) for c in declared.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    result = check_bytes(buffer.getvalue(), f"{key}.xlsx", workstream=key, isolate=False)
    assert result.errors == []
    assert [s.row_count for s in result.sheets] == [1] * len(workstream.sheets)


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_a_template_has_notes_and_a_drop_down_for_every_fixed_list(key):
    book = load_workbook(io.BytesIO(build_template(key)))
    notes = [row[1] for row in book["Notes"].iter_rows(min_row=6, values_only=True)]
    for declared in WORKSTREAMS[key].sheets:
        assert {c.label for c in declared.columns} <= set(notes)
        listed = {
            str(cells).split(":")[0]
            for validation in book[declared.name].data_validations.dataValidation
            for cells in validation.sqref.ranges
        }
        fixed = [i for i, c in enumerate(declared.columns, 1) if c.choices or c.kind is Kind.YES_NO]
        assert listed == {f"{chr(64 + i)}2" for i in fixed}


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_a_blank_template_is_refused_with_one_message_per_required_sheet(key):
    result = check_bytes(build_template(key), "t.xlsx", workstream=key, isolate=False)
    required = [s.name for s in WORKSTREAMS[key].sheets if s.required]
    assert [(p.sheet, p.code) for p in result.errors] == [(n, "no-rows") for n in required]
    assert not result.ok


def test_templates_head_columns_with_plain_labels_not_machine_names():
    book = load_workbook(io.BytesIO(build_template("capital_assets")))
    assert [c.value for c in book["Budget"][1]] == [
        "Financial year",
        "Line",
        "Category",
        "Budget (£)",
        "Spent (£)",
    ]


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_every_label_and_every_declared_name_is_read_as_its_column(key):
    for declared in WORKSTREAMS[key].sheets:
        keys = header_keys(declared)
        for column in declared.columns:
            assert keys[normalise_header(column.label)] == column.name
            assert keys[normalise_header(column.name)] == column.name
