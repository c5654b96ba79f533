"""The command line, driven as an officer would, on both databases."""

import json

import pytest

from lgadata.bootstrap import SAMPLES_DIR
from lgadata.cli import main
from lgadata.db import get_engine
from lgadata.recognise import check_upload, refusal
from lgadata.settings import get_settings
from lgadata.workstreams import PROGRAMME, WORKSTREAMS
from tests.workbooks import ARRANGEMENT_HEADER, make_xlsx


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    """Run `python -m lgadata ARGS --json` against a fresh database; return (status, output)."""
    monkeypatch.setenv("LGADATA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    get_engine.cache_clear()

    def run(*args: str) -> tuple[int, dict]:
        status = main([*args, "--json"])
        return status, json.loads(capsys.readouterr().out)

    yield run
    get_engine.cache_clear()
    get_settings.cache_clear()


def write(tmp_path, name: str, rows: list[list]) -> str:
    path = tmp_path / name
    path.write_bytes(make_xlsx({"Arrangements": [ARRANGEMENT_HEADER, *rows]}))
    return str(path)


def test_init_then_metrics_prints_the_board_reports_figures(cli):
    status, init = cli("init")
    assert status == 0 and set(init["samples_loaded"]) == set(WORKSTREAMS)
    status, figures = cli("metrics")
    latest = figures["shared_services"]["latest"]
    previous = figures["shared_services"]["previous"]
    assert (latest["councils"], latest["arrangements"], latest["savings_gbp"]) == (
        337,
        325,
        278_000_000,
    )
    assert (previous["councils"], previous["arrangements"], previous["savings_gbp"]) == (
        220,
        170,
        165_000_000,
    )
    assert latest["share_of_councils"] >= 0.95
    cap = figures["capital_assets"]
    assert cap["latest"]["financial_year"] == "2013/14"
    assert cap["latest"]["budget_gbp"] == 700_000
    assert cap["councils"]["current_wave_councils"] == 12
    assert cap["councils"]["earlier_waves"] == 3
    pilots = {p["pilot"]: set(p["short_names"]) for p in figures["tenancy_fraud"]["pilots"]}
    assert sorted(pilots.values(), key=len) == [
        {"Stroud", "Gloucester"},
        {"Three Rivers", "Watford"},
        {"Huntingdonshire", "Fenland", "Peterborough"},
    ]
    assert {p["status"] for p in figures["tenancy_fraud"]["pilots"]} == {"Initial meeting held"}
    bulletins = figures["ebulletin"]["bulletins"]
    assert len(bulletins) == 5 and all(b["top_is_programme"] for b in bulletins)
    deep_dives = {(d["organisation"], d["category"]) for d in figures["programme"]["deep_dives"]}
    assert deep_dives == {
        ("Gloucestershire County Council", "Energy"),
        ("Lincolnshire Procurement Partnership", "Construction"),
        ("London Borough of Camden", "ICT"),
    }


def test_check_names_the_bad_cell_and_stores_nothing(cli, tmp_path):
    cli("init")
    bad = write(tmp_path, "map.xlsx", [["2013-01-31", "A", "Stroude DC", "", "Legal"]])
    status, result = cli("check", "shared_services", bad)
    assert status == 1 and result["ok"] is False
    assert [(e["cell"], e["code"]) for e in result["errors"]] == [
        ("Arrangements!C2", "unknown-council")
    ]
    assert "Stroud District Council" in result["errors"][0]["message"]
    _, history = cli("history", "shared_services")
    assert len(history["uploads"]) == 1  # the sample only


def test_history_json_names_each_workstream_by_its_published_key(cli):
    _, history = cli("history")
    named = {u["workstream"] for u in history["uploads"]}
    assert named == {w.published_key for w in WORKSTREAMS.values()}
    assert PROGRAMME.published_key in named and PROGRAMME.key not in named


def test_load_history_and_rollback_round_trip(cli, tmp_path):
    cli("init")
    good = write(tmp_path, "map.xlsx", [["2013-01-31", "A", "Stroud DC", "", "Legal", "", "", 5]])
    reason = ("--reason", "A one-arrangement test edition")  # savings fall from £278m to £5
    status, loaded = cli("load", "shared_services", good, "--by", "Jo Officer", *reason)
    assert status == 0 and loaded["ok"] and loaded["rows"] == 1
    _, figures = cli("metrics")
    assert figures["shared_services"]["latest"]["arrangements"] == 1
    status, undone = cli("rollback", str(loaded["upload_id"]), "--by", "Admin")
    assert status == 0 and len(undone["restored"]) == 1
    _, figures = cli("metrics")
    assert figures["shared_services"]["latest"]["arrangements"] == 325
    _, history = cli("history", "shared_services")
    assert [(u["kind"], u["uploaded_by"]) for u in history["uploads"][:2]] == [
        ("rollback", "Admin"),
        ("upload", "Jo Officer"),
    ]


def test_load_of_a_file_crossing_a_threshold_needs_a_reason(cli, tmp_path):
    cli("init")
    edition = write(
        tmp_path, "map.xlsx", [["2013-01-31", "A", "Stroud DC", "", "Legal", "", "", 5]]
    )
    status, refused = cli("load", "shared_services", edition, "--by", "Jo Officer")
    assert status == 1
    message = refused["errors"][0]["message"]
    assert "needs a one-line reason" in message
    assert "Efficiency savings would move from £278m to £5" in message
    _, history = cli("history", "shared_services")
    assert len(history["uploads"]) == 1  # nothing stored: the sample only
    status, loaded = cli(
        "load", "shared_services", edition, "--reason", "  Only one council\nso far "
    )
    assert status == 0
    _, history = cli("history", "shared_services")
    assert history["uploads"][0]["reason"] == "Only one council so far"
    assert history["uploads"][0]["crossings"][0].startswith("Efficiency savings would move")


def test_load_of_a_bad_file_exits_non_zero_and_lists_every_error(cli, tmp_path):
    rows = [["2013-01-31", "A", "Nowhere", "", "Bins", "", "", "lots"]]
    status, result = cli("load", "shared_services", write(tmp_path, "bad.xlsx", rows))
    assert status == 1
    assert {e["code"] for e in result["errors"]} == {
        "unknown-council",
        "not-in-list",
        "invalid-money",
    }
    assert all({"sheet", "row", "column", "message"} <= set(e) for e in result["errors"])


def test_the_template_command_writes_a_workbook(cli, tmp_path):
    out = tmp_path / "template.xlsx"
    status, result = cli("template", "ebulletin", "-o", str(out))
    assert status == 0 and result["ok"]
    assert out.read_bytes()[:2] == b"PK"


def test_rolling_back_an_unknown_upload_says_so_without_a_traceback(cli):
    cli("init")
    status, result = cli("rollback", "999")
    assert status == 1
    assert result["errors"][0]["message"] == "There is no upload 999."


def test_a_missing_file_is_reported_plainly(cli, tmp_path):
    status, result = cli("check", "ebulletin", str(tmp_path / "nope.xlsx"))
    assert status == 1 and "No such file" in result["errors"][0]["message"]


def test_the_first_administrator_is_created_on_the_command_line(cli, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    status, saved = cli("user", "add", "Admin@Example.gov.uk", "--role", "admin")
    assert status == 0 and saved["ok"]
    _, listed = cli("user", "list")
    assert [(u["email"], u["role"]) for u in listed["users"]] == [("admin@example.gov.uk", "admin")]
    _, log = cli("audit")
    samples = ["upload"] * len(WORKSTREAMS)  # one sample upload per workstream
    assert [e["action"] for e in log["events"]] == ["user added", *samples]


def test_a_short_password_is_refused_and_no_user_is_made(cli, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    status, result = cli("user", "add", "x@example.gov.uk", "--role", "officer")
    assert status == 1 and "12 characters" in result["errors"][0]["message"]
    assert cli("user", "list")[1]["users"] == []


@pytest.mark.parametrize(
    ("name", "kind", "magic"),
    [
        ("paper.pdf", "pdf", b"%PDF-"),
        ("paper.docx", "docx", b"PK"),
        ("figures.xlsx", "xlsx", b"PK"),
    ],
)
def test_pack_writes_the_board_paper_in_the_format_its_extension_names(
    cli, tmp_path, name, kind, magic
):
    path = tmp_path / name
    status, result = cli("pack", "--date", "2013-03-20", "-o", str(path))
    assert status == 0
    assert result == {"ok": True, "path": str(path), "format": kind, "bytes": path.stat().st_size}
    assert path.read_bytes().startswith(magic)


def test_pack_prints_an_officers_note_under_its_section(cli, tmp_path):
    import io

    from pypdf import PdfReader

    path = tmp_path / "paper.pdf"
    status, _ = cli(
        "pack", "--date", "2013-03-20", "-o", str(path), "--note", "procurement=Deep dives first."
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert status == 0 and "Officer’s note Deep dives first." in " ".join(text.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "20/03/2013", "-o", "paper.pdf"], "not a date written as YYYY-MM-DD"),
        (["--date", "2013-03-20", "-o", "paper.odt"], "give a file ending .pdf, .docx or .xlsx"),
        (["-o", "paper.pdf", "--note", "nowhere=text"], "write SECTION=TEXT"),
        (["-o", "paper.pdf", "--note", "procurement"], "write SECTION=TEXT"),
    ],
)
def test_pack_refuses_a_bad_date_extension_or_note_with_status_2(cli, tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith("paper.") else a for a in args]
    status, result = cli("pack", *args)
    assert status == 2 and message in result["errors"][0]["message"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("paper.")] == []


def test_a_file_for_another_workstream_is_refused_with_the_upload_pages_words(cli, tmp_path):
    status, result = cli("check", "ebulletin", write(tmp_path, "map.xlsx", []))
    assert status == 1
    assert [e["code"] for e in result["errors"]] == ["another-workstream", "missing-sheet"]
    checked = check_upload(
        (tmp_path / "map.xlsx").read_bytes(), "map.xlsx", workstream="ebulletin", isolate=False
    )
    assert result["errors"][0]["message"] == refusal(checked).message
    assert result["errors"][0]["message"].startswith(
        "map.xlsx does not look like an E-bulletin statistics workbook: it looks like a "
        "Shared Services Map workbook (sheet Arrangements, "
    )


def test_loading_a_file_for_another_workstream_stores_nothing(cli, tmp_path):
    cli("init")
    status, result = cli("load", "ebulletin", write(tmp_path, "map.xlsx", []))
    assert (status, result["errors"][0]["code"]) == (1, "another-workstream")
    _, history = cli("history", "ebulletin")
    assert len(history["uploads"]) == 1  # the sample only


TEXT = b"Dear colleague,\nthe figures are attached.\nThanks\n"


@pytest.mark.parametrize("command", ["check", "load"])
def test_a_text_file_named_xlsx_is_called_not_a_spreadsheet_as_on_the_upload_page(
    cli, tmp_path, command
):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(TEXT)
    status, result = cli(command, "tenancy_fraud", str(path))
    assert status == 1
    assert [e["code"] for e in result["errors"]] == ["not-a-spreadsheet", "missing-sheet"]
    checked = check_upload(TEXT, "figures.xlsx", workstream="tenancy_fraud", isolate=False)
    assert result["errors"][0]["message"] == checked.parsed.errors[0].message
    assert result["errors"][0]["message"].startswith("figures.xlsx is plain text")


def test_the_old_programme_key_is_still_accepted_wherever_a_key_is_typed(cli, tmp_path):
    cli("init")
    sample = str(SAMPLES_DIR / PROGRAMME.sample_file)
    for key in ("programme", PROGRAMME.key):
        status, checked = cli("check", key, sample)
        assert status == 0 and checked["ok"], key
        status, written = cli("template", key, "-o", str(tmp_path / f"{key}.xlsx"))
        assert status == 0 and written["ok"], key
    _, old = cli("history", "programme")
    _, new = cli("history", PROGRAMME.key)
    assert old == new and [u["workstream"] for u in old["uploads"]] == [PROGRAMME.published_key]
    status, loaded = cli("load", "programme", sample, "--by", "Jo Officer")
    assert status == 0 and loaded["version"] == 2


def test_an_officer_given_the_old_programme_key_keeps_the_programme_workbook(cli, monkeypatch):
    import io

    cli("init")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    status, _ = cli(
        "user", "add", "jo@example.gov.uk", "--role", "officer", "--workstreams", "programme"
    )
    assert status == 0
    _, listed = cli("user", "list")
    assert [u["workstreams"] for u in listed["users"]] == [PROGRAMME.key]


def test_metrics_json_keeps_publishing_the_programme_figures_under_programme(cli):
    cli("init")
    _, figures = cli("metrics")
    # A contract: scripts read figures["programme"]; the rename of the key does not move it.
    assert "programme" in figures and PROGRAMME.key not in figures
    assert figures["workstreams"] == [w.published_key for w in WORKSTREAMS.values()]
    assert "programme" in figures["workstreams"]
