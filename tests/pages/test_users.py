"""The Users page: an administrator adds an officer and a viewer, and their roles show."""

from lgadata import audit, auth
from lgadata.db import make_engine
from tests.pages.conftest import as_read


def button(app, label: str):
    """Return the one button with that label."""
    [found] = [b for b in app.button if b.label == label]
    return found


def test_an_administrator_adds_an_officer_who_can_then_sign_in(open_page, database_url):
    app = open_page("users.py", role="admin")
    email, password = app.text_input[0], app.text_input[1]
    email.input("new.officer@example.gov.uk")
    app.selectbox[0].select("officer")
    password.input("a long enough password")
    button(app, "Save").click().run()
    assert not app.exception
    # An address in an alert is no link (a word joiner), and reads as typed.
    assert "Saved new.officer@example.gov.uk as officer" in as_read(app.success[0].value)
    assert "officer\u2060\\@example" in app.success[0].value
    engine = make_engine(database_url)
    actor = auth.authenticate(
        engine=engine, email="new.officer@example.gov.uk", password="a long enough password"
    )
    assert actor.role is auth.Role.OFFICER
    assert ("admin@example.gov.uk", "user added") in [
        (e["actor"], e["action"]) for e in audit.events(engine=engine)
    ]


def test_a_short_password_is_refused_on_the_users_page(open_page):
    app = open_page("users.py", role="admin")
    app.text_input[0].input("x@example.gov.uk")
    app.text_input[1].input("short")
    button(app, "Save").click().run()
    assert "at least 12 characters" in app.error[0].value


def role_in_table(app, email: str) -> str:
    table = app.dataframe[0].value
    return table.loc[table["email"] == email, "role"].item()


def test_the_users_table_shows_a_role_change_as_soon_as_it_is_saved(open_page):
    app = open_page("users.py", role="admin")
    app.text_input[0].input("change.me@example.gov.uk")
    app.selectbox[0].select("viewer")
    button(app, "Save").click().run()
    assert role_in_table(app, "change.me@example.gov.uk") == "viewer"
    app.text_input[0].input("change.me@example.gov.uk")
    app.selectbox[0].select("officer")
    button(app, "Save").click().run()
    assert "as officer" in app.success[0].value
    assert role_in_table(app, "change.me@example.gov.uk") == "officer"


def test_an_administrator_disables_a_user_from_the_page(open_page, database_url):
    app = open_page("users.py", role="admin")
    app.text_input[0].input("leaver@example.gov.uk")
    button(app, "Save").click().run()
    form = [s for s in app.selectbox if s.label == "User"][0]
    form.select("leaver@example.gov.uk")
    app.radio[0].set_value("Disable (ends their sessions now)")
    app.checkbox[0].check()
    button(app, "Apply").click().run()
    assert not app.exception
    assert "leaver@example.gov.uk is disabled" in as_read(app.success[0].value)
    table = app.dataframe[0].value
    assert table.loc[table["email"] == "leaver@example.gov.uk", "disabled"].item()
    engine = make_engine(database_url)
    assert "user disabled" in [e["action"] for e in audit.events(engine=engine)]


def test_an_issued_token_is_shown_once(open_page):
    app = open_page("users.py", role="admin")
    [s for s in app.selectbox if s.label == "For"][0].select("admin@example.gov.uk")
    button(app, "Issue a token").click().run()
    assert app.code[0].value.startswith("lgapat_")
    app.run()
    assert not app.code
