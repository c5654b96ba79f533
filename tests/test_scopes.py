"""A sheet with no period replaces only the scopes a file lists (CAP councils by wave).

Storing a file that would remove current rows is said before it is stored. Both databases.
"""

import sqlalchemy as sa

from lgadata import queries
from lgadata.auth import command_line
from lgadata.diff import compare
from lgadata.ingest import check_bytes
from lgadata.models import PeriodState
from lgadata.store import (
    Removal,
    apply_scopes,
    removals,
    rollback,
    store_upload,
    whole_sheet_rows,
)
from lgadata.workstreams import WORKSTREAMS
from tests.workbooks import make_xlsx

OFFICER = command_line("officer@example.gov.uk")
BUDGET = [
    ["financial_year", "line", "category", "budget_gbp", "spent_gbp"],
    ["2014/15", "Secondees", "Secondees", 400000, 0],
]
COUNCILS_HEADER = ["council", "wave", "status", "secondee_in_post"]
WAVE_4 = [["Stroud", 4, "Under way", "yes"], ["Cotswold", 4, "Under way", "no"]]


def cap_file(councils: list[list]) -> bytes:
    return make_xlsx({"Budget": BUDGET, "Councils": [COUNCILS_HEADER, *councils]})


def parsed_cap(data: bytes):
    parsed = check_bytes(data, "cap.xlsx", workstream="capital_assets", isolate=False)
    assert parsed.ok, [str(p) for p in parsed.errors]
    return apply_scopes(parsed)


def waves(engine) -> dict[int, int]:
    return {
        w["wave"]: w["councils"] for w in queries.capital_assets_councils(engine=engine)["waves"]
    }


def test_every_sheet_without_a_period_has_a_scope_or_is_one_list():
    scoped = {
        (ws.key, sheet.name): sheet.scope
        for ws in WORKSTREAMS.values()
        for sheet in ws.sheets
        if not sheet.period
    }
    assert scoped == {
        ("capital_assets", "Councils"): "wave",
        # Every fraud workbook carries its Pilots sheet, the whole list of groups, so a new
        # one replaces the groups (a group left out has ended); deep dives are one list too.
        ("tenancy_fraud", "Pilots"): None,
        ("programme_milestones", "Milestones"): "workstream",
        ("programme_milestones", "Deep dives"): None,
    }


def test_a_cap_file_listing_wave_4_replaces_only_wave_4(sample_engine):
    assert waves(sample_engine) == {1: 11, 2: 10, 3: 12, 4: 12}
    parsed = parsed_cap(cap_file(WAVE_4))
    assert parsed.sheets[1].periods == ["4"]
    store_upload(engine=sample_engine, parsed=parsed, content=b"", actor=OFFICER)
    assert waves(sample_engine) == {1: 11, 2: 10, 3: 12, 4: 2}
    budget = queries.capital_assets_years(engine=sample_engine)
    assert [(y["financial_year"], y["budget_gbp"]) for y in budget][-2:] == [
        ("2013/14", 700000),
        ("2014/15", 400000),
    ]


def test_the_rows_a_file_would_remove_are_counted_with_their_waves(sample_engine):
    parsed = parsed_cap(cap_file(WAVE_4))
    assert removals(engine=sample_engine, parsed=parsed) == [Removal("Councils", 12, ("4",))]
    complete = [["Stroud", 4, "Under way", "yes"]]
    assert removals(engine=sample_engine, parsed=parsed_cap(cap_file(complete))) == [
        Removal("Councils", 12, ("4",))
    ]


def test_a_file_that_only_adds_or_changes_rows_removes_nothing(empty_engine):
    parsed = parsed_cap(cap_file(WAVE_4))
    store_upload(engine=empty_engine, parsed=parsed, content=b"", actor=OFFICER)
    again = parsed_cap(cap_file([*WAVE_4, ["Gloucester", 4, "Selected", "no"]]))
    assert removals(engine=empty_engine, parsed=again) == []
    fewer = parsed_cap(cap_file(WAVE_4[:1]))
    assert removals(engine=empty_engine, parsed=fewer) == [Removal("Councils", 1, ("4",))]


def make_whole_sheet(engine) -> None:
    """Turn the stored Councils into what the release before scopes stored: one blank period."""
    table = sa.table("cap_council", sa.column("period_key"))
    with engine.begin() as conn:
        conn.execute(sa.update(table).values(period_key=""))
        conn.execute(
            sa.delete(PeriodState).where(PeriodState.sheet == "Councils", PeriodState.period != "1")
        )
        conn.execute(
            sa.update(PeriodState).where(PeriodState.sheet == "Councils").values(period="")
        )


def test_a_sheet_stored_whole_before_scopes_keeps_the_waves_a_file_leaves_out(sample_engine):
    make_whole_sheet(sample_engine)
    assert waves(sample_engine) == {1: 11, 2: 10, 3: 12, 4: 12}
    parsed = parsed_cap(cap_file(WAVE_4))
    assert removals(engine=sample_engine, parsed=parsed) == [Removal("Councils", 12, ("4",))]
    upload = store_upload(engine=sample_engine, parsed=parsed, content=b"", actor=OFFICER)
    assert waves(sample_engine) == {1: 11, 2: 10, 3: 12, 4: 2}
    again = parsed_cap(cap_file(WAVE_4[:1]))
    assert removals(engine=sample_engine, parsed=again) == [Removal("Councils", 1, ("4",))]
    rollback(engine=sample_engine, upload_id=upload.id, actor=OFFICER)
    assert waves(sample_engine) == {1: 11, 2: 10, 3: 12, 4: 12}


def test_a_milestones_file_for_one_workstream_keeps_the_others(sample_engine):
    before = queries.milestones(engine=sample_engine)
    header = ["workstream", "milestone", "due", "status"]
    row = ["Commissioning Academy", "Cohort 5 begins", "2014-05-01", "Planned"]
    data = make_xlsx({"Milestones": [header, row]})
    parsed = check_bytes(data, "m.xlsx", workstream="programme_milestones", isolate=False)
    assert parsed.ok, [str(p) for p in parsed.errors]
    store_upload(engine=sample_engine, parsed=parsed, content=data, actor=OFFICER)
    after = queries.milestones(engine=sample_engine)
    others = [m for m in before if m["workstream"] != "Commissioning Academy"]
    assert others and [m for m in after if m["workstream"] != "Commissioning Academy"] == others
    academy = [m["milestone"] for m in after if m["workstream"] == "Commissioning Academy"]
    assert academy == ["Cohort 5 begins"]


def test_the_history_records_the_waves_an_upload_replaced(empty_engine):
    parsed = parsed_cap(cap_file(WAVE_4))
    store_upload(engine=empty_engine, parsed=parsed, content=b"", actor=OFFICER)
    [entry] = queries.history(engine=empty_engine)
    assert entry["summary"]["Councils"] == {"rows": 2, "periods": [""], "replaces": ["4"]}


def test_a_sheet_stored_whole_is_compared_with_its_rows_of_the_waves_a_file_lists(sample_engine):
    assert whole_sheet_rows(engine=sample_engine, parsed=parsed_cap(cap_file(WAVE_4))) == {}
    make_whole_sheet(sample_engine)
    parsed = parsed_cap(cap_file(WAVE_4))
    [old] = whole_sheet_rows(engine=sample_engine, parsed=parsed).values()
    assert len(old) == 12 and {row["period_key"] for row in old} == {"4"}
    councils = parsed.sheets[1]
    new = [{"period_key": "4", **record} for record in councils.records()]
    change = compare(councils.declaration, old, new, ["4"])
    assert (len(change.added), len(change.removed)) == (2, 12)
