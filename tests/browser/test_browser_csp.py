"""The CSP guard itself: a page with an inline script is reported (so the other browser tests can
trust a clean run), and the real pages carry the header."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_csp_header_on_pages(client):
    r = client.get("/login/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp


def test_inline_script_is_a_recorded_violation(live_server, chromium_browser):
    page = chromium_browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.evaluate("""() => { const s = document.createElement('div'); s.setAttribute('style', 'color:red');
        document.body.appendChild(s); const x = document.createElement('script'); x.textContent = '1';
        document.body.appendChild(x); }""")
    page.wait_for_timeout(300)
    assert chromium_browser.violations  # the policy blocked them, and the fixture saw it
    chromium_browser.violations.clear()
