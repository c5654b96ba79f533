"""The board paper, drafted from the sample data and read back from its PDF and Word files."""

import dataclasses
import datetime as dt
import io
import re
from dataclasses import dataclass

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from pypdf import PdfReader

from lgadata import queries
from lgadata.bootstrap import ensure_database
from lgadata.paper import (
    NOTE_LIMIT,
    SECTIONS,
    Paper,
    build_paper,
    facts,
    render_docx,
    render_pdf,
    sections,
)
from lgadata.paper.workbook import RECENT_BULLETINS, figures_at_meeting
from tests.conftest import NO_POSTGRES, POSTGRES_URL, _fresh

MEETING = dt.date(2013, 3, 20)
NOTE = "Officers will check the map with the regions before the May refresh."
MARKUP_NOTE = "Typed as <script>alert(1)</script> and **markup** – “quoted”."
FRONT = ("Purpose of report", "Recommendations", "Background")
BACK = ("Appendix: sources of the figures",)
HEADINGS = (*FRONT, *(title for _, title in SECTIONS), *BACK)
PILOT_COUNCILS = (
    "Stroud District Council",
    "Gloucester City Council",
    "Three Rivers District Council",
    "Watford Borough Council",
    "Huntingdonshire District Council",
    "Fenland District Council",
    "Peterborough City Council",
)


