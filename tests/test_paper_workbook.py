"""The figures workbook: the metrics command's figures, their sources, and inert uploaded text."""

import datetime as dt
import hashlib
import io
import json

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from pypdf import PdfReader

from lgadata import queries
from lgadata.auth import command_line
from lgadata.cli import main
from lgadata.commentary import write_commentary
from lgadata.db import get_engine
from lgadata.meetings import add_meeting
from lgadata.models import Upload
from lgadata.paper import build_paper, figures_workbook, render_docx, render_pdf
from lgadata.paper.workbook import text_cell
from lgadata.sections import registry
from lgadata.settings import get_settings
from tests.conftest import save_accounts
from tests.workbooks import ARRANGEMENT_HEADER, check_and_store, make_xlsx

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1)"]
SHEETS = [*(sheet.name for sheet in registry.sheets()), "Sources"]


def read(data: bytes):
    return load_workbook(io.BytesIO(data))


def headline(sheet) -> dict:
    """Return a sheet's headline figures, label to value."""
    rows = iter(sheet.iter_rows(values_only=True))
    for row in rows:
        if row[0] == "Figure":
            break
    found = {}
    for row in rows:
        if row[0] is None:
            break
        found[row[0]] = row[1]
    return found


def table(sheet, title: str) -> list[tuple]:
    """Return the cells of a titled table's rows, header row first."""
    rows = iter(sheet.iter_rows())
    for row in rows:
        if row[0].value == title:
            break
    else:
        raise AssertionError(f"no table {title!r}")
    found = []
    for row in rows:
        if row[0].value is None:
            break
        found.append(row)
    return found


def expected(figures: dict) -> dict[str, dict]:
    """Return what each sheet's headline figures must be, from the metrics command's output."""
    shared, cap = figures["shared_services"]["latest"], figures["capital_assets"]
    pilots, outcomes = figures["tenancy_fraud"]["pilots"], figures["tenancy_fraud"]["outcomes"]
    bulletins, programme = figures["ebulletin"]["bulletins"], figures["programme"]
    year, councils, latest = cap["latest"], cap["councils"], bulletins[0]
    return {
        "Shared Services Map": {
            "Councils sharing services": shared["councils"],
            "Arrangements": shared["arrangements"],
            "Efficiency savings": shared["savings_gbp"],
            "Arrangements not reporting savings": shared["savings_not_reported"],
            "Share of English councils sharing services": shared["share_of_councils"],
        },
        "Capital and Assets": {
            "Budget": year["budget_gbp"],
            "Spent": year["spent_gbp"],
            "Share of the budget spent": year["spent_share"],
            "Budget for secondees": year["secondees_gbp"],
            "Secondees' share of the budget": year["secondee_share"],
            "Councils taking part": councils["councils"],
            "Current wave": councils["current_wave"],
            "Councils in the current wave": councils["current_wave_councils"],
            "Capital receipts": councils["capital_receipts_gbp"],
            "Running-cost savings": councils["running_cost_savings_gbp"],
        },
        "Tenancy Fraud Pilot": {
            "Pilot groups": len(pilots),
            "Councils in the pilots": sum(len(p["councils"]) for p in pilots),
            "Referrals": outcomes["referrals"],
            "Investigations opened": outcomes["investigations_opened"],
            "Properties recovered": outcomes["properties_recovered"],
            "Prosecutions": outcomes["prosecutions"],
            "Notional savings": outcomes["notional_savings_gbp"],
            "Notional saving a property": outcomes["value_per_property_gbp"],
        },
        "E-bulletin statistics": {
            "Views of the latest bulletin": latest["views"],
            "Links in the latest bulletin": latest["links"],
            "Top link": latest["top_url"],
            "Top link's views": latest["top_views"],
            "Top link's share of views": latest["top_share"],
            "Productivity Programme share of views": latest["programme_share"],
            "Bulletins whose top link is a programme page": sum(
                b["top_is_programme"] for b in bulletins
            ),
        },
        "Programme and procurement": {
            "Milestones": programme["milestones"],
            "Overdue at the meeting": programme["overdue"],
            **{f"Milestones {s.lower()}": n for s, n in programme["by_status"].items()},
            "Procurement deep dives": len(programme["deep_dives"]),
            "Planned spend in scope": sum(
                d["planned_spend_gbp"] or 0 for d in programme["deep_dives"]
            ),
        },
    }


