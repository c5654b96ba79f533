"""The Users page: an administrator adds an officer and a viewer, and their roles show."""

from lgadata import audit, auth
from lgadata.db import make_engine


def test_an_administrator_adds_an_officer_who_can_then_sign_in(open_page, database_url):
    app = open_page("users.py", role="admin")
    email, password = app.text_input[0], app.text_input[1]
    email.input("new.officer@example.gov.uk")
    app.selectbox[0].select("officer")
    password.input("a long enough password")
    app.button[-1].click().run()
    assert not app.exception
    assert "Saved new\\.officer\\@example\\.gov\\.uk as officer" in app.success[0].value
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
    app.button[-1].click().run()
    assert "at least 12 characters" in app.error[0].value
