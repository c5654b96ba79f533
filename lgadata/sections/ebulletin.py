"""E-bulletin statistics: each bulletin's views, its top link and the programme's share."""

from lgadata import queries
from lgadata.charts import ebulletin as charts
from lgadata.charts.ebulletin import format_share
from lgadata.paper import sections as paper
from lgadata.paper.charts import render
from lgadata.paper.model import Chart
from lgadata.paper.workbook_sheets import (
    COUNT,
    DATE,
    SHARE,
    UPLOAD,
    Context,
    figures_of,
    nothing_uploaded,
)
from lgadata.queries.base import as_date
from lgadata.sections.parts import Card, Figure, Page, Screen, Section, Sheet, Summary
from lgadata.values import format_count, format_iso_date

KEY = "ebulletin"
TITLE = "E-bulletin statistics"
STRANDS = ("E-bulletin",)


def figures(*, engine, today=None, known_at=None) -> dict:
    """Return the last bulletins sent, newest first."""
    del today
    return {
        "bulletins": queries.bulletins(
            engine=engine, known_at=known_at, limit=queries.RECENT_BULLETINS
        )
    }


def sentences(figures: dict) -> list[str]:
    """Return one sentence a bulletin: its top link and that link's share of views."""
    return [
        f"{b['bulletin']} ({format_iso_date(b['sent_on'])}): top link {b['top_url']} with "
        f"{b['top_share']:.0%} of {format_count(b['views'])} views"
        + (" (a Productivity Programme page)." if b["top_is_programme"] else ".")
        for b in figures[KEY]["bulletins"]
    ]


def card(figures: dict, milestones: list[dict]) -> Card:
    """Return the e-bulletin card: the latest bulletin and how programme pages fare."""
    del milestones
    bulletins = figures[KEY]["bulletins"]
    if not bulletins:
        return Card(TITLE, SECTION.link, empty_workstream=KEY)
    latest = bulletins[0]
    programme_tops = sum(b["top_is_programme"] for b in bulletins)
    return Card(
        TITLE,
        SECTION.link,
        [
            Figure("Views, latest bulletin", format_count(latest["views"])),
            Figure("Top link's share", f"{latest['top_share']:.0%}"),
            Figure(
                "Programme page on top",
                f"{programme_tops} of last {len(bulletins)}",
            ),
        ],
        f"Top link of {latest['bulletin']}: {latest['top_url']}",
        f"Bulletin sent {format_iso_date(latest['sent_on'], missing='')}",
        latest["upload_id"],
    )


def screen_chart(figures: dict, milestones: list[dict], *, query):
    """Return the programme's share of each bulletin's views, over time."""
    del milestones, query
    return charts.programme_share_trend(figures[KEY]["bulletins"])


def write_sheet(sheet, ctx: Context) -> None:
    """Write the latest bulletin's views and top link, and the last bulletins before the meeting."""
    bulletins = ctx.figures[KEY]["bulletins"]
    if not bulletins:
        return nothing_uploaded(sheet, KEY)
    latest = bulletins[0]
    when = f"{latest['bulletin']}, sent {format_iso_date(latest['sent_on'])}"
    recent = f"Last {len(bulletins)} bulletins"
    sheet.figures(
        [
            *figures_of(latest, when, [
                ("Views of the latest bulletin", "views", COUNT),
                ("Links in the latest bulletin", "links", COUNT),
                ("Top link", "top_url", None),
                ("Top link's views", "top_views", COUNT),
                ("Top link's share of views", "top_share", SHARE),
                ("Productivity Programme share of views", "programme_share", SHARE),
            ]),
            ("Bulletins whose top link is a programme page",
             sum(b["top_is_programme"] for b in bulletins), COUNT, recent,
             [b["upload_id"] for b in bulletins]),
        ]
    )  # fmt: skip
    sheet.table(
        "The last bulletins sent by the meeting",
        [("Bulletin", None), ("Sent on", DATE), ("Views", COUNT), ("Links", COUNT),
         ("Top link", None), ("Top link's text", None), ("Top link's views", COUNT),
         ("Top link's share", SHARE), ("Top link a programme page", None),
         ("Programme views", COUNT), ("Programme share", SHARE), UPLOAD],
        [(b["bulletin"], as_date(b["sent_on"]) if b["sent_on"] else None, b["views"], b["links"],
          b["top_url"] or "", b["top_link_text"] or "", b["top_views"], b["top_share"],
          b["top_is_programme"], b["programme_views"], b["programme_share"],
          sheet.upload(b["upload_id"])) for b in bulletins],
    )  # fmt: skip


def paper_charts(facts: dict) -> tuple[Chart, ...]:
    """Return the share of each bulletin's views going to programme pages, over time."""
    bulletins = facts["bulletins"]
    # Two points make a line that says no more than the sentence comparing them.
    if len(bulletins) < 3:
        return ()
    return (
        render(
            charts.programme_share_trend(bulletins),
            caption="Share of each bulletin’s views going to programme pages",
            alt_text="Line chart of the programme share of each bulletin’s views: "
            + "; ".join(
                f"{format_iso_date(b['sent_on'])} {format_share(b['programme_share'])}"
                for b in reversed(bulletins)
            ),
        ),
    )


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY,),
    strands=STRANDS,
    page=Page("ebulletin.py", "E-bulletin statistics", ":material/mail:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    # The status names the latest bulletin's top link too, which the sentence already gives.
    screen=Screen(KEY, (0,), status=False, chart=screen_chart),
    paragraphs=paper.ebulletin,
    charts=paper_charts,
    sheet=Sheet(
        KEY,
        "E-bulletin statistics",
        (50, 44, 44, 14, 50, 40, 14, 14, 14, 14, 14, 14),
        write_sheet,
    ),
)