@dataclass
class Rendered:
    paper: Paper
    pdf: bytes
    docx: bytes
    sha256s: set[str]


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)),
    ],
)
def rendered(request, tmp_path_factory) -> Rendered:
    """The 20 March 2013 paper from the samples, drawn once per database for the module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('paper') / 'paper.db'}"
    else:
        url = POSTGRES_URL
    engine = _fresh(url)
    ensure_database(engine=engine, seed_samples=True)
    notes = {"shared_services": NOTE, "tenancy_fraud": MARKUP_NOTE}
    paper = build_paper(engine=engine, meeting_date=MEETING, notes=notes)
    sha256s = {row["sha256"] for row in queries.history(engine=engine)}
    engine.dispose()
    return Rendered(paper, render_pdf(paper), render_docx(paper), sha256s)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def split_at_headings(lines: list[str], headings=HEADINGS) -> dict[str, str]:
    """Return the text under each heading, up to the next one, found in order."""
    found, at = {}, 0
    marks = []
    for heading in headings:
        at = lines.index(heading, at)
        marks.append((heading, at))
    for (heading, start), (_, end) in zip(marks, [*marks[1:], (None, len(lines))], strict=True):
        found[heading] = _flat(" ".join(lines[start + 1 : end]))
    return found


def pdf_lines(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


def docx_lines(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text.strip() for p in document.paragraphs]
    return lines + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]


def read_back(rendered: Rendered, kind: str) -> dict[str, str]:
    lines = pdf_lines(rendered.pdf) if kind == "pdf" else docx_lines(rendered.docx)
    return split_at_headings(lines)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Shared Services Map", ("337 councils", "325 arrangements", "£278m", "£165m")),
        ("Capital and Assets Programme", ("£700,000", "£450,000", "2013/14")),
        ("Housing Tenancy Fraud Pilot", PILOT_COUNCILS),
        ("Procurement", ("£81.5m", "EU procurement directives agreed", "24 months")),
        ("Commissioning Academy", ("First cohort completes (15 March 2013)",)),
        ("E-bulletin statistics", ("5,374 views",)),
        ("Financial implications", ("£700,000", "£18,000")),
    ],
)
def test_the_reports_figures_are_read_back_inside_their_own_section(
    rendered, kind, heading, expected
):
    text = read_back(rendered, kind)[heading]
    assert [figure for figure in expected if figure not in text] == []


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_map_figures_are_not_quoted_in_other_sections(rendered, kind):
    found = read_back(rendered, kind)
    assert [h for h, text in found.items() if "£278m" in text] == ["Shared Services Map"]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_recommendations_are_numbered_from_one_and_paragraphs_on_through_the_body(rendered, kind):
    found = read_back(rendered, kind)
    recommendations = re.findall(r"(?:^| )(\d+)\. That the Board", found["Recommendations"])
    assert recommendations == [str(n) for n in range(1, len(rendered.paper.recommendations) + 1)]
    body = " ".join(found[title] for _, title in SECTIONS)
    expected = [
        f"{n}. {_flat(text)[:30]}"
        for _, numbered in rendered.paper.numbered()
        for n, text in numbered
    ]
    positions = [body.find(start) for start in expected]
    assert len(expected) > 20 and -1 not in positions and positions == sorted(positions)
    assert expected[0].startswith("1. ") and expected[-1].startswith(f"{len(expected)}. ")


def test_the_pdf_embeds_every_chart_and_the_word_file_has_them_inline(rendered):
    charts = [c for s in rendered.paper.body() for c in s.charts]
    assert len(charts) >= 4 and all(c.png.startswith(b"\x89PNG") for c in charts)
    images = sum(len(page.images) for page in PdfReader(io.BytesIO(rendered.pdf)).pages)
    assert images == len(charts)
    assert len(docx.Document(io.BytesIO(rendered.docx)).inline_shapes) == len(charts)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_appendix_lists_the_sha256_of_every_source_upload(rendered, kind):
    appendix = read_back(rendered, kind)[BACK[0]]
    assert {s.sha256 for s in rendered.paper.sources} == rendered.sha256s
    assert [sha for sha in rendered.sha256s if sha not in appendix] == []


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_an_officers_note_appears_under_its_section_only(rendered, kind):
    found = read_back(rendered, kind)
    assert f"Officer’s note {NOTE}" in found["Shared Services Map"]
    assert [h for h, text in found.items() if NOTE in text] == ["Shared Services Map"]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_note_with_markup_comes_out_as_the_literal_text(rendered, kind):
    assert MARKUP_NOTE in read_back(rendered, kind)["Housing Tenancy Fraud Pilot"]


def test_the_pdf_embeds_its_fonts_and_names_its_title_and_author(rendered):
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert reader.metadata.title == "Productivity Programme Update"
    assert reader.metadata.author == "Local Government Association"
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object() for f in fonts.values()]
    assert descriptors and all(
        "/FontFile2" in d["/FontDescriptor"].get_object() for d in descriptors
    )
    assert all("DejaVu" in d["/BaseFont"] for d in descriptors)


def test_every_page_has_the_board_the_meeting_date_and_its_number(rendered):
    pages = PdfReader(io.BytesIO(rendered.pdf)).pages
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "Improvement and Innovation Board" in text and "20 March 2013" in text
        assert f"Page {number} of {len(pages)}" in text


def test_the_word_file_uses_real_headings(rendered):
    document = docx.Document(io.BytesIO(rendered.docx))
    styles = {p.text: p.style.name for p in document.paragraphs if p.style.name != "Normal"}
    assert styles["Shared Services Map"] == "Heading 2"
    assert styles["Financial implications"] == "Heading 1"
    assert styles["Productivity Programme Update"] == "Title"


def test_the_march_2013_paper_leaves_out_bulletins_sent_after_the_meeting(rendered):
    bulletins = " ".join({s.key: s for s in rendered.paper.sections}["ebulletin"].paragraphs)
    assert "February 2013" in bulletins
    for later in ("March 2013", "April 2013", "May 2013", "2,897", "3,812"):
        assert later not in bulletins
    purpose = " ".join(rendered.paper.purpose)
    # Named by when they were sent, so the paper does not read as if it quotes them.
    assert (
        "Not quoted for that reason: the e-bulletins sent on 21 March 2013, 25 April 2013 "
        "and 23 May 2013." in purpose
    )
    assert "May 2013 (sent" not in purpose and "here the" not in purpose


def test_the_first_recommendation_cites_every_numbered_paragraph_of_the_body(rendered):
    numbered = rendered.paper.numbered()
    background = [n for section, ns in numbered[:-1] for n, _ in ns]
    financial = [n for n, _ in numbered[-1][1]]
    assert rendered.paper.recommendations[0] == (
        "That the Board notes the progress of the Productivity Programme set out in "
        f"paragraphs 1–{background[-1]}, and its financial implications in "
        f"paragraphs {financial[0]}–{financial[-1]}."
    )
    assert financial[-1] == sum(len(ns) for _, ns in numbered)


def test_figure_1_is_the_year_the_text_leads_on_with_nothing_spent_before_it_begins(rendered):
    cap = rendered.paper.sections[0]
    assert cap.paragraphs[0].startswith("The Capital and Assets Programme budget for 2013/14")
    assert cap.charts[0].caption == "Budget and spend by category, 2013/14"
    assert "£157,510" not in cap.charts[0].alt_text  # spent after the March 2013 meeting
    assert "Secondees budget £350,000, spent £0" in cap.charts[0].alt_text


def test_a_paper_for_june_2013_quotes_the_may_bulletin(sample_engine):
    found = facts.gather(engine=sample_engine, meeting_date=dt.date(2013, 6, 1))
    paragraphs, _ = sections.ebulletin(found)
    assert "e-bulletin, May 2013 (sent 23 May 2013) had 3,812 views" in paragraphs[0]
    assert found["left_out"]["bulletins"] == []


def test_the_papers_facts_hold_each_registered_sections_own_facts(sample_engine, monkeypatch):
    from lgadata.sections import registry

    whole = registry.get_section("ebulletin")
    added = dataclasses.replace(whole, key="added", facts=_added_facts)
    monkeypatch.setattr(registry, "SECTIONS", [*registry.SECTIONS, added])
    found = facts.gather(engine=sample_engine, meeting_date=MEETING)
    assert found["added"] == {"meeting": MEETING}
    # A section declaring no facts finds its summary's figures at the meeting under its key.
    assert found["ebulletin"] == whole.summary.figures(engine=sample_engine, today=MEETING)


def _added_facts(*, engine, meeting_date):
    del engine
    return {"added": {"meeting": meeting_date}}


def test_an_empty_database_gives_a_paper_saying_no_data_for_each_workstream(empty_engine):
    paper = build_paper(engine=empty_engine, meeting_date=MEETING)
    assert [
        s.key for s in paper.sections if "No data has been uploaded" not in s.paragraphs[0]
    ] == []
    assert "No budget or savings data" in paper.financial.paragraphs[0]
    assert paper.sources == () and all(not s.charts for s in paper.body())
    lines = pdf_lines(render_pdf(paper))
    assert "No uploads are quoted" in split_at_headings(lines)[BACK[0]]
    assert (
        "No data has been uploaded"
        in split_at_headings(docx_lines(render_docx(paper)))["Shared Services Map"]
    )


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ({"nonsense": "x"}, "No section called nonsense"),
        ({"procurement": "x" * (NOTE_LIMIT + 1)}, "at most 1,000 characters"),
    ],
)
def test_a_note_for_an_unknown_section_or_too_long_is_refused(empty_engine, notes, message):
    with pytest.raises(ValueError, match=message):
        build_paper(engine=empty_engine, meeting_date=MEETING, notes=notes)


def test_spend_is_quoted_for_the_year_under_way_not_for_one_yet_to_begin(rendered):
    cap = " ".join(rendered.paper.sections[0].paragraphs)
    assert "2013/14 is £700,000" in cap and "£435,700 of the £450,000 budget" in cap
    assert "£157,510" not in cap  # 2013/14's spend, from after the March 2013 meeting


def test_a_milestone_due_after_the_meeting_is_still_to_come_whatever_its_status_now(
    sample_engine,
):
    found = facts.gather(engine=sample_engine, meeting_date=dt.date(2013, 3, 1))
    paragraphs, _ = sections.commissioning_academy(found)
    assert paragraphs == [
        "Next: First cohort completes (15 March 2013); Second cohort begins (14 May 2013); "
        "Third cohort begins (17 September 2013)."
    ]


def _edition(as_at):
    return {"as_at": as_at}


def _bulletin(sent_on):
    return {"bulletin": f"sent {sent_on}", "sent_on": sent_on}


def _quarter(quarter):
    measures = dict.fromkeys(
        ("referrals", "investigations_opened", "properties_recovered", "prosecutions"), 1
    )
    return {"quarter": quarter, "label": quarter, **measures, "notional_savings_gbp": 18_000}


@pytest.mark.parametrize(
    ("dated", "shown"),
    [
        (_edition("2013-03-20"), True),  # published on the day of the meeting
        (_edition("2013-03-21"), False),
        (_bulletin("2013-03-20"), True),
        (_bulletin("2013-03-21"), False),
        (_bulletin(None), True),  # no date: cannot be placed after the meeting
        (_quarter("2013-Q1"), True),  # begun by the meeting
        (_quarter("2013-Q2"), False),  # begins on 1 April
        (_quarter("2013 quarter one"), True),  # unreadable: kept rather than silently dropped
    ],
)
def test_one_rule_says_which_periods_are_dated_by_the_meeting(dated, shown):
    kind = "editions" if "as_at" in dated else "bulletins" if "sent_on" in dated else "quarters"
    lists = {"editions": [], "bulletins": [], "quarters": []} | {kind: [dated]}
    found = facts.dated_by(
        MEETING,
        editions=lists["editions"],
        bulletins=lists["bulletins"],
        outcomes={"quarters": lists["quarters"], "value_per_property_gbp": 18_000},
    )
    kept = found["outcomes"]["quarters"] if kind == "quarters" else found[kind]
    assert (kept, found["left_out"][kind]) == (([dated], []) if shown else ([], [dated]))


def test_outcomes_are_summed_over_the_quarters_begun_by_the_meeting():
    found = facts.dated_by(
        MEETING,
        editions=[],
        bulletins=[],
        outcomes={"quarters": [_quarter("2013-Q1"), _quarter("2013-Q2")]},
    )
    assert (
        found["outcomes"]["properties_recovered"],
        found["outcomes"]["notional_savings_gbp"],
    ) == (
        1,
        18_000,
    )


# On and around the samples' dates: before any, the January 2013 map, the bulletins sent on
# 21 February and 25 April 2013, the March meeting, and after them all. (The samples report
# no fraud outcomes yet; the table above covers quarters.)
@pytest.mark.parametrize(
    "meeting",
    [
        dt.date(2011, 12, 1),
        dt.date(2013, 1, 30),
        dt.date(2013, 1, 31),
        dt.date(2013, 2, 21),
        MEETING,
        dt.date(2013, 4, 25),
        dt.date(2014, 1, 1),
    ],
)
def test_the_paper_and_its_workbook_leave_out_the_same_periods(sample_engine, meeting):
    paper = facts.gather(engine=sample_engine, meeting_date=meeting)
    book = figures_at_meeting(engine=sample_engine, meeting_date=meeting)
    assert book["shared_services"]["editions"] == paper["editions"]
    assert book["ebulletin"]["bulletins"] == paper["bulletins"][:RECENT_BULLETINS]
    assert book["tenancy_fraud"]["outcomes"] == paper["outcomes"]


def test_the_word_file_is_in_british_english_and_one_font_with_the_date_at_the_margin(rendered):
    document = docx.Document(io.BytesIO(rendered.docx))
    styles = document.styles.element
    assert {lang.get(qn("w:val")) for lang in styles.iter(qn("w:lang"))} == {"en-GB"}
    fonts = list(styles.iter(qn("w:rFonts")))
    assert fonts and all(f.get(qn("w:ascii")) == "Arial" for f in fonts)
    assert not [f for f in fonts if f.get(qn("w:asciiTheme"))]
    header = document.sections[0].header.paragraphs[0]
    assert header.text == "Improvement and Innovation Board\t20 March 2013"
    tabs = [(t.alignment, t.position) for t in header.paragraph_format.tab_stops]
    # The Header style's own centre and right tabs are cleared: the date goes to the margin.
    assert [round(p.mm) for a, p in tabs if a != WD_TAB_ALIGNMENT.CLEAR] == [170]


def test_the_appendix_table_repeats_its_headings_and_keeps_each_upload_with_its_sha256(rendered):
    table = docx.Document(io.BytesIO(rendered.docx)).tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in table.rows[0].cells][0] == "Upload"
    data_rows = table.rows[1::2]
    assert len(data_rows) == len(rendered.paper.sources)
    assert all(r.cells[0].paragraphs[0].paragraph_format.keep_with_next for r in data_rows)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_shared_services_section_has_the_map_with_its_attribution(rendered, kind):
    shared = next(s for s in rendered.paper.sections if s.key == "shared_services")
    figure = next(c for c in shared.charts if c.alt_text.startswith("Map of England"))
    assert "Martin Chorley" in figure.caption and "Crown copyright" in figure.caption
    number = [c for s in rendered.paper.body() for c in s.charts].index(figure) + 1
    caption = _flat(f"Figure {number}: {figure.caption}")
    assert caption in read_back(rendered, kind)["Shared Services Map"]
    if kind == "pdf":  # the caption's page carries the map's own picture, at its size
        page = next(
            p
            for p in PdfReader(io.BytesIO(rendered.pdf)).pages
            if f"Figure {number}:" in p.extract_text()
        )
        sizes = {(i.image.width, i.image.height) for i in page.images}
        assert png_size(figure.png) in sizes
    else:
        document = docx.Document(io.BytesIO(rendered.docx))
        described = [
            s._inline.docPr.get("descr") for s in document.inline_shapes
        ]  # the Word picture's text alternative is the figure's
        assert figure.alt_text in described


def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
