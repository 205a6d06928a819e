"""End to end in headless chromium: a citizen files online with an upload (phone-sized screen), an
officer signs in and accepts, the citizen looks the dossier up (right and wrong second factor) and
rates it after the result is returned."""

from __future__ import annotations

import re

import pytest
from citizen_data import PDF

from congvu.citizen.models import OnlineSubmission
from congvu.onestop import services as s
from congvu.org.roles import Role
from factories import make_unit, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_file_accept_lookup_rate(live_server, chromium_browser):
    from playwright.sync_api import expect

    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    commune = make_unit("Xã Ba Bích", kind="commune", parent=province, code="51-BB")
    desk = make_unit("Bộ phận một cửa xã Ba Bích", kind="onestop_desk", parent=commune, code="H55.08.26")
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    s.procedure_create(code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune",
                       processing_time=5, online_level="full",
                       components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1}])
    make_user_with_role(Role.ONESTOP_OFFICER, desk, "motcua")

    citizen = chromium_browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = citizen.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)

    # 1. catalogue without diacritics → procedure → online filing with an upload
    page.goto(f"{live_server.url}/citizen/?q=dang ky khai sinh")
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh").click()
    expect(page.get_by_text("Tờ khai đăng ký khai sinh")).to_be_visible()
    page.click("#file-online")
    page.fill("#applicant_name", "Nguyễn Thị Hoa")
    page.fill("#applicant_id_number", "051190000123")
    page.fill("#applicant_phone", "0905 123 456")
    comp_input = page.locator("input[type=file]").first
    comp_input.set_input_files({"name": "to-khai.exe.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"0" * 99})
    page.click("#submit-filing")
    expect(page.locator("#form-error")).to_contain_text("tệp chạy Windows")
    page.locator("input[type=file]").first.set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("#submit-filing")
    receipt = page.locator("#receipt-number")
    expect(receipt).to_have_text(re.compile(r"^TT-\d{6}-[A-Z0-9]{6}$"))
    receipt_number = receipt.inner_text()

    # 2. the officer signs in and accepts
    officer = chromium_browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    desk_page = officer.new_page()
    desk_page.goto(f"{live_server.url}/citizen/desk/")
    desk_page.fill("#id_username", "motcua")
    desk_page.fill("#id_password", "secret-pass-123")
    desk_page.click("button[type=submit].primary")
    desk_page.get_by_role("link", name=receipt_number).click()
    desk_page.click("#accept")
    expect(desk_page.locator(".messages")).to_contain_text("Đã tiếp nhận hồ sơ H55.08.26-")
    dossier = OnlineSubmission.objects.get(receipt_number=receipt_number).dossier
    assert dossier.channel == "online" and dossier.received_at > dossier.submitted_at

    # 3. lookup: wrong second factor, then the right one
    page.goto(f"{live_server.url}/citizen/tra-cuu/")
    page.fill("#code", dossier.code)
    page.fill("#phone4", "0000")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-not-found")).to_be_visible()
    page.fill("#code", dossier.code)
    page.fill("#phone4", "3456")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-status")).to_contain_text("đã được tiếp nhận")
    expect(page.locator("#lookup-due")).to_be_visible()

    # 4. result returned → rating through the link shown on lookup
    s.dossier_transfer(dossier=dossier)
    s.dossier_record_result(dossier=dossier)
    s.dossier_return(dossier=dossier)
    page.goto(f"{live_server.url}/citizen/tra-cuu/?code={dossier.code}")
    page.fill("#phone4", "3456")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-status")).to_contain_text("Đã trả kết quả")
    page.click("#rate-link")
    for key in ("contacts", "agencies", "one_stop", "publicity", "attitude"):
        page.locator(f"input[name={key}][value='2']").check()
    page.locator("input[name=overall][value='1']").check()
    page.click("#submit-rating")
    expect(page.locator("#rating-thanks")).to_contain_text(dossier.code)
    page.go_back()
    page.reload()
    expect(page.locator("#rating-refused")).to_contain_text("chỉ dùng một lần")

    assert external == [], external
    citizen.close()
    officer.close()