@pytest.fixture
def metrics_command(database_url, monkeypatch, capsys):
    """Run `python -m lgadata metrics --json` on the test database and return its figures."""
    monkeypatch.setenv("LGADATA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    get_engine.cache_clear()

    def run() -> dict:
        assert main(["metrics", "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    yield run
    get_engine.cache_clear()
    get_settings.cache_clear()


def test_the_workbooks_figures_equal_the_metrics_commands(sample_engine, metrics_command):
    figures = metrics_command()
    book = read(figures_workbook(engine=sample_engine, meeting_date=dt.date.today()))
    assert book.sheetnames == SHEETS
    for sheet, wanted in expected(figures).items():
        assert headline(book[sheet]) == pytest.approx(wanted), sheet


def test_money_and_shares_are_real_numbers_with_number_formats(sample_engine):
    book = read(figures_workbook(engine=sample_engine, meeting_date=dt.date(2013, 3, 20)))
    figures = {row[0].value: row[1] for row in book["Shared Services Map"].iter_rows(max_row=12)}
    assert figures["Efficiency savings"].value == 278_000_000
    assert figures["Efficiency savings"].number_format == '"£"#,##0'
    assert figures["Councils sharing services"].value == 337
    assert figures["Share of English councils sharing services"].number_format == "0%"


@pytest.mark.parametrize(
    ("meeting", "sheet", "figure", "value"),
    [
        # The paper for 20 March 2013 must not quote the bulletin sent on 21 March 2013.
        (dt.date(2013, 3, 20), "E-bulletin statistics", "Views of the latest bulletin", 5_374),
        (dt.date(2013, 3, 21), "E-bulletin statistics", "Views of the latest bulletin", 3_337),
        # Before the January 2013 map, the November 2011 edition is the latest.
        (dt.date(2013, 1, 30), "Shared Services Map", "Councils sharing services", 220),
        (dt.date(2013, 1, 31), "Shared Services Map", "Councils sharing services", 337),
    ],
)
def test_periods_dated_after_the_meeting_are_left_out(sample_engine, meeting, sheet, figure, value):
    book = read(figures_workbook(engine=sample_engine, meeting_date=meeting))
    assert headline(book[sheet])[figure] == value


def test_a_meeting_before_any_bulletin_lists_none(sample_engine):
    book = read(figures_workbook(engine=sample_engine, meeting_date=dt.date(2012, 1, 1)))
    sheet = book["E-bulletin statistics"]
    assert [c.value for c in sheet["A"] if c.value] == [
        "E-bulletin statistics",
        sheet["A2"].value,
        "No E-bulletin statistics data has been uploaded for periods up to this meeting.",
    ]


def test_the_sources_sheet_has_each_uploads_sha256_and_every_cited_upload(sample_engine):
    book = read(figures_workbook(engine=sample_engine, meeting_date=dt.date(2013, 3, 20)))
    [header, *rows] = book["Sources"].iter_rows(min_row=4)
    assert [c.value for c in header] == [
        "Upload",
        "Workstream",
        "File name",
        "Uploaded by",
        "Uploaded at (UTC)",
        "SHA-256",
        "Note",
    ]
    listed = {row[0].value: row[5].value for row in rows}
    for upload_id, sha256 in listed.items():
        content = queries.upload_file(engine=sample_engine, upload_id=upload_id)
        assert sha256 == hashlib.sha256(content).hexdigest()
    assert set(listed) == {e["id"] for e in queries.history(engine=sample_engine)}
    cited = set()
    for sheet in SHEETS[:-1]:
        column = None
        for row in book[sheet].iter_rows(values_only=True):
            if row[0] is None:  # a blank row ends a table
                column = None
            elif "Source upload" in row:
                column = row.index("Source upload")
            elif column is not None and row[column] is not None:
                cited |= {int(n) for n in str(row[column]).split(", ")}
    assert cited and cited <= set(listed)


def test_an_empty_database_gives_a_workbook_that_says_so(empty_engine):
    book = read(figures_workbook(engine=empty_engine, meeting_date=dt.date(2013, 3, 20)))
    assert book.sheetnames == SHEETS
    assert "No Shared Services Map data has been uploaded for periods up to this meeting." in [
        c.value for c in book["Shared Services Map"]["A"]
    ]
    assert book["Sources"].max_row == 4  # the heading rows only


def typed_text(value: str) -> Cell:
    """Return a cell holding text as Excel keeps text typed after an apostrophe."""
    cell = Cell(None, value=value)
    cell.data_type = "s"
    return cell


def hostile_arrangements() -> bytes:
    rows = [
        ["2013-01-31", typed_text(name), "Stroud", "Gloucester City", "Legal",
         typed_text("=1+1"), None, 1000, typed_text("@note"), "Operational"]
        for name in HOSTILE
    ]  # fmt: skip
    return make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]})


