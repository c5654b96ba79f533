"""The dashboard's own HTTP routes: the sign-in form, its cookie, the guard and the API."""

import json
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from lgadata import audit, sessions, tokens
from lgadata.auth import Role, command_line, save_user
from lgadata.db import get_engine
from lgadata.settings import get_settings
from lgadata.web import api, guard, shapes, signin

ADMIN = command_line("setup")
EMAIL = "jo@example.gov.uk"
PASSWORD = "correct horse battery"


async def page(request):
    return PlainTextResponse("the app's page")


@pytest.fixture
def client(empty_engine, database_url, monkeypatch):
    monkeypatch.setenv("LGADATA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    save_user(engine=empty_engine, by=ADMIN, email=EMAIL, role=Role.OFFICER, password=PASSWORD)
    app = Starlette(
        routes=[*signin.ROUTES, *api.ROUTES, *shapes.ROUTES, Route("/{path:path}", page)],
        middleware=[Middleware(guard.Guard, public_view=lambda: False)],
    )
    with TestClient(app, base_url="http://dashboard.test") as test_client:
        yield test_client
    get_engine.cache_clear()


HTML = {"accept": "text/html"}


def form(client, next_path="/shared_services"):
    response = client.get(signin.SIGN_IN_PATH, params={"next": next_path}, headers=HTML)
    csrf = re.search(r'name="csrf" value="([^"]+)"', response.text).group(1)
    return response, csrf


SAME_ORIGIN = {"origin": "http://dashboard.test"}


def post(client, csrf, *, password=PASSWORD, next_path="/shared_services", **headers):
    return client.post(
        signin.SIGN_IN_PATH,
        data={"email": EMAIL, "password": password, "csrf": csrf, "next": next_path},
        headers=SAME_ORIGIN | headers,
        follow_redirects=False,
    )


def test_a_signed_out_page_load_goes_to_the_form_and_comes_back_after_sign_in(client):
    response = client.get(
        "/shared_services?present=1&every=10", headers=HTML, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/account/sign-in?next=%2Fshared_services%3Fpresent%3D1%26every%3D10"
    )
    _, csrf = form(client)
    signed_in = post(client, csrf, next_path="/shared_services?present=1&every=10")
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/shared_services?present=1&every=10"
    cookie = signed_in.headers["set-cookie"]
    assert "lgadata_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/shared_services", headers=HTML).text == "the app's page"


def test_a_wrong_password_shows_the_form_again_with_the_one_message(client):
    _, csrf = form(client)
    response = post(client, csrf, password="not the password")
    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert sessions.COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("csrf", "headers"),
    [
        ("", {}),
        ("forged", {}),
        (None, {"origin": "http://evil.example"}),
        (None, {"origin": "null"}),
        # A planted CSRF cookie and field that match, from a client that says where it is
        # from nowhere, or from another site's page.
        ("planted", {"origin": ""}),
        ("planted", {"origin": "", "referer": "https://evil.example/x"}),
    ],
)
def test_a_post_without_the_forms_token_or_from_another_site_is_refused(client, csrf, headers):
    _, real = form(client)
    if csrf == "planted":
        client.cookies.set(signin.CSRF_COOKIE, "planted", path="/account/")
    response = post(client, real if csrf is None else csrf, **headers)
    assert response.status_code == 403
    assert sessions.COOKIE not in response.cookies


@pytest.mark.parametrize(
    "next_path",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_sign_in_only_ever_returns_to_this_site(client, next_path):
    _, csrf = form(client)
    assert post(client, csrf, next_path=next_path).headers["location"] == "/"


def test_the_form_escapes_what_it_is_given(client):
    response = client.get(signin.SIGN_IN_PATH, params={"next": '/x"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in response.text


def test_every_response_carries_the_security_headers(client):
    for path in ("/", signin.SIGN_IN_PATH, "/api/v1/metrics", "/_stcore/health"):
        headers = client.get(path, headers=HTML, follow_redirects=False).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers  # plain HTTP


def test_signing_out_ends_the_session_and_the_next_page_load_asks_again(client, empty_engine):
    _, csrf = form(client)
    post(client, csrf)
    assert client.get("/overview", headers=HTML).text == "the app's page"
    out = client.post(signin.SIGN_OUT_PATH, headers=SAME_ORIGIN, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/overview", headers=HTML, follow_redirects=False).status_code == 303
    assert [e["action"] for e in audit.events(engine=empty_engine)][0] == "sign-in"


def test_the_api_answers_a_valid_token_only(client, empty_engine):
    assert client.get("/api/v1/metrics").status_code == 401
    token = tokens.issue(engine=empty_engine, by=ADMIN, email=EMAIL, label="test")
    bearer = {"authorization": f"Bearer {token}"}
    figures = client.get("/api/v1/metrics", headers=bearer).json()
    assert "shared_services" in figures and "data_version" in figures
    one = client.get("/api/v1/sections/capital_assets", headers=bearer).json()
    assert set(one) == {"data_version", "capital_assets"}
    assert client.get("/api/v1/sections/nothing", headers=bearer).status_code == 404
    # The programme's figures stay under "programme", asked for by the old key or the new.
    for key in ("programme", "programme_milestones"):
        one = client.get(f"/api/v1/sections/{key}", headers=bearer).json()
        assert set(one) == {"data_version", "programme"}, key
    assert "programme" in figures and "programme_milestones" not in figures
    token_id = tokens.listed(engine=empty_engine)[0]["id"]
    tokens.revoke(engine=empty_engine, by=ADMIN, token_id=token_id)
    assert client.get("/api/v1/metrics", headers=bearer).status_code == 401


def test_the_health_check_says_whether_the_database_answers(client, monkeypatch):
    assert client.get("/api/health").json() == {"status": "ok", "database": "ok"}
    monkeypatch.setenv("LGADATA_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    get_engine.cache_clear()
    answer = client.get("/api/health")
    assert answer.status_code == 503 and answer.json()["database"] == "unreachable"


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v2/metrics", "/api/"])
def test_an_unknown_api_address_is_a_json_404_not_the_page(client, path):
    answer = client.get(path, headers=HTML)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/json"


def test_the_maps_boundaries_are_served_once_gzipped_and_kept_by_the_browser(client):
    # The Shared Services page's map names them by address instead of carrying 318 KB of
    # them in its spec on every run; they are public data, asked for by the page's own chart.
    from lgadata.charts.council_map import BOUNDARIES_URL, SHAPES, one_object
    from lgadata.councils import load_boundaries

    answer = client.get(BOUNDARIES_URL, headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert int(answer.headers["content-length"]) < 200_000
    assert answer.json() == json.loads(json.dumps(one_object(load_boundaries())))
    assert len(answer.json()["objects"][SHAPES]["geometries"]) == 326 + 27
    assert "max-age" in answer.headers["cache-control"]
    again = client.get(BOUNDARIES_URL, headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304 and not again.content


@pytest.mark.parametrize(
    "ended, said",
    [
        ("disabled", "This account has been disabled. Ask an administrator if you still need"),
        ("idle", "You were signed out after a time without activity. Please sign in again."),
    ],
)
def test_the_form_says_why_a_sign_in_ended_and_asks_no_disabled_user_to_sign_in(
    client, ended, said
):
    # The walk of issue 17: a disabled officer was told to "Please sign in again".
    response = client.get(signin.SIGN_IN_PATH, params={"ended": ended}, headers=HTML)
    assert said in response.text
    assert ended != "disabled" or "Please sign in again" not in response.text
