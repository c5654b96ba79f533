"""E-bulletin statistics: each bulletin's views, its top link and the programme's share."""

from lgadata import queries
from lgadata.charts import ebulletin as charts
from lgadata.paper import charts as paper_charts
from lgadata.paper import sections as paper
from lgadata.paper import workbook_sheets
from lgadata.sections.parts import Card, Figure, Page, Screen, Section, Sheet, Summary
from lgadata.values import format_count, format_iso_date

KEY = "ebulletin"
TITLE = "E-bulletin statistics"
STRANDS = ("E-bulletin",)


def figures(*, engine, today=None) -> dict:
    """Return the last bulletins sent, newest first."""
    del today
    return {"bulletins": queries.bulletins(engine=engine, limit=queries.RECENT_BULLETINS)}


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


SECTION = Section(
    key=KEY,
    title=TITLE,
    workstreams=(KEY,),
    strands=STRANDS,
    page=Page("ebulletin.py", "E-bulletin statistics", ":material/mail:"),
    card=card,
    summary=Summary(KEY, figures, sentences),
    # The status names the latest bulletin's top link too, which the sentence already gives.
    screen=Screen("ebulletin", (0,), status=False, chart=screen_chart),
    paragraphs=paper.ebulletin,
    charts=paper_charts.ebulletin,
    sheet=Sheet(
        KEY,
        "E-bulletin statistics",
        (50, 44, 44, 14, 50, 40, 14, 14, 14, 14, 14, 14),
        workbook_sheets.ebulletin,
    ),
)
