"""The board paper downloaded from the Overview, read back: its contact officer block as the
officer typed it in the pack panel, the bulletins it leaves out, and what Recommendation 1 cites."""

import datetime as dt
import io

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_board_pack import choose_date, first_click, settled

CONTACT = {
    "Contact officer": "Jane Smith",
    "Position": "Programme Manager",
    "Telephone": "020 7664 3000",
    "E-mail address": "jane.smith@local.gov.uk",
}


def test_the_paper_carries_the_contact_officer_typed_in_the_pack_panel(browser, sample_server):
    from pypdf import PdfReader

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, sample_server, "officer")
        settled(page)
        # The expander's summary, not the field of the same name inside it: Streamlit may
        # already have drawn the (hidden) field, whose label has the same words.
        page.locator("summary").filter(has_text="Contact officer").click()
        for label, value in CONTACT.items():
            page.get_by_label(label, exact=True).fill(value)
        choose_date(page, dt.date(2013, 3, 20))
        screenshot(page, "board-paper-contact-officer")
        data = first_click(page, "Paper (PDF)")
    finally:
        context.close()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    for line in (
        "Contact officer: Jane Smith",
        "Position: Programme Manager",
        "Telephone: 020 7664 3000",
        "E-mail: jane.smith@local.gov.uk",
    ):
        assert line in text
    assert "the e-bulletins sent on 21 March 2013, 25 April 2013 and 23 May 2013" in text
    assert "and its financial implications in paragraphs" in text
    assert "Budget and spend by category, 2013/14" in text
