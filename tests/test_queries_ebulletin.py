"""E-bulletin queries: views by URL, each bulletin's top link and the programme's share."""

import pytest

from lgadata import queries
from lgadata.auth import command_line
from lgadata.ingest import check_bytes
from lgadata.queries.ebulletin import is_programme_url
from lgadata.store import store_upload
from tests.workbooks import make_csv

HEADER = ["bulletin", "sent_on", "url", "link_text", "views", "unique_views"]
MAY = "Improvement and Innovation Board e-bulletin, May 2013"
JANUARY = "Improvement and Innovation Board e-bulletin, January 2013"


def upload(engine, rows: list[list]) -> None:
    """Store e-bulletin link rows as one upload."""
    data = make_csv([HEADER, *rows])
    parsed = check_bytes(data, "links.csv", workstream="ebulletin", isolate=False)
    assert parsed.ok, [str(p) for p in parsed.errors[:5]]
    store_upload(engine=engine, parsed=parsed, content=data, actor=command_line("test"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.local.gov.uk/productivity", True),
        ("https://www.local.gov.uk/productivity/shared-services-map", True),
        ("https://www.local.gov.uk/Productivity/Tenancy-Fraud", True),
        ("https://www.local.gov.uk/research", False),
        ("", False),
        (None, False),
    ],
)
def test_a_programme_page_is_a_url_containing_the_mark(url, expected):
    assert is_programme_url(url) is expected


def test_the_sample_bulletins_come_newest_first(sample_engine):
    bulletins = queries.bulletins(engine=sample_engine)
    assert [b["sent_on"] for b in bulletins] == [
        "2013-05-23",
        "2013-04-25",
        "2013-03-21",
        "2013-02-21",
        "2013-01-24",
    ]


def test_every_sample_bulletins_top_url_is_a_programme_page(sample_engine):
    bulletins = queries.bulletins(engine=sample_engine, limit=5)
    assert all(b["top_is_programme"] for b in bulletins)
    may = bulletins[0]
    assert (may["top_url"], may["top_views"], may["views"]) == (
        "https://www.local.gov.uk/productivity/tenancy-fraud",
        943,
        3812,
    )
    assert may["programme_share"] == pytest.approx(943 / 3812)


def test_a_bulletins_links_are_most_viewed_first_with_their_share_of_its_views(sample_engine):
    links = queries.bulletin_links(engine=sample_engine, bulletin=MAY)
    assert len(links) == 8
    assert [link["views"] for link in links] == sorted(
        (link["views"] for link in links), reverse=True
    )
    assert links[0] == {
        "url": "https://www.local.gov.uk/productivity/tenancy-fraud",
        "link_text": "Housing tenancy fraud pilots under way",
        "views": 943,
        "unique_views": 819,
        "share": pytest.approx(943 / 3812),
        "is_programme": True,
    }
    assert sum(link["share"] for link in links) == pytest.approx(1)


def test_a_limited_list_of_links_keeps_its_share_of_the_whole_bulletin(sample_engine):
    everything = queries.bulletin_links(engine=sample_engine, bulletin=JANUARY)
    top_three = queries.bulletin_links(engine=sample_engine, bulletin=JANUARY, limit=3)
    assert top_three == everything[:3]


def test_an_unknown_bulletin_has_no_links(sample_engine):
    assert queries.bulletin_links(engine=sample_engine, bulletin="No such bulletin") == []


def test_a_url_linked_twice_in_a_bulletin_is_one_row_with_both_links_views(empty_engine):
    upload(
        empty_engine,
        [
            ["June", "2013-06-20", "https://www.local.gov.uk/productivity", "Read more", 30, 20],
            ["June", "2013-06-20", "https://www.local.gov.uk/research", "Research", 50, 40],
            ["June", "2013-06-20", "https://www.local.gov.uk/productivity", "Programme", 40, 30],
        ],
    )
    links = queries.bulletin_links(engine=empty_engine, bulletin="June")
    assert [(link["url"], link["views"], link["unique_views"]) for link in links] == [
        ("https://www.local.gov.uk/productivity", 70, 50),
        ("https://www.local.gov.uk/research", 50, 40),
    ]
    assert links[0]["share"] == pytest.approx(70 / 120)


def test_the_programme_share_counts_every_programme_page_in_a_bulletin(empty_engine):
    upload(
        empty_engine,
        [
            ["June", "2013-06-20", "https://www.local.gov.uk/research", "Research", 50, 40],
            ["June", "2013-06-20", "https://www.local.gov.uk/Productivity/cap", "CAP", 30, 20],
            ["June", "2013-06-20", "https://www.local.gov.uk/productivity", "Home", 20, 10],
            ["July", "2013-07-18", "https://www.local.gov.uk/research", "Research", 10, 5],
        ],
    )
    july, june = queries.bulletins(engine=empty_engine)
    assert (june["programme_views"], june["programme_share"]) == (50, pytest.approx(0.5))
    assert (june["top_url"], june["top_is_programme"]) == (
        "https://www.local.gov.uk/research",
        False,
    )
    assert (july["programme_views"], july["programme_share"]) == (0, 0)


def test_an_empty_database_has_no_bulletins(empty_engine):
    assert queries.bulletins(engine=empty_engine) == []


def test_five_hundred_bulletins_are_summed_in_the_database(empty_engine):
    rows = [
        [
            f"Bulletin {b:03d}",
            f"{2013 + b // 50}-{b % 12 + 1:02d}-{b % 28 + 1:02d}",
            f"https://www.local.gov.uk/{'productivity/' if n == 0 else ''}page-{n}",
            f"Link {n}",
            n + 1,
            1,
        ]
        for b in range(500)
        for n in range(20)
    ]
    upload(empty_engine, rows)
    bulletins = queries.bulletins(engine=empty_engine)
    assert len(bulletins) == 500
    assert {b["views"] for b in bulletins} == {sum(range(1, 21))}
    assert [b["programme_share"] for b in bulletins] == [pytest.approx(1 / 210)] * 500
    assert {b["top_url"] for b in bulletins} == {"https://www.local.gov.uk/page-19"}
    top = queries.bulletin_links(engine=empty_engine, bulletin="Bulletin 123", limit=15)
    assert [link["views"] for link in top] == list(range(20, 5, -1))
