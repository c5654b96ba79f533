"""Addresses are text, never links: an uploader's, a member's, the relay's answer naming one.

Streamlit's front end turns an e-mail address in any markdown (st.caption, st.markdown, an
alert) into a mailto link, escaped or not; here every upload is by an officer's address and
the pack has gone to the members, and no page or meeting screen has a mailto link.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from lgadata import commentary, meetings, outbox
from lgadata.auth import command_line
from lgadata.db import make_engine
from lgadata.mail import Relay
from lgadata.models import Upload
from tests.browser.conftest import (
    NO_RELOAD,
    SCREENSHOTS,
    USERS,
    free_port,
    prepare_database,
    sign_in,
    start_server,
)
from tests.browser.test_pages import open_from_navigation
from tests.browser.test_present import SCREENS, WAIT, heading, open_meeting_mode, settled
from tests.test_mail import Inbox

UPLOADER = USERS["officer"]
# A commentary an officer might paste, an address and a web address in it (the walk of
# issue 19 found both made links, one of them to the hostile site).
NOTE = "Write to bm1@w19.example or see http://evil.example/pay and [here](http://evil.example)"
TITLE = "Board [agenda](http://evil.example) clerk@example.gov.uk www.evil.example"
MAILTO = 'a[href^="mailto:"], [data-testid="stMain"] a[href*="evil.example"]'


@pytest.fixture(scope="module")
def mailed_server(tmp_path_factory):
    """A server over the samples, uploaded by an officer's address, with a meeting in three
    days whose pack has gone to the board member, through a real SMTP server."""
    url = f"sqlite:///{tmp_path_factory.mktemp('addresses') / 'dashboard.db'}"
    prepare_database(url)
    engine, by = make_engine(url), command_line(USERS["admin"])
    with engine.begin() as conn:
        conn.execute(sa.update(Upload).values(uploaded_by=UPLOADER))
    coming = meetings.add_meeting(
        engine=engine, by=by, meets_on=dt.date.today() + dt.timedelta(days=3), title="Board"
    )
    # A meeting before today, so the Overview opens on "Since" it: its title in the heading.
    meetings.add_meeting(engine=engine, by=by, meets_on=dt.date(2013, 3, 20), title=TITLE)
    commentary.write_commentary(
        engine=engine, by=by, meeting_id=coming.id, section="tenancy_fraud", text=NOTE
    )
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    relay = Relay(
        host="127.0.0.1",
        port=port,
        security="none",
        user="",
        password="",
        timeout_s=10,
        sender="productivity@lga.example",
        dashboard_url="",
    )
    assert outbox.send_pack_now(engine=engine, relay=relay, by=by).sent
    engine.dispose()
    env = NO_RELOAD | {
        "LGADATA_SMTP_HOST": "127.0.0.1",
        "LGADATA_SMTP_PORT": str(port),
        "LGADATA_SMTP_SECURITY": "none",
        "LGADATA_MAIL_FROM": "productivity@lga.example",
        "LGADATA_MAIL_EVERY_MINUTES": "0",
    }
    base, server = start_server(url, env=env)
    yield base
    server.terminate()
    server.wait(timeout=10)
    controller.stop()


def _no_links(page, name: str, shows: str) -> None:
    from playwright.sync_api import expect

    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text(shows, timeout=WAIT)
    settled(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"addresses-{name}.png"))
    assert page.locator(MAILTO).count() == 0, page.locator(MAILTO).all_inner_texts()


def _open(page, link: str) -> None:
    """Follow a link in the sidebar, opening the menu first on a phone."""
    if page.viewport_size["width"] < 600:
        page.get_by_test_id("stExpandSidebarButton").click()
    open_from_navigation(page, link)


PAGES = [  # (link, screenshot name, text the page must show)
    ("Overview", "overview", f"by {UPLOADER}"),
    ("Shared Services", "shared-services", f"by {UPLOADER}"),
    ("E-bulletin statistics", "ebulletin", f"by {UPLOADER}"),
    ("Tenancy Fraud Pilot", "tenancy-fraud", NOTE),
    ("Mail", "mail", USERS["viewer"]),
    ("My e-mail", "my-mail", "Send me the board pack"),
]


@pytest.mark.parametrize("size", [(1920, 1080), (390, 844)])
def test_no_address_is_a_link_on_the_section_pages_or_the_mail_pages(browser, mailed_server, size):
    context = browser.new_context(viewport=dict(zip(("width", "height"), size, strict=True)))
    page = context.new_page()
    try:
        sign_in(page, mailed_server, "admin")
        for link, name, shows in PAGES:
            _open(page, link)
            _no_links(page, f"{name}-{size[0]}", shows)
    finally:
        context.close()


def test_no_address_is_a_link_on_any_meeting_screen(browser, mailed_server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        open_meeting_mode(page, mailed_server, "every=0")
        for slug, title, _ in SCREENS:
            # A section with a commentary has a screen of its own for it, after its own.
            commentary = page.get_by_role("heading", name=re.compile(": commentary$"))
            expect(heading(page, title).or_(commentary)).to_be_visible(timeout=WAIT)
            if commentary.count():
                _no_links(page, f"present-{slug}-commentary", "commentary")
                page.get_by_role("button", name="Next").click()
            expect(heading(page, title)).to_be_visible(timeout=WAIT)
            source = page.locator(".st-key-present-source")
            expect(source).to_contain_text(f"by {UPLOADER}", timeout=WAIT)
            _no_links(page, f"present-{slug}", title)
            page.get_by_role("button", name="Next").click()
    finally:
        context.close()
