"""End to end: sign in with a role and browse the unit tree in a real (headless) browser."""

from __future__ import annotations

import os
import re

import pytest

from congvu.org.roles import Role
from factories import make_unit, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = os.environ.get("CONGVU_SCREENSHOT", "/tmp/congvu-unit-tree.png")


def test_login_and_see_unit_tree(live_server, chromium_browser):
    from playwright.sync_api import expect

    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    make_unit("Sở Nội vụ", parent=province, code="51-SNV")
    ward = make_unit("Phường Cẩm Thành", kind="ward", parent=province, code="51-CT")
    make_unit("Bộ phận một cửa phường Cẩm Thành", kind="onestop_desk", parent=ward, code="51-CT-1C")
    make_unit("Xã Tịnh Khê", kind="commune", parent=province, code="51-TK")
    make_user_with_role(Role.UNIT_LEADER, province, "lanhdao")

    # Vietnamese browser, as the officials' machines are; the UI language follows Accept-Language.
    context = chromium_browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto(f"{live_server.url}/units/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/units/"))
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit].primary")

    expect(page).to_have_url(re.compile(r"/units/$"))
    tree = page.locator(".tree-card")
    expect(tree.get_by_text("Tỉnh Quảng Ngãi")).to_be_visible()
    expect(tree.get_by_text("Sở Nội vụ")).to_be_visible()
    expect(tree.get_by_text("Xã Tịnh Khê")).to_be_visible()

    # Opening a node loads its children through htmx.
    page.locator("summary[aria-label$='Phường Cẩm Thành']").click()  # the toggle is apart from the link
    expect(tree.get_by_text("Bộ phận một cửa phường Cẩm Thành")).to_be_visible()

    # Search as you type, without diacritics.
    page.fill("#id_q", "tinh khe")
    expect(page.locator("#search-results").get_by_text("Xã Tịnh Khê")).to_be_visible()

    page.screenshot(path=SCREENSHOT, full_page=True)
    assert external == [], external
    context.close()
