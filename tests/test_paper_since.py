"""The board paper for 10 July 2013 says what changed since the board met on 20 March 2013,
why (the commentary stored for the meeting), what is due and the actions carried over: in
the paper's data, and read back from the PDF and the Word file."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lgadata import actions
from lgadata.commentary import write_commentary
from lgadata.meetings import add_meeting
from lgadata.models import Upload
from lgadata.paper import build_paper, render_docx, render_pdf
from lgadata.paper.since_part import TITLE
from lgadata.paper.wording import changes
from tests.test_paper import docx_lines, pdf_lines
from tests.test_since import (
    JULY,
    JUNE_BULLETIN,
    MARCH,
    OFFICER,
    dated,
    on,
    sample_map_with_two_arrangements_in_the_east_of_england,
)
from tests.workbooks import check_and_store

WHY = "Two <b>new</b> East of England arrangements; **see** the regional map."


@pytest.fixture
def july(sample_engine):
    """The samples as known in March, a new map edition and bulletin before July, two
    meetings, an action recorded in March and the commentary for July."""
    with sample_engine.begin() as conn:
        conn.execute(sa.update(Upload).values(uploaded_at=on("2013-03-01")))
    march = add_meeting(engine=sample_engine, by=OFFICER, meets_on=MARCH, title="Board")
    meeting = add_meeting(engine=sample_engine, by=OFFICER, meets_on=JULY, title="Board")
    new_map = sample_map_with_two_arrangements_in_the_east_of_england(edition="2013-05-31")
    dated(
        sample_engine,
        check_and_store(sample_engine, new_map, workstream="shared_services", file_name="May.xlsx"),
        on("2013-06-05"),
    )
    dated(
        sample_engine,
        check_and_store(sample_engine, JUNE_BULLETIN, workstream="ebulletin", file_name="J.xlsx"),
        on("2013-06-21"),
    )
    actions.record(
        engine=sample_engine,
        by=OFFICER,
        meeting_id=march.id,
        section="shared_services",
        kind=actions.Kind.ACTION,
        text="Write to the regions about the map",
        owner="Programme manager",
        due_on=dt.date(2013, 6, 30),
    )
    write_commentary(
        engine=sample_engine, by=OFFICER, meeting_id=meeting.id, section="shared_services", text=WHY
    )
    return sample_engine


def test_the_july_paper_opens_with_what_changed_since_march(july):
    paper = build_paper(engine=july, meeting_date=JULY)

    assert paper.since is not None and paper.since.title == TITLE
    first, *workstreams, due, carried = paper.since.paragraphs
    assert first == (
        "The Board last met on 20 March 2013. Headline figures then and now: Shared Services "
        "Map: arrangements 325 to 327, efficiency savings £278m to £279.2m; E-bulletin "
        "statistics: views, latest bulletin 5,374 to 1,200, top link's share 14% to 75%, "
        "programme page on top 2 of last 2 to 5 of last 5."
    )
    by_title = dict(w.split(": ", 1) for w in workstreams)
    assert by_title["Shared Services Map"].startswith(
        "Map edition 31 May 2013 is new: against map edition 31 January 2013, 2 arrangements "
        "added in the East of England, savings +£1.2m. (map edition 31 May 2013 from upload "
    )
    assert "May.xlsx, by test on 5 June 2013 11:00" in by_title["Shared Services Map"]
    assert by_title["Capital and Assets Programme"] == "Nothing reported since 20 March 2013."
    assert due.startswith("Returns due on 10 July 2013: Housing Tenancy Fraud Pilot: last return")
    assert "overdue since 1 June 2013" in due
    assert carried == (
        "Actions from the last meeting: Write to the regions about the map (Programme manager, "
        "by 30 June 2013): open."
    )
    # The uploads it cites are in the appendix; the recommendations cite its paragraphs.
    assert set(paper.since.sources) <= {s.upload_id for s in paper.sources}
    assert paper.recommendations[0] == (
        f"That the Board notes what has changed since its last meeting (paragraphs "
        f"1–{len(paper.since.paragraphs)})."
    )
    assert paper.numbered()[0][1][0] == (1, first)
    # Why: the commentary stored for the July meeting is under its section, as typed.
    shared = next(s for s in paper.sections if s.key == "shared_services")
    assert shared.note == WHY


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_pdf_and_the_word_paper_carry_the_changes_and_the_commentary_as_text(july, kind):
    paper = build_paper(engine=july, meeting_date=JULY)
    lines = pdf_lines(render_pdf(paper)) if kind == "pdf" else docx_lines(render_docx(paper))
    text = " ".join(" ".join(lines).split())

    heading = lines.index(TITLE)
    assert lines.index("Recommendations") < heading < lines.index("Background")
    assert "2 arrangements added in the East of England, savings +£1.2m" in text
    assert "Write to the regions about the map (Programme manager, by 30 June 2013): open" in text
    assert WHY in text  # the markup as typed, never drawn as bold


def test_a_note_given_for_the_paper_replaces_the_stored_commentary(july):
    paper = build_paper(engine=july, meeting_date=JULY, notes={"shared_services": "Today's."})
    assert next(s for s in paper.sections if s.key == "shared_services").note == "Today's."


def test_a_paper_for_a_day_before_any_meeting_has_no_since_section(july):
    paper = build_paper(engine=july, meeting_date=dt.date(2013, 3, 1))
    assert paper.since is None
    assert paper.recommendations[0].startswith("That the Board notes the progress")


def test_the_maps_paragraph_says_which_figures_moved_not_unchanged_when_only_councils_stood(
    july,
):
    # The walk of issue 17: "337 councils in 327 arrangements saving £321.7m, unchanged from
    # 337 councils in 325 arrangements saving £278m", as the councils alone stood still.
    paper = build_paper(engine=july, meeting_date=JULY)
    [said] = [
        p for s in paper.sections for p in s.paragraphs if "Map (31 May 2013 edition) now" in p
    ]
    assert "unchanged from" not in said
    assert said.endswith(
        "against 337 councils in 325 arrangements saving £278m in the 31 January 2013 edition "
        "(councils unchanged, arrangements up, savings up)."
    )


@pytest.mark.parametrize(
    "moves, said",
    [
        ({"councils": (337, 220), "arrangements": (325, 170)}, ("up from", "")),
        ({"councils": (3, 3), "arrangements": (2, 2)}, ("unchanged from", "")),
        (
            {"councils": (337, 337), "arrangements": (327, 325), "savings": (2, 3)},
            ("against", " (councils unchanged, arrangements up, savings down)"),
        ),
    ],
)
def test_figures_that_moved_differently_are_each_said_to(moves, said):
    assert changes(moves) == said


def test_a_share_that_rounds_to_the_same_percentage_is_unchanged_not_down_from_itself():
    # The walk of issue 17 read "25% went to Productivity Programme pages, down from 25%".
    from lgadata.paper.sections import ebulletin

    def bulletin(name: str, share: float) -> dict:
        return {
            "bulletin": name,
            "sent_on": "2013-05-23",
            "views": 1000,
            "upload_id": 1,
            "programme_share": share,
            "programme_views": int(share * 1000),
            "top_url": "",
        }

    (said, *_), _ = ebulletin({"bulletins": [bulletin("May", 0.248), bulletin("April", 0.254)]})
    assert said.endswith(
        "25% went to Productivity Programme pages, unchanged from 25% in the April."
    )
    (said, *_), _ = ebulletin({"bulletins": [bulletin("May", 0.20), bulletin("April", 0.254)]})
    assert "20% went to Productivity Programme pages, down from 25% in the April" in said
