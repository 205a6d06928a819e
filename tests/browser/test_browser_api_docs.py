"""Swagger UI at /api/docs renders from the bundled assets, with no request leaving the server."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_offline(live_server, chromium_browser):
    from playwright.sync_api import expect

    page = chromium_browser.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("congvu API")
    expect(page.locator("#operations-org-list_units")).to_be_visible()
    assert external == [], external
    page.close()