def test_uploaded_text_that_looks_like_a_formula_comes_out_as_text(empty_engine):
    check_and_store(
        empty_engine, hostile_arrangements(), workstream="shared_services", file_name="map.xlsx"
    )
    book = read(figures_workbook(engine=empty_engine, meeting_date=dt.date(2013, 3, 20)))
    [_, *rows] = table(book["Shared Services Map"], "Arrangements in the map of 31 January 2013")
    assert sorted(row[0].value for row in rows) == sorted(HOSTILE)
    for row in rows:
        for cell in (row[0], row[4], row[7]):
            assert cell.data_type == "s" and cell.quotePrefix, cell.value
        assert (row[4].value, row[7].value) == ("=1+1", "@note")


@pytest.mark.parametrize(
    "text", [*HOSTILE, "\t=1+1", "\r=1+1", "=", "Plain text", "- a list item", "£278m"]
)
def test_text_cells_keep_the_text_exactly_and_are_never_formulas(text):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Text")
    sheet.append([text_cell(sheet, text)])
    buffer = io.BytesIO()
    book.save(buffer)
    [[cell]] = read(buffer.getvalue())["Text"].iter_rows()
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_paper_prints_formula_like_milestone_names_as_written(empty_engine):
    rows = [["Commissioning Academy", typed_text(name), "2013-03-01", "Done", None, None]
            for name in HOSTILE]  # fmt: skip
    header = ["workstream", "milestone", "due", "status", "owner", "notes"]
    milestones = make_xlsx({"Milestones": [header, *rows]})
    check_and_store(
        empty_engine, milestones, workstream="programme_milestones", file_name="programme.xlsx"
    )
    meeting = dt.date(2013, 3, 20)
    paper = build_paper(engine=empty_engine, meeting_date=meeting)
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(paper))).pages)
    docx = "\n".join(p.text for p in Document(io.BytesIO(render_docx(paper))).paragraphs)
    [_, *listed] = table(
        read(figures_workbook(engine=empty_engine, meeting_date=meeting))[
            "Programme and procurement"
        ],
        "Programme milestones",
    )
    for name in HOSTILE:
        assert name in docx, name
        assert name in pdf.replace("\n", ""), name
    assert sorted(row[1].value for row in listed) == sorted(HOSTILE)
    assert all(row[1].data_type == "s" for row in listed)


def commentary_rows(book) -> list[tuple]:
    [_, *rows] = table(book["Commentary"], "Commentary for the meeting")
    return rows


