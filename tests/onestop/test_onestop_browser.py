"""End to end at the one-stop desk in headless chromium: sign in, receive a dossier, request a
supplement (the clock pauses), receive it, complete the steps, record the result, return it."""

from __future__ import annotations

import os
import re

import pytest

from browser.conftest import chromium_browser  # noqa: F401  (the chromium fixture lives in tests/browser)
from congvu.onestop import services as s
from congvu.onestop.models import Dossier
from factories import make_unit, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("CONGVU_SCREENSHOT_DIR", "/tmp")


def _act(page, name: str, fields: dict[str, str] | None = None, select: dict[str, str] | None = None) -> None:
    box = page.locator(f"#action-{name}")
    box.locator("summary").click()
    for field, value in (fields or {}).items():
        box.locator(f"[name='{name}-{field}']").fill(value)
    for field, value in (select or {}).items():
        box.locator(f"[name='{name}-{field}']").select_option(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_desk_receive_supplement_complete_and_return(live_server, chromium_browser):  # noqa: F811
    from playwright.sync_api import expect

    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    commune = make_unit("Xã Bình Thạnh", kind="commune", parent=province, code="51-BT")
    desk = make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune", processing_time=3,
        components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1}, {"name": "Giấy chứng sinh", "originals": 1}],
        steps=[{"name": "Thẩm định", "share": "0.6", "unit": desk}, {"name": "Ký duyệt", "share": "0.4"}],
    )
    s.procedure_create(code="1.004873", name="Cấp Giấy xác nhận tình trạng hôn nhân", field=field, level="commune",
                       processing_time=3)
    make_user_with_role("onestop_officer", desk, "motcua")

    context = chromium_browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto(f"{live_server.url}/onestop/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/onestop/"))
    page.fill("#id_username", "motcua")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/onestop/$"))
    expect(page.locator("nav.sidenav a[data-module=onestop]")).to_have_class(re.compile("active"))

    # Receive at the desk: search the procedure without accents, tick the components.
    page.click("#btn-receive")
    page.fill("#proc_q", "khai sinh")
    expect(page.locator("#id_procedure option")).to_have_count(1)
    page.select_option("#id_procedure", str(proc.pk))
    comps = list(proc.components.values_list("pk", flat=True))
    expect(page.locator(f"#comp-{comps[0]}")).to_be_visible()
    page.fill("#id_applicant_name", "Nguyễn Thị Hoà")
    page.fill("#id_applicant_phone", "0905123456")
    for pk in comps:
        page.check(f"#comp-{pk}")
        page.check(f"#dig-{pk}")  # "Đã số hóa" only with the file (issue 15)
        page.set_input_files(f"#file-{pk}", files=[{"name": f"tp-{pk}.pdf", "mimeType": "application/pdf",
                                                     "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    page.screenshot(path=f"{SHOTS}/congvu-onestop-receive-form.png", full_page=True)
    page.click("#btn-do-receive")
    expect(page).to_have_url(re.compile(r"/onestop/d/H55\.01\.12-\d{6}-0001/\?slip=1$"))
    d = Dossier.objects.get()
    expect(page.locator("#receipt-slip")).to_contain_text(d.code)
    expect(page.locator("#receipt-slip")).to_contain_text(d.receipt_slip.content["due"])
    expect(page.locator("#dossier-state")).to_have_text("Mới tiếp nhận")
    page.screenshot(path=f"{SHOTS}/congvu-onestop-receipt.png", full_page=True)

    _act(page, "transfer")
    expect(page.locator("#dossier-state")).to_have_text("Đã chuyển xử lý")

    # Supplement: the clock pauses while the citizen completes the dossier.
    _act(page, "request_supplement", {"items": "Bản sao giấy chứng sinh có chứng thực"})
    expect(page.locator("#dossier-state")).to_have_text("Yêu cầu bổ sung")
    expect(page.locator("#clock-paused")).to_contain_text("tạm dừng")
    expect(page.locator("#dossier-timeliness")).to_have_text("Tạm dừng")
    expect(page.locator("#supplement-slip")).to_contain_text("đang chờ bổ sung")
    page.screenshot(path=f"{SHOTS}/congvu-onestop-paused.png", full_page=True)
    _act(page, "supplement_received")
    expect(page.locator("#clock-paused")).to_have_count(0)
    expect(page.locator("#timeline li[data-transition=supplement_received]")).to_contain_text("Hẹn trả mới")
    expect(page.locator("#supplement-slip")).to_contain_text("đã nhận bổ sung")

    _act(page, "step_complete", {"note": "Hồ sơ hợp lệ"})
    expect(page.locator("#current-step")).to_contain_text("Ký duyệt")
    _act(page, "step_complete")
    expect(page.locator("#action-step_complete")).to_have_count(0)
    _act(page, "record_result", {"result_code": "15/2025/GKS"})
    expect(page.locator("#dossier-state")).to_have_text("Đã xử lý xong")
    expect(page.locator("#action-return_result")).to_be_visible()
    _act(page, "return_result", select={"method": "desk"})
    expect(page.locator("#dossier-state")).to_have_text("Đã trả kết quả")
    expect(page.locator(".msg.success")).to_contain_text("Đã trả kết quả")
    expect(page.locator("#result-slip")).to_contain_text("15/2025/GKS")
    page.screenshot(path=f"{SHOTS}/congvu-onestop-dossier.png", full_page=True)

    d.refresh_from_db()
    assert d.state == "returned" and d.supplement_count == 1 and d.verdict in ("early", "on_time")
    assert [e.transition for e in d.events.order_by("at", "id")] == [
        "receive", "transfer", "request_supplement", "supplement_received", "step_complete", "step_complete",
        "record_result", "return_result"]

    # The queue finds it by phone, as you type; the dashboard counts it.
    page.goto(f"{live_server.url}/onestop/?tab=finished")
    page.fill("#id_q", "0905123")
    expect(page.locator("#search-summary")).to_be_visible()
    expect(page.locator(f"tr[data-code='{d.code}']")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/congvu-onestop-queue.png", full_page=True)
    page.goto(f"{live_server.url}/onestop/stats/")
    expect(page.locator("[data-kpi=received]")).to_have_text("1")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-monthly')")
    page.screenshot(path=f"{SHOTS}/congvu-onestop-stats.png", full_page=True)

    assert external == [], external
    context.close()
