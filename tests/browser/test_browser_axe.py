"""axe-core on every page (issue 15): zero critical or serious violations, desktop and phone width, and
no sideways scroll at 390 px on the citizen pages and the desk.

axe-core is vendored in `tests/browser/assets/axe.min.js` (npm axe-core 4.14.1, MPL-2.0, licence
beside it) and evaluated in the page through Playwright (no CDN, no inline script: the CSP stays on).
The counts of every page are printed (`-s`) for the report.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from congvu.org.roles import Role
from factories import make_unit, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "assets" / "axe.min.js").read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _world():
    from congvu.directives.importing import notice_create
    from congvu.onestop import services as s

    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    commune = make_unit("Xã Bình Sơn", kind="commune", parent=province, code="51-21040")
    office = make_unit("Ủy ban nhân dân xã Bình Sơn", parent=commune, code="51-21040-UBND")
    desk = make_unit("Trung tâm PVHCC xã Bình Sơn", kind="onestop_desk", parent=office, code="51-21040-TTPV")
    room = make_unit("Phòng Văn hóa - Xã hội xã Bình Sơn", parent=office, code="51-21040-PVHXH")
    users = {
        "lanhdao": make_user_with_role(Role.UNIT_LEADER, commune, "lanhdao"),
        "vanthu": make_user_with_role(Role.OFFICE_CLERK, office, "vanthu"),
        "motcua": make_user_with_role(Role.ONESTOP_OFFICER, desk, "motcua"),
        "chuyenvien": make_user_with_role(Role.SPECIALIST, room, "chuyenvien"),
        "thamdinh": make_user_with_role(Role.HOME_AFFAIRS_ASSESSOR, province, "thamdinh"),
    }
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "secret-pass-123")
    today = dt.date.today()
    notice = notice_create(actor=admin, issuer_unit=office, title="Kết luận của Chủ tịch UBND xã", date=today, tasks=[
        {"action": "Tham mưu kế hoạch chuyển đổi số", "unit_id": room.pk, "deadline": (today + dt.timedelta(days=3)).isoformat()},
        {"action": "Báo cáo kết quả cải cách hành chính", "unit_id": room.pk,
         "deadline": (today - dt.timedelta(days=20)).isoformat(), "flags": ["deadline_vague"]},
        {"action": "Quán triệt kết luận", "assignee": "Các cơ quan, đơn vị", "flags": ["assignee_generic", "no_deadline"]},
    ])
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune",
                              processing_time=3, fee_amount=406000, online_level="full", citizen_facing=True,
                              components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1}])
    dossier = s.dossier_receive(procedure=proc, unit=desk, applicant_name="Phạm Thị Mai", applicant_phone="0905123456",
                                channel="in_person")
    from congvu.directives import draft as drafts
    from congvu.directives.models import NoticeImport

    text = "**THÔNG BÁO**\n1. Phòng Văn hóa - Xã hội tham mưu kế hoạch chuyển đổi số trước ngày 30/6."
    review = NoticeImport.objects.create(unit=office, source_kind="paste", text=text, result={}, draft=drafts.refresh({
        "meta": {"title": "Kết luận", "date": today.isoformat()}, "next_id": 1, "reports": [],
        "tasks": [{"id": "t1", "assignee": "Phòng Văn hóa - Xã hội", "unit_id": None, "candidates": [],
                   "co_assignees": [], "co_unit_ids": [], "action": "Tham mưu kế hoạch chuyển đổi số",
                   "deadline": None, "deadline_text": "", "source_text": "", "start": 15, "end": len(text),
                   "flags": []}]}))
    return {"users": users, "notice": notice, "review": review, "task": notice.tasks.first(), "dossier": dossier, "proc": proc,
            "province": province}


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.press("#id_password", "Enter")
    page.wait_for_load_state()


def _check(page, url: str, report: dict, failures: list, *, phone_scroll: bool = False) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    page.wait_for_load_state("load")
    page.evaluate(AXE)
    violations = page.evaluate(RUN)
    bad = [v for v in violations if v["impact"] in ("critical", "serious")]
    width = page.viewport_size["width"]
    report[f"{width} {url}"] = {"critical_serious": len(bad), "other": len(violations) - len(bad)}
    failures += [f"{width} {url}: {v['id']} ({v['impact']}) {v['nodes']}" for v in bad]
    if phone_scroll:
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client + 1:
            failures.append(f"{width} {url}: scrolls sideways ({scroll} > {client})")


def test_axe_on_every_page(live_server, chromium_browser, settings):
    settings.DEBUG = False
    w = _world()
    base = live_server.url
    report: dict = {}
    failures: list[str] = []
    citizen = ["/citizen/", f"/citizen/thu-tuc/{w['proc'].code}/", f"/citizen/thu-tuc/{w['proc'].code}/nop-truc-tuyen/",
               "/citizen/tra-cuu/", "/citizen/phan-anh-kien-nghi/", "/login/", "/khong-co-trang-nay/"]
    staff = {
        "lanhdao": ["/", "/units/", f"/units/{w['province'].code}/", "/people/", "/audit/", "/directives/",
                    "/directives/?view=all", "/directives/stats/", f"/directives/notices/{w['notice'].pk}/",
                    f"/directives/tasks/{w['task'].pk}/"],
        "vanthu": ["/", "/directives/", "/directives/import/", f"/directives/imports/{w['review'].pk}/"],
        "motcua": ["/", "/onestop/", "/onestop/?tab=due_soon", "/onestop/receive/", "/onestop/stats/",
                   f"/onestop/d/{w['dossier'].code}/", "/citizen/desk/"],
        "chuyenvien": ["/"],
        "thamdinh": ["/"],
    }
    for viewport in (DESKTOP, PHONE):
        context = chromium_browser.new_context(locale="vi-VN", viewport=viewport)
        page = context.new_page()
        for url in citizen:
            _check(page, base + url, report, failures, phone_scroll=viewport is PHONE)
        context.close()
        for username, urls in staff.items():
            context = chromium_browser.new_context(locale="vi-VN", viewport=viewport)
            page = context.new_page()
            _login(page, base, username)
            for url in urls:
                _check(page, base + url, report, failures,
                       phone_scroll=viewport is PHONE and (url.startswith("/onestop/") or url.startswith("/citizen/")))
            context.close()
    print("axe:", json.dumps({k.replace(base, ""): v for k, v in report.items()}, ensure_ascii=False))
    total = sum(v["critical_serious"] for v in report.values())
    print(f"axe: {len(report)} page views, {total} critical/serious violations")
    assert not failures, "\n".join(failures)
