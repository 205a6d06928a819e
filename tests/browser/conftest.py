"""Browser tests drive Debian's /usr/bin/chromium through Playwright (no downloaded browser).

`chromium_browser` fails the test when any page it opened reports a Content-Security-Policy violation
(console "Refused to ..." messages): the templates must load every script and style from /static/.
`launch_chromium()` is the same for tests that manage Playwright themselves.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _is_csp(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


class CspWatchingBrowser:
    """A Playwright Browser whose contexts record CSP violations in `violations`."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def _watch(self, context: Any) -> Any:
        def on_console(message: Any) -> None:
            if _is_csp(message.text):
                self.violations.append(f"{message.type}: {message.text}")

        context.on("console", on_console)
        context.on("page", lambda page: page.on("pageerror", lambda err: _is_csp(str(err))
                                                 and self.violations.append(str(err))))
        return context

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        return self._watch(self._browser.new_context(*args, **kwargs))

    def new_page(self, *args: Any, **kwargs: Any) -> Any:
        context = self.new_context(*args, **kwargs)
        page = context.new_page()
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must provide Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); set CI=1 to make this fail.")


@pytest.fixture
def chromium_browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = CspWatchingBrowser(p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()
        assert not browser.violations, "Content-Security-Policy violations:\n" + "\n".join(browser.violations)
