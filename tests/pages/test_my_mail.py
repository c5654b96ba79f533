"""The My e-mail page: a board member stops the pack or has it as Word, for themselves only."""

import pytest

from lgadata import audit
from lgadata.db import make_engine
from lgadata.mail import mail_preferences
from tests.pages.test_sign_in import run_page_alone

VIEWER = "viewer@example.gov.uk"  # whom open_page signs in as a viewer


def save(app):
    [button] = [b for b in app.button if b.label == "Save"]
    return button.click().run()


def test_a_viewer_chooses_word_then_stops_the_pack_for_themselves(open_page, database_url):
    app = open_page("my_mail.py", role="viewer")
    assert [t.value for t in app.title] == ["My e-mail"]
    assert f"The pack is sent to {VIEWER}" in [t.value for t in app.text]
    assert app.toggle[0].value is True and app.radio[0].value == "pdf"
    app.radio[0].set_value("docx")
    app = save(app)
    assert "as Word" in app.success[0].value
    engine = make_engine(database_url)
    assert mail_preferences(engine=engine, email=VIEWER)["attachment"] == "docx"
    app.toggle[0].set_value(False)
    app = save(app)
    assert "not sent the pack" in app.success[0].value
    assert mail_preferences(engine=engine, email=VIEWER) == {
        "email": VIEWER,
        "opted_out": True,
        "attachment": "docx",
    }
    events = audit.events(engine=engine, action="mail preferences", actor=VIEWER)
    assert [e["detail"]["opted_out"] for e in events] == [True, False]  # newest first
    engine.dispose()


def test_every_change_of_mind_on_one_page_is_saved(open_page, database_url):
    """Off, on, off again and Word, without leaving the page: each save keeps what was
    chosen (the walk of issue 19 saw every second change of the switch dropped)."""
    app = open_page("my_mail.py", role="viewer")
    engine = make_engine(database_url)
    for wanted, attachment in [(False, "pdf"), (True, "pdf"), (False, "docx"), (True, "docx")]:
        app.toggle[0].set_value(wanted)
        app.radio[0].set_value(attachment)
        app = save(app)
        assert not app.exception
        assert app.toggle[0].value is wanted and app.radio[0].value == attachment
        stored = mail_preferences(engine=engine, email=VIEWER)
        assert (stored["opted_out"], stored["attachment"]) == (not wanted, attachment)
    engine.dispose()


def test_the_page_opens_with_the_choices_saved(open_page, database_url):
    app = open_page("my_mail.py", role="viewer")
    app.toggle[0].set_value(False)
    save(app)
    app = open_page("my_mail.py", role="viewer")
    assert app.toggle[0].value is False
    # and says so, not that the pack is sent (seen by the walk of issue 19)
    assert [t.value for t in app.text] == [
        f"The pack is not sent to {VIEWER}: you chose not to have it."
    ]


def test_an_officer_is_told_the_pack_goes_to_board_members(open_page):
    app = open_page("my_mail.py", role="officer")
    assert "as officer you are not sent it" in app.info[0].value
    assert not [t.value for t in app.text if t.value.startswith("The pack is sent")]


@pytest.mark.parametrize("role", ["viewer", "officer", "admin"])
def test_every_role_has_my_e_mail_in_its_navigation(open_page, role):
    app = open_page(role=role)
    app.switch_page("pages/my_mail.py").run()
    assert [t.value for t in app.title] == ["My e-mail"]


def test_my_e_mail_run_on_its_own_signed_out_shows_nothing(database_url, monkeypatch):
    app = run_page_alone("my_mail.py", database_url, monkeypatch, role=None)
    assert not app.toggle and not app.radio and not app.exception