def test_a_registered_meeting_adds_its_commentary_with_who_and_when_as_text(empty_engine):
    clerk, officer = command_line("clerk@example.gov.uk"), command_line("officer@example.gov.uk")
    board = add_meeting(
        engine=empty_engine, by=clerk, meets_on=dt.date(2013, 7, 10), title="Improvement Board"
    )
    other = add_meeting(
        engine=empty_engine, by=clerk, meets_on=dt.date(2013, 3, 20), title="Spring"
    )
    write_commentary(engine=empty_engine, by=clerk, meeting_id=other.id,
                     section="shared_services", text="Said in March")  # fmt: skip
    write_commentary(engine=empty_engine, by=clerk, meeting_id=board.id,
                     section="capital_assets", text="First draft")  # fmt: skip
    written = [
        write_commentary(engine=empty_engine, by=who, meeting_id=board.id, section=key, text=text)
        for who, key, text in [
            (officer, "capital_assets", HOSTILE[0]),
            (clerk, "shared_services", "Savings rose: two counties joined."),
        ]
    ]
    book = read(figures_workbook(engine=empty_engine, meeting_date=dt.date(2013, 7, 10)))
    assert book.sheetnames == [*SHEETS[:-1], "Commentary", "Sources"]
    rows = commentary_rows(book)
    # In the report's order, the newest version of each, this meeting's only.
    assert [[c.value for c in row[:4]] for row in rows] == [
        ["Capital and Assets Programme", HOSTILE[0], "officer@example.gov.uk",
         written[0].written_at.replace(tzinfo=None, microsecond=0)],
        ["Shared Services Map", "Savings rose: two counties joined.", "clerk@example.gov.uk",
         written[1].written_at.replace(tzinfo=None, microsecond=0)],
    ]  # fmt: skip
    for row in rows:
        assert all(cell.data_type == "s" for cell in row[:3])
    assert rows[0][1].quotePrefix  # a formula-like commentary stays text


def test_a_meeting_without_commentary_says_so_and_a_date_without_a_meeting_has_no_sheet(
    empty_engine,
):
    add_meeting(
        engine=empty_engine, by=command_line("clerk"), meets_on=dt.date(2013, 7, 10), title="Board"
    )
    book = read(figures_workbook(engine=empty_engine, meeting_date=dt.date(2013, 7, 10)))
    assert [c.value for c in commentary_rows(book)[0]][:1] == ["None."]
    book = read(figures_workbook(engine=empty_engine, meeting_date=dt.date(2013, 7, 11)))
    assert "Commentary" not in book.sheetnames


def test_the_reasons_given_for_the_meeting_are_in_the_commentary_sheet_as_text(empty_engine):
    from tests.test_thresholds import OFFICER, pilots, store

    save_accounts(empty_engine, OFFICER)
    for day in (dt.date(2013, 3, 20), dt.date(2013, 7, 10)):
        add_meeting(engine=empty_engine, by=OFFICER, meets_on=day, title="Board")
    first = store(empty_engine, pilots(("North", "Amber")))
    red = store(empty_engine, pilots(("North", "Red")), reason=HOSTILE[0])
    moments = {first.id: dt.datetime(2013, 1, 1), red.id: dt.datetime(2013, 5, 1, 9, 30)}
    with empty_engine.begin() as conn:
        for upload_id, moment in moments.items():
            conn.execute(
                sa.update(Upload)
                .where(Upload.id == upload_id)
                .values(uploaded_at=moment.replace(tzinfo=dt.UTC))
            )
    book = read(figures_workbook(engine=empty_engine, meeting_date=dt.date(2013, 7, 10)))
    [_, *rows] = table(book["Commentary"], "Reasons given for crossing a threshold")
    # Under each section whose commentary in the paper gives it (reasons_for_meeting).
    given = [s.title for s in registry.SECTIONS if "tenancy_fraud" in s.workstreams]
    assert len(given) > 0
    assert [[c.value for c in row] for row in rows] == [
        [title, HOSTILE[0], "test", dt.datetime(2013, 5, 1, 9, 30),
         "Housing Tenancy Fraud Pilot version 2"]
        for title in given
    ]  # fmt: skip
    assert rows[0][1].data_type == "s" and rows[0][1].quotePrefix  # text, never a formula
    # The March meeting had no meeting before it: no reasons, and the table says so.
    book = read(figures_workbook(engine=empty_engine, meeting_date=dt.date(2013, 3, 20)))
    [_, *rows] = table(book["Commentary"], "Reasons given for crossing a threshold")
    assert [c.value for c in rows[0]][:1] == ["None."]
