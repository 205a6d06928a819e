"""Browser: upload a seed notice as a DOCX generated here, confirm its tasks, see them tracked."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _seed_docx(tmp_path: Path) -> Path:
    import docx

    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip("../shared/seeds không có")
    text = seeds[2].read_text(encoding="utf-8") if len(seeds) > 2 else seeds[0].read_text(encoding="utf-8")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "thong-bao-ket-luan.docx"
    document.save(path)
    return path


def test_upload_confirm_and_track(live_server, tmp_path, settings, district):
    pytest.importorskip("congvu.directives.extraction.api")
    pytest.importorskip("congvu.directives.extraction.readers")
    playwright = pytest.importorskip("playwright.sync_api")
    from django.test import Client

    from congvu.directives.models import Task
    from factories import make_unit, make_user_with_role

    settings.MEDIA_ROOT = tmp_path / "media"
    for name in ("Phòng Nội vụ", "Phòng Văn hóa và Thông tin", "Phòng Tài chính - Kế hoạch", "Văn phòng HĐND và UBND"):
        make_unit(name, parent=district)
    clerk = make_user_with_role("office_clerk", district, username="vanthu")
    clerk.set_password("secret-pass-123")
    clerk.save()
    docx_path = _seed_docx(tmp_path)

    from browser.conftest import CHROMIUM_ARGS, CspWatchingBrowser

    with playwright.sync_playwright() as p:
        browser = CspWatchingBrowser(p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS))
        context = browser.new_context()
        client = Client()
        client.force_login(clerk)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/directives/import/")
        page.set_input_files("#file", str(docx_path))
        page.click("#import-submit")
        page.wait_for_url("**/directives/imports/*/", timeout=60_000)
        assert page.locator(".draft-task").count() > 0
        assert page.locator(".doc mark").count() > 0  # spans highlighted in the document
        proposed = page.locator(".draft-task").count()
        # Tasks without a lead unit or a deadline are stated before confirming; the clerk confirms anyway.
        ack = page.locator("input[name=ack_gaps]")
        if ack.count():
            ack.check()
        page.click("#confirm-btn")
        page.wait_for_url("**/directives/notices/*/", timeout=60_000)
        assert Task.objects.count() >= proposed
        page.goto(f"{live_server.url}/directives/?view=all")
        rows = page.locator("#task-table tbody tr[data-task]")
        assert rows.count() == Task.objects.count()
        first = Task.objects.order_by("notice_id", "ordinal").first()
        assert first.action[:40] in page.content()
        browser.close()
        assert not browser.violations, browser.violations


def test_review_screen_confidence_and_unplaced_highlight(live_server, tmp_path, settings, district):
    """The review screen marks tasks the extractor could not place and shows its confidence per task."""
    playwright = pytest.importorskip("playwright.sync_api")
    from django.test import Client

    from congvu.directives import importing
    from factories import make_user_with_role

    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = make_user_with_role("office_clerk", district, username="vanthu2")
    text = ("UBND HUYỆN BÌNH SƠN\nSố: 12/UBND-VP\nBình Sơn, ngày 05 tháng 3 năm 2024\nKính gửi: Phòng Nội vụ huyện\n"
            "1. Phòng Nội vụ huyện tổng hợp, báo cáo UBND huyện kết quả thi đua trước ngày 25/12 hằng năm.\n"
            "2. Rà soát hồ sơ lưu trữ của các cơ quan.\nĐề nghị Phòng Nội vụ huyện thực hiện./.\n")
    record = importing.notice_import_create(actor=clerk, unit=district, text=text)
    with playwright.sync_playwright() as p:
        from browser.conftest import CHROMIUM_ARGS, CspWatchingBrowser

        browser = CspWatchingBrowser(p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS))
        context = browser.new_context()
        client = Client()
        client.force_login(clerk)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/directives/imports/{record.pk}/")
        badges = page.locator(".draft-task .badge.confidence")
        assert badges.count() == len(record.draft["tasks"]) >= 2
        assert badges.first.inner_text().startswith("Tin cậy ")
        flagged = page.locator(".draft-task.needs-check")
        assert flagged.count() >= 1
        # the highlight is visible: a coloured left border the clerk sees
        width = flagged.first.evaluate("el => getComputedStyle(el).borderLeftWidth")
        assert width == "4px"
        browser.close()
        assert not browser.violations, browser.violations
