"""Single sign-on through a real browser: Streamlit's OpenID Connect against a mock identity
provider on this machine, with roles from the user table or the provider's groups claim."""

import json
import secrets
import shutil
import warnings

import pytest

from lgadata import audit
from lgadata.db import make_engine
from lgadata.settings import REPO_ROOT
from tests.browser.conftest import (
    SSO_SECRETS,
    USERS,
    free_port,
    prepare_database,
    screenshot,
    start_server,
)

with warnings.catch_warnings():
    # oidc-provider-mock 0.3 imports parts of Authlib that Authlib 1.9 deprecates, and
    # Authlib turns its deprecation warnings on as it loads: so load it, then quieten them.
    pytest.importorskip("authlib.deprecate", reason="Authlib is not installed: requirements.txt")
    warnings.simplefilter("ignore", DeprecationWarning)
    oidc_provider_mock = pytest.importorskip(
        "oidc_provider_mock",
        reason="oidc-provider-mock is not installed: pip install -r requirements-dev.txt",
    )

# The mock provider runs in this process and uses Authlib APIs that Authlib 1.9 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")

ROLE_CLAIMS = {"lga-officers": "officer", "lga-board": "viewer"}
# Addresses that are not in the user table, so that their role comes from the groups claim.
OFFICER = "sso.officer@example.gov.uk"
VIEWER = "sso.viewer@example.gov.uk"
STRANGER = "sso.stranger@example.gov.uk"
PROVIDER_USERS = [
    (OFFICER, ["lga-officers"]),
    (VIEWER, ["lga-board"]),
    (STRANGER, ["another-team"]),
    (USERS["admin"], ["lga-board"]),
]


@pytest.fixture(scope="module")
def identity_provider():
    """A mock OpenID provider on a free port that knows each provider user's claims."""
    users = [
        oidc_provider_mock.User(sub=email, claims={"email": email, "groups": groups})
        for email, groups in PROVIDER_USERS
    ]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory, identity_provider, browser):
    """A dashboard whose working directory has secrets.toml pointing at the mock provider."""
    directory = tmp_path_factory.mktemp("sso")
    (directory / ".streamlit").mkdir()
    shutil.copy(REPO_ROOT / ".streamlit" / "config.toml", directory / ".streamlit")
    # The redirect URI names the port, so the port is chosen before the server starts.
    port = free_port()
    (directory / ".streamlit" / "secrets.toml").write_text(
        SSO_SECRETS.format(
            base=f"http://127.0.0.1:{port}",
            cookie_secret=secrets.token_urlsafe(32),
            client_secret=secrets.token_urlsafe(16),
            issuer=identity_provider,
        ),
        encoding="utf-8",
    )
    url = f"sqlite:///{directory / 'sso.db'}"
    prepare_database(url, samples=False)
    base, server = start_server(
        url, env={"LGADATA_ROLE_CLAIMS": json.dumps(ROLE_CLAIMS)}, cwd=directory, port=port
    )
    engine = make_engine(url)
    yield base, engine
    engine.dispose()
    server.terminate()
    server.wait(timeout=10)


def sign_in_with_the_organisation(page, base: str, email: str, *, shot: str = "") -> None:
    """Go from the sign-in screen through the provider's login page and back."""
    from playwright.sync_api import expect

    page.goto(base)
    # A signed-out browser lands on the dashboard's sign-in form, which offers both ways.
    link = page.get_by_role("link", name="Sign in with your organisation")
    expect(link).to_be_visible(timeout=30_000)
    if shot:
        screenshot(page, shot)
    link.click()
    subject = page.get_by_placeholder("sub")
    expect(subject).to_be_visible(timeout=30_000)
    subject.fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**", timeout=30_000)


def sign_ins(engine, email: str) -> list[tuple[str, str]]:
    """Return (outcome, via) for each sign-in the audit log holds for that address."""
    events = audit.events(engine=engine, action="sign-in")
    return [(e["outcome"], e["detail"].get("via")) for e in events if e["actor"] == email]


def test_an_officer_from_the_organisation_signs_in_and_can_open_the_upload_page(sso_server, page):
    from playwright.sync_api import expect

    base, engine = sso_server
    sign_in_with_the_organisation(page, base, OFFICER, shot="sso-sign-in")
    expect(page.get_by_text(f"Signed in as {OFFICER} (officer)")).to_be_visible(timeout=30_000)
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation).to_contain_text("Upload")
    expect(navigation).not_to_contain_text("Users")
    navigation.get_by_role("link", name="Upload").click()
    expect(page.get_by_test_id("stFileUploader")).to_be_visible(timeout=30_000)
    screenshot(page, "sso-officer-upload")
    assert sign_ins(engine, OFFICER) == [("ok", "single sign-on")]


def test_a_viewer_from_the_organisation_has_no_upload_page_even_by_its_address(sso_server, page):
    from playwright.sync_api import expect

    base, engine = sso_server
    sign_in_with_the_organisation(page, base, VIEWER)
    expect(page.get_by_text(f"Signed in as {VIEWER} (viewer)")).to_be_visible(timeout=30_000)
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation).to_contain_text("Shared Services")
    expect(navigation).not_to_contain_text("Upload")
    page.goto(f"{base}/upload")
    # Still signed in (the identity cookie outlives the page), but the router left the page
    # out of the menu, and its address says plainly that a viewer may not use it.
    expect(page.get_by_text("needs permission to upload")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(f"Signed in as {VIEWER} (viewer)", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).not_to_contain_text("Upload")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    screenshot(page, "sso-viewer-upload-address")
    assert ("ok", "single sign-on") in sign_ins(engine, VIEWER)


def test_signing_out_ends_the_sign_in_at_the_provider_and_on_the_dashboard(sso_server, page):
    from playwright.sync_api import expect

    base, _ = sso_server
    sign_in_with_the_organisation(page, base, VIEWER)
    expect(page.get_by_text(f"Signed in as {VIEWER}")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Sign out").click()
    # Streamlit sends the browser to the provider's end-session page, which sends it back.
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("link", name="Sign in with your organisation")).to_be_visible(
        timeout=30_000
    )
    page.reload()
    expect(page.get_by_role("textbox", name="Password")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    assert "_streamlit_user" not in {c["name"] for c in page.context.cookies()}


@pytest.mark.parametrize(
    ("email", "shown"),
    [
        (USERS["admin"], f"Signed in as {USERS['admin']} (admin)"),  # the user table wins
        (STRANGER, None),  # a group that maps to no role admits no one
    ],
)
def test_the_user_table_decides_first_and_an_unmapped_group_is_refused(
    sso_server, page, email, shown
):
    from playwright.sync_api import expect

    base, engine = sso_server
    sign_in_with_the_organisation(page, base, email)
    if shown:
        expect(page.get_by_text(shown)).to_be_visible(timeout=30_000)
        assert sign_ins(engine, email)[-1] == ("ok", "single sign-on")
        return
    expect(page.get_by_text("that address has no role on the dashboard")).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    assert sign_ins(engine, email) == [("no role", "single sign-on")]
