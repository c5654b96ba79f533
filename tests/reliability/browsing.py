"""A Chromium page for the reliability suite's browser tests, set up as tests/browser does."""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import pytest

from tests.browser.conftest import _RUNNING, CHROMIUM, CHROMIUM_FLAGS


@contextmanager
def chromium_page() -> Iterator:
    """Yield a new 1920x1080 page in headless Chromium, or skip saying what is missing."""
    if CHROMIUM is None:
        pytest.skip("no Chromium found (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # One sync Playwright per process: when the browser suite's is still running (it lives
    # for the whole session), use it, since a second one refuses to start.
    running = nullcontext(_RUNNING[0]) if _RUNNING else sync_api.sync_playwright()
    with running as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        finally:
            browser.close()
