"""Sign-in and roles in the app: the server decides which pages exist for whom."""

import pytest
from streamlit.testing.v1 import AppTest

from lgadata.auth import Role, command_line, save_user
from lgadata.bootstrap import ensure_database
from lgadata.db import make_engine
from lgadata.settings import REPO_ROOT
from tests.pages.conftest import point_at, sign_in_as, texts

PASSWORD = "a long enough password"


def add_local_user(database_url, email, role):
    engine = make_engine(database_url)
    ensure_database(engine=engine, seed_samples=True)
    save_user(
        engine=engine, by=command_line("test"), email=email, role=Role(role), password=PASSWORD
    )
    return engine


def signed_out_screen_only(app: AppTest) -> bool:
    """Say whether the run shows the way to sign in and nothing of the board."""
    links = [e.proto.url for e in app.get("link_button") if "Sign in" in e.proto.label]
    signed_out = bool(links) and all(u.startswith("/account/sign-in?next=") for u in links)
    return signed_out and not app.metric and not app.dataframe and not app.exception


def test_a_signed_out_visitor_sees_only_the_way_to_sign_in(open_page, database_url):
    add_local_user(database_url, "jo@example.gov.uk", "viewer")
    app = open_page(role=None)
    assert signed_out_screen_only(app)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("pages/shared_services.py")


def test_a_resumed_session_without_the_cookie_is_nobody(open_page, database_url):
    # AppTest carries no cookies, as a WebSocket that names a session id but brings no
    # cookie does not: nothing kept in the Streamlit session makes it someone.
    add_local_user(database_url, "jo@example.gov.uk", "admin")
    app = open_page(role=None)
    app.session_state["auth_actor"] = "jo@example.gov.uk"
    app.run()
    assert signed_out_screen_only(app)


@pytest.mark.parametrize(
    ("role", "page", "allowed"),
    [
        ("viewer", "upload.py", False),
        ("viewer", "history.py", False),
        ("viewer", "users.py", False),
        ("officer", "upload.py", True),
        ("officer", "history.py", True),
        ("officer", "users.py", False),
        ("officer", "audit.py", False),
        ("admin", "users.py", True),
        ("admin", "audit.py", True),
    ],
)
def test_a_page_a_role_may_not_use_is_not_in_its_navigation(open_page, role, page, allowed):
    app = open_page(role=role)
    titles = {
        "upload.py": "Upload",
        "history.py": "History",
        "users.py": "Users",
        "audit.py": "Audit log",
    }
    if allowed:
        app.switch_page(f"pages/{page}").run()
        assert titles[page] in [t.value for t in app.title]
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(f"pages/{page}")


def test_public_view_lets_anyone_see_the_board_but_not_upload(open_page, monkeypatch):
    monkeypatch.setenv("LGADATA_PUBLIC_VIEW", "true")
    app = open_page(role=None)
    assert "£278m" in texts(app)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("pages/upload.py")


PAGE_FILES = sorted(p.name for p in (REPO_ROOT / "pages").glob("*.py"))


def run_page_alone(page: str, database_url: str, monkeypatch, role: str | None) -> AppTest:
    """Run a page file on its own, as a fresh server does for a page URL requested first."""
    point_at(database_url, monkeypatch)
    add_local_user(database_url, "someone@example.gov.uk", "viewer").dispose()
    app = AppTest.from_file(str(REPO_ROOT / "pages" / page), default_timeout=30)
    sign_in_as(app, database_url, role)
    return app.run()


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_run_on_its_own_shows_only_the_way_to_sign_in(page, database_url, monkeypatch):
    app = run_page_alone(page, database_url, monkeypatch, role=None)
    assert signed_out_screen_only(app)


@pytest.mark.parametrize("page", ["upload.py", "history.py", "users.py", "audit.py"])
def test_an_officer_only_page_run_on_its_own_never_renders_for_a_viewer(
    page, database_url, monkeypatch
):
    app = run_page_alone(page, database_url, monkeypatch, role="viewer")
    assert "needs permission" in app.error[0].value
    # No address in markdown, where Streamlit makes it a mailto link (the walk of issue 19).
    assert "@" not in app.error[0].value
    assert not app.dataframe and not app.file_uploader and not app.exception
