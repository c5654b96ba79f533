"""Bulletin summaries computed at upload agree with the rows they summarise."""

import datetime as dt

import sqlalchemy as sa

from lgadata import queries
from lgadata.auth import command_line
from lgadata.models import DATA_TABLES, BulletinSummary, PeriodSummary
from lgadata.store import rollback
from tests.workbooks import check_and_store, make_xlsx

HEADER = ["bulletin", "sent_on", "url", "link_text", "views", "unique_views"]


def load(engine, rows):
    data = make_xlsx({"Links": [HEADER, *rows]})
    return check_and_store(engine, data, workstream="ebulletin", file_name="links.xlsx")


def test_each_bulletins_summary_equals_the_sum_of_its_rows(empty_engine):
    march, april = dt.datetime(2013, 3, 20), dt.datetime(2013, 4, 18)
    load(
        empty_engine,
        [
            ["March", march, "https://www.local.gov.uk/productivity", "P", 40, 30],
            ["March", march, "https://www.local.gov.uk/other", "O", 60, None],
            ["March", march, "https://www.local.gov.uk/tie", "T", 60, 5],
            ["April", april, "https://www.local.gov.uk/Productivity/map", "M", 7, 7],
        ],
    )
    links = DATA_TABLES["bulletin_link"]
    with empty_engine.connect() as conn:
        raw = dict(
            conn.execute(
                sa.select(links.c.bulletin, sa.func.sum(links.c.views)).group_by(links.c.bulletin)
            ).all()
        )
    summary = {b["bulletin"]: b for b in queries.bulletins(engine=empty_engine)}
    assert {name: b["views"] for name, b in summary.items()} == raw == {"March": 160, "April": 7}
    assert summary["March"]["top_url"] == "https://www.local.gov.uk/other"  # first of the tie
    assert summary["March"]["programme_views"] == 40
    assert summary["March"]["links"] == 3
    assert summary["April"]["top_is_programme"] is True
    assert [b["bulletin"] for b in queries.bulletins(engine=empty_engine)] == ["April", "March"]


def test_a_rolled_back_bulletin_upload_takes_its_summary_with_it(empty_engine):
    load(empty_engine, [["March", dt.datetime(2013, 3, 20), "https://a.gov.uk/x", "", 10, 1]])
    second = load(
        empty_engine, [["March", dt.datetime(2013, 3, 20), "https://a.gov.uk/y", "", 99, 1]]
    )
    assert queries.bulletins(engine=empty_engine)[0]["views"] == 99
    rollback(engine=empty_engine, upload_id=second.id, actor=command_line("admin"))
    assert queries.bulletins(engine=empty_engine)[0]["views"] == 10


def test_a_summary_keeps_blank_unique_views_and_finds_the_mark_in_any_case(empty_engine):
    # Computed by the database since the summary moved out of a loop in Python: unique views
    # stay blank only if every row's are, the latest date wins over a blank one, the first
    # of the rows with most views is the top, and the programme's mark is found in any case.
    load(
        empty_engine,
        [
            ["May", None, "https://www.local.gov.uk/PRODUCTIVITY", "Up", 1, None],
            ["May", dt.datetime(2013, 5, 2), "https://www.local.gov.uk/a", "A", 3, None],
            ["May", dt.datetime(2013, 5, 9), "https://www.local.gov.uk/b", "B", 3, None],
            ["June", dt.datetime(2013, 6, 6), "https://www.local.gov.uk/100%_c", "C", 0, 2],
        ],
    )
    summary = {b["bulletin"]: b for b in queries.bulletins(engine=empty_engine)}
    may, june = summary["May"], summary["June"]
    assert (may["views"], may["links"]) == (7, 3)
    stored = BulletinSummary.__table__
    with empty_engine.connect() as conn:
        unique = dict(conn.execute(sa.select(stored.c.period_key, stored.c.unique_views)).all())
    assert unique == {"May": None, "June": 2}
    assert may["sent_on"] == "2013-05-09"
    assert may["top_url"] == "https://www.local.gov.uk/a"  # first of the rows with most views
    assert may["programme_views"] == 1
    assert (june["views"], june["top_url"]) == (0, "https://www.local.gov.uk/100%_c")


def test_each_bulletins_day_is_its_earliest_sent_date_and_its_links_are_counted(empty_engine):
    # Kept when the upload is stored (period_summary), so a meeting's comparison never reads the
    # link rows back; a blank date does not hide a written one.
    load(
        empty_engine,
        [
            ["March", None, "https://a.gov.uk/x", "", 1, 1],
            ["March", dt.datetime(2013, 3, 21), "https://a.gov.uk/y", "", 1, 1],
            ["March", dt.datetime(2013, 3, 20), "https://a.gov.uk/z", "", 1, 1],
            ["April", None, "https://a.gov.uk/x", "", 1, 1],
        ],
    )
    links = DATA_TABLES["bulletin_link"]
    with empty_engine.connect() as conn:
        earliest = dict(
            conn.execute(
                sa.select(links.c.period_key, sa.func.min(links.c.sent_on)).group_by(
                    links.c.period_key
                )
            ).all()
        )
        kept = dict(conn.execute(sa.select(PeriodSummary.period_key, PeriodSummary.day)).all())
        counted = dict(conn.execute(sa.select(PeriodSummary.period_key, PeriodSummary.rows)).all())
    assert kept == earliest == {"March": dt.date(2013, 3, 20), "April": None}
    assert counted == {"March": 3, "April": 1}
