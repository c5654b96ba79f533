"""Random tables within each workstream's schema and just outside it: check and load agree.

LGADATA_PROPERTY_EXAMPLES sets how many tables each test draws (default 20, sized so the
module runs in about a minute on both databases on a busy two-core machine); set it to a
few thousand for a thorough run.
"""

import os

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgadata.auth import command_line
from lgadata.ingest import check_bytes
from lgadata.models import DATA_TABLES
from lgadata.store import StoreError, store_upload
from lgadata.workstreams import WORKSTREAMS
from tests.reliability.snapshot import picture
from tests.reliability.tables import workbook

EXAMPLES = int(os.environ.get("LGADATA_PROPERTY_EXAMPLES", "20"))
DRAWS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # The database is shared by the examples of one test on purpose: each load must leave
    # it whole for the next, as a long-running dashboard's would.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(data: bytes, file_name: str, workstream: str):
    # The isolated reader is the same calamine code in a child; tests/test_reader.py covers
    # the child, so the in-process reader keeps a hundred examples to seconds.
    return check_bytes(data, file_name, workstream=workstream, isolate=False)


def load(engine, data: bytes, file_name: str, workstream: str):
    """Load a file as the command line does: check it, then store it; None when refused."""
    parsed = check(data, file_name, workstream)
    try:
        return store_upload(
            engine=engine, parsed=parsed, content=data, actor=command_line("properties")
        )
    except StoreError:
        return None


def stored_rows(engine, parsed, upload_id: int) -> dict[str, list[tuple]]:
    """Return each sheet's rows as stored for an upload: row number, period and values."""
    found = {}
    with engine.connect() as conn:
        for sheet in parsed.sheets:
            table = DATA_TABLES[sheet.declaration.table]
            names = ["row_no", "period_key", *(c.name for c in sheet.declaration.columns)]
            query = sa.select(*(table.c[n] for n in names)).where(table.c.upload_id == upload_id)
            found[sheet.declaration.name] = [
                tuple(r) for r in conn.execute(query.order_by("row_no"))
            ]
    return found


def checked_rows(parsed) -> dict[str, list[tuple]]:
    """Return each sheet's rows as checked, in the same shape as stored_rows.

    A sheet with a scope (the CAP councils by wave) is stored keyed by it, as the store does.
    """
    from lgadata.store import apply_scopes

    parsed = apply_scopes(parsed)
    found = {}
    for sheet in parsed.sheets:
        names = [c.name for c in sheet.declaration.columns]
        found[sheet.declaration.name] = [
            (record["row"], period, *(record[n] for n in names))
            for record, period in zip(sheet.records(), sheet.period_keys, strict=True)
        ]
    return found


def assert_check_and_load_agree(engine, database_url, drawn) -> object:
    """Check and load the drawn file; return what check made of it."""
    file_name, data = drawn.file()
    workstream = _workstream_of(drawn)
    parsed = check(data, file_name, workstream)
    before = None if parsed.ok else picture(database_url)  # a picture is slow: take it when used
    upload = load(engine, data, file_name, workstream)
    assert (upload is not None) == parsed.ok, [str(p) for p in parsed.errors]
    if upload is None:
        assert picture(database_url) == before
    else:
        assert stored_rows(engine, parsed, upload.id) == checked_rows(parsed)
    return parsed


def _workstream_of(drawn) -> str:
    sheet = drawn.tables[0].sheet
    return next(w.key for w in WORKSTREAMS.values() if sheet in w.sheets)


@pytest.mark.parametrize("workstream", sorted(WORKSTREAMS))
def test_a_table_within_the_schema_is_checked_clean_and_stored_as_checked(
    workstream, empty_engine, database_url
):
    @DRAWS
    @given(drawn=workbook(WORKSTREAMS[workstream], mutate=False))
    def run(drawn):
        parsed = assert_check_and_load_agree(empty_engine, database_url, drawn)
        assert parsed.ok, [str(p) for p in parsed.errors]
        drawn_rows = sum(len(t.rows) for t in drawn.tables)
        assert parsed.row_count == drawn_rows

    run()


@pytest.mark.parametrize("workstream", sorted(WORKSTREAMS))
def test_a_table_just_outside_the_schema_is_refused_where_it_goes_wrong(
    workstream, empty_engine, database_url
):
    @DRAWS
    @given(drawn=workbook(WORKSTREAMS[workstream], mutate=True))
    def run(drawn):
        parsed = assert_check_and_load_agree(empty_engine, database_url, drawn)
        assert not parsed.ok, drawn.mutation
        if drawn.cell:
            assert drawn.cell in [p.cell for p in parsed.errors], drawn.mutation
        if drawn.codes:
            assert drawn.codes & {p.code for p in parsed.errors}, drawn.mutation

    run()


@pytest.mark.parametrize("workstream", sorted(WORKSTREAMS))
@DRAWS
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(["xlsx", "csv", "xls", "ods"]))
def test_any_bytes_at_all_are_checked_without_raising(workstream, data, suffix):
    parsed = check(data, f"anything.{suffix}", workstream)
    assert parsed.ok or all(p.message for p in parsed.errors)
