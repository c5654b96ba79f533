"""The server judges uploads itself, and refuses to serve production with unsafe settings.

Streamlit once enforced `file_uploader(type=...)` only in the browser (CVE-2025-1684), so
the browser tests here rewrite the upload request on its way to the server, as a proxy in
an attacker's hands could, and check what the app does with the file it receives.
"""

import dataclasses
import os
import re
import secrets
import subprocess
import sys

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from lgadata import security
from lgadata.db import get_engine, make_engine
from lgadata.ingest import check_bytes
from lgadata.models import Upload
from lgadata.reader import sniff
from lgadata.settings import REPO_ROOT, Settings, get_settings
from lgadata.workstreams import get_workstream
from tests.browser.conftest import free_port, prepare_database, sign_in, start_server
from tests.reliability.browsing import chromium_page
from tests.workbooks import make_csv

SECRET = "s" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script><table></table></body></html>"


@pytest.mark.parametrize(
    ("environment", "cookie_secret", "xsrf", "refused_for"),
    [
        ("development", None, False, []),
        ("production", SECRET, True, []),
        ("production", None, True, ["server.cookieSecret is not set"]),
        ("production", "short", True, ["shorter than 32 characters"]),
        ("production", SECRET, False, ["server.enableXsrfProtection is off"]),
        ("production", None, False, ["cookieSecret is not set", "enableXsrfProtection is off"]),
    ],
)
def test_production_needs_a_cookie_secret_and_xsrf_protection(
    environment, cookie_secret, xsrf, refused_for
):
    problem = security.production_problem(
        environment=environment, cookie_secret=cookie_secret, xsrf_protection=xsrf
    )
    if not refused_for:
        assert problem is None
        return
    assert problem.startswith("The dashboard will not start in production")
    for words in refused_for:
        assert words in problem


def test_the_dashboard_shows_the_production_refusal_instead_of_any_page(tmp_path, monkeypatch):
    monkeypatch.setenv("LGADATA_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("LGADATA_ENVIRONMENT", "production")
    get_settings.cache_clear()
    get_engine.cache_clear()
    st.cache_resource.clear()
    try:
        app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=30).run()
        assert [e.value for e in app.error] == [
            security.production_problem(
                environment="production", cookie_secret=None, xsrf_protection=True
            )
        ]
        assert not app.text_input, "the sign-in form must not show"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        get_engine.cache_clear()
        st.cache_resource.clear()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("an oversized file reached a reader")

    monkeypatch.setattr(sniff, "sniff_format", never)
    monkeypatch.setattr("lgadata.reader.sniff_format", never)
    data = b"x" * (2_000_000 + 1)
    parsed = check_bytes(
        data, "links.csv", workstream="ebulletin", settings=Settings(max_upload_mb=2)
    )
    assert [(p.code, p.message) for p in parsed.errors] == [
        (
            "too-large",
            "links.csv is 2.0 MB, over the 2 MB limit. Remove sheets the return does not "
            "need, or split it, and upload it again.",
        )
    ]


@pytest.mark.parametrize(
    ("settings", "limit", "code"),
    [
        ({"max_rows_per_sheet": 50}, "50", "too-many-cells"),  # refused as it is read
        ({}, None, "too-many-rows"),  # the workstream's own limit, below the global one
    ],
)
def test_a_sheet_over_the_row_limit_is_refused_with_the_limit_named(settings, limit, code):
    workstream = get_workstream("ebulletin")
    if limit is None:
        workstream, limit = dataclasses.replace(workstream, max_rows=40), "40"
    rows = [["bulletin", "url", "views"]]
    rows += [["Issue 1", f"https://example.org/{i}", i] for i in range(60)]
    parsed = check_bytes(
        make_csv(rows), "links.csv", workstream=workstream, settings=Settings(**settings)
    )
    assert [p.code for p in parsed.errors] == [code]
    assert limit in parsed.errors[0].message, parsed.errors[0].message


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "lgadata" + secrets.token_hex(8)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), boundary


@pytest.fixture
def production_server(tmp_path):
    """A server in production configuration over its own database, with one user a role."""
    url = f"sqlite:///{tmp_path / 'server.db'}"
    prepare_database(url)
    env = {
        "LGADATA_ENVIRONMENT": "production",
        "LGADATA_MAX_UPLOAD_MB": "1",
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32),
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",  # others' edits must not rerun it
    }
    base, server = start_server(url, env=env)
    yield base, url
    server.terminate()
    server.wait(timeout=10)


def _uploads(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(Upload)).scalar_one()
    engine.dispose()
    return count


HOSTILE = [
    ("report.xlsx", PNG, "report.xlsx looks like a PNG image, not a spreadsheet"),
    ("links.xlsx", EXE, "links.xlsx looks like a file of another kind, not a spreadsheet"),
    ("links.csv", PAGE, "links.csv is a web page saved with a spreadsheet name"),
    ("big.csv", b"a,b\n" + b"1,2\n" * 300_000, "big.csv is 1.2 MB, over the 1 MB limit"),
    # Streamlit 1.67 checks the extension on the server too (since CVE-2025-1684), by raising
    # before the page runs: the officer sees its error and must reload. Last, for that reason.
    ("links.html", PAGE, "does not end in a kind the dashboard reads"),
]


@pytest.mark.slow
def test_files_sent_past_the_browser_are_judged_by_the_server_and_none_is_stored(
    production_server,
):
    base, url = production_server
    with chromium_page() as page:
        _send_past_the_browser(page, base, url)


def _send_past_the_browser(page, base: str, url: str) -> None:
    from playwright.sync_api import expect

    before = _uploads(url)
    swap: dict = {}
    sent: list[str] = []

    def rewrite(route, request):
        if request.method != "PUT":
            route.continue_()
            return
        sent.append(request.url)
        body, boundary = _multipart(swap["name"], swap["content"])
        headers = {k: v for k, v in request.all_headers().items() if k.lower() != "content-length"}
        headers["content-type"] = f"multipart/form-data; boundary={boundary}"
        route.continue_(post_data=body, headers=headers)

    sign_in(page, base, "officer")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Upload").click()
    page.route(re.compile(r".*/_stcore/upload_file/.*"), rewrite)
    for name, content, message in HOSTILE:
        swap.update(name=name, content=content)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "links.csv", "mimeType": "text/csv", "buffer": b"bulletin\nx\n"}]
        )
        expect(page.get_by_text(message)).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name=re.compile("^Store as version"))).to_have_count(0)
    assert len(sent) == len(HOSTILE)
    assert _uploads(url) == before
    # Without the XSRF token from Streamlit's cookie, the upload endpoint refuses the file.
    response = page.request.put(
        sent[0], multipart={"file": {"name": "a.csv", "mimeType": "text/csv", "buffer": b"a\n"}}
    )
    assert response.status == 403


@pytest.mark.slow
def test_a_production_server_without_a_cookie_secret_refuses_to_start_and_says_why(tmp_path):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    prepare_database(url)
    environment = os.environ | {"LGADATA_DATABASE_URL": url, "LGADATA_ENVIRONMENT": "production"}
    command = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "serve.py")]
    port = ["--server.port", str(free_port()), "--server.headless", "true"]
    finished = subprocess.run(
        command + port, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert finished.returncode != 0
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in finished.stdout + finished.stderr
