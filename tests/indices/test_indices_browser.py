"""Browser: a self-assessment → appraisal → publish cycle, and points within reach → tasks, in headless
Debian chromium (no Content-Security-Policy violation on any page)."""

from __future__ import annotations

import pytest
from wf_fixtures import FRAMEWORK, LIVE_FRAMEWORK, fake_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, live_server, settings, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context


def _launch(p):
    from browser.conftest import CHROMIUM_ARGS, CspWatchingBrowser

    return CspWatchingBrowser(p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS))


def test_self_assessment_appraisal_publish(live_server, settings, tmp_path, district, commune):
    playwright = pytest.importorskip("playwright.sync_api")
    from congvu.common.uploads import docx_bytes
    from congvu.indices import workflow as wf
    from congvu.indices.models import Assessment, Result
    from congvu.indices.services import framework_load_text
    from factories import make_user_with_role

    settings.MEDIA_ROOT = tmp_path / "media"
    version = framework_load_text(text=FRAMEWORK)
    assessor = make_user_with_role("home_affairs_assessor", district, username="thamdinh")
    clerk = make_user_with_role("specialist", commune, username="chuyenvien")
    a = wf.assessment_open(actor=assessor, unit=commune, version=version, period="2023")
    evidence = tmp_path / "ke-hoach-cchc-2023.docx"
    evidence.write_bytes(docx_bytes("Kế hoạch CCHC năm 2023"))
    url = f"{live_server.url}/indices/assessments/{a.pk}/"

    with playwright.sync_playwright() as p:
        browser = _launch(p)
        # the unit self-assesses
        page = _context(browser, live_server, settings, clerk).new_page()
        page.goto(url)
        card = page.locator('.leaf-card[data-code="1.1"]')
        card.locator(".self-form input[name=score]").fill("4,5")  # above the max of 4
        card.locator(".self-form button[value=self_assess]").click()
        page.wait_for_load_state()
        assert "Chỉ số 1.1" in page.locator(".messages").inner_text()
        card = page.locator('.leaf-card[data-code="1.1"]')
        card.locator(".self-form input[name=score]").fill("3,5")
        card.locator(".self-form textarea[name=explanation]").fill("Kế hoạch ban hành ngày 05/01/2023")
        card.locator(".self-form button[value=self_assess]").click()
        page.wait_for_load_state()
        page.locator("#do-submit").click()  # refused: evidence missing
        page.wait_for_load_state()
        assert "thiếu tài liệu kiểm chứng" in page.locator(".messages").inner_text()
        card = page.locator('.leaf-card[data-code="1.1"]')
        card.locator(".evidence-file-form input[type=file]").set_input_files(str(evidence))
        card.locator(".evidence-file-form button[value=evidence_file]").click()
        page.wait_for_load_state()
        card = page.locator('.leaf-card[data-code="1.2"]')
        card.locator(".self-form input[name=score]").fill("6")
        card.locator(".self-form button[value=self_assess]").click()
        page.wait_for_load_state()
        assert page.locator("#problems").count() == 0
        page.locator("#do-submit").click()
        page.wait_for_load_state()
        assert page.locator("#round-state").get_attribute("data-state") == "submitted"

        # the assessor appraises, publishes
        page = _context(browser, live_server, settings, assessor).new_page()
        page.goto(url)
        for code, decision, score in (("1.1", "adjust", "3"), ("1.2", "accept", None), ("2.1", "adjust", "4"),
                                      ("2.2", None, "4,5")):
            form = page.locator(f'.leaf-card[data-code="{code}"] .appraise-form')
            if decision:
                form.locator("select[name=decision]").select_option(decision)
            if score and decision:
                form.locator("input[name=score]").fill(score)
            elif score:
                form.locator("input[name=survey_score]").fill(score)
            if code == "1.1":  # no reason: refused naming the node
                form.locator("button[value=appraise]").click()
                page.wait_for_load_state()
                assert "Chỉ số 1.1: cần ghi lý do" in page.locator(".messages").inner_text()
                form = page.locator(f'.leaf-card[data-code="{code}"] .appraise-form')
                form.locator("select[name=decision]").select_option(decision)
                form.locator("input[name=score]").fill(score)
            form.locator("textarea[name=reason]").fill("Đối chiếu hồ sơ kiểm chứng")
            form.locator("button[value=appraise]").click()
            page.wait_for_load_state()
        page.locator("#do-complete").click()
        page.wait_for_load_state()
        page.locator("#do-publish").click()
        page.wait_for_load_state()
        assert page.locator("#round-state").get_attribute("data-state") == "published"
        assert page.locator("#published-note").count() == 1
        assert page.locator(".appraise-form").count() == 0
        # the ranking shows the published result
        page.goto(f"{live_server.url}/indices/?framework=par-test&period=2023&level=commune&parent={district.pk}")
        row = page.locator(f'#ranking-table tr[data-unit="{commune.pk}"]')
        assert "Đã công bố" in row.inner_text() and "87,50%" in row.inner_text()
        assert page.locator("#heatmap").count() == 1
        browser.close()
        assert not browser.violations, browser.violations
    a.refresh_from_db()
    assert a.state == "published"
    assert float(Result.objects.get(assessment=a).points) == 3 + 6 + 4 + 4.5
    assert Assessment.objects.get(pk=a.pk).leaves.get(node__code="1.1").evidence.count() == 1


def test_points_within_reach_to_tasks(live_server, settings, tmp_path, district):
    playwright = pytest.importorskip("playwright.sync_api")
    from congvu.directives.models import Task
    from congvu.indices import workflow as wf
    from congvu.indices.services import framework_load_text
    from congvu.metrics import registry
    from factories import make_unit, make_user_with_role

    commune = make_unit("Xã Ba Bích", kind="commune", parent=district)
    desk = make_unit("Bộ phận một cửa xã Ba Bích", kind="onestop_desk", parent=commune)
    registry.provider_register(fake_provider({(desk.pk, 2023, m): (15, 31) for m in range(1, 13)}))
    try:
        version = framework_load_text(text=LIVE_FRAMEWORK)
        assessor = make_user_with_role("home_affairs_assessor", district, username="thamdinh")
        leader = make_user_with_role("unit_leader", commune, username="lanhdaoxa")
        a = wf.assessment_open(actor=assessor, unit=commune, version=version, period="2023")
        a.leaves.filter(node__code="2.1").update(self_score=6)
        type(a).objects.filter(pk=a.pk).update(state="submitted")

        with playwright.sync_playwright() as p:
            browser = _launch(p)
            page = _context(browser, live_server, settings, leader).new_page()
            page.goto(f"{live_server.url}/indices/units/{commune.pk}/?framework=live-test&period=2023")
            row = page.locator('#reach-form tr[data-code="1.1"]')
            assert "hồ sơ nữa" in row.inner_text() and "180/372" in row.inner_text()
            assert row.locator("select").input_value() == str(desk.pk)  # a one-stop metric: the desk answers
            row.locator("input[type=checkbox]").check()
            row2 = page.locator('#reach-form tr[data-code="2.1"]')
            row2.locator("input[type=checkbox]").check()
            row2.locator("input[type=number]").fill("5")
            page.locator("#reach-submit").click()
            page.wait_for_url("**/directives/notices/*/")
            assert "Khắc phục chỉ số 1.1" in page.content()
            # the past year as it stood on 30/09: year-to-date and the year-end projection
            page.goto(f"{live_server.url}/indices/units/{commune.pk}/?framework=live-test&period=2023")
            page.locator("#projection-link").click()
            page.wait_for_load_state()
            assert page.locator("#projection").count() == 1 and page.locator("#projection-end").inner_text().strip()
            browser.close()
            assert not browser.violations, browser.violations
        tasks = list(Task.objects.order_by("ordinal"))
        assert [t.unit_id for t in tasks] == [desk.pk, commune.pk]
        assert all(t.deadline for t in tasks)
        # counted from the local day the plan was made (created_at is UTC: after 17:00 UTC it is tomorrow in VN)
        from django.utils import timezone

        assert tasks[1].deadline == wf.deadline_after(timezone.localtime(tasks[1].created_at).date(), 5)
    finally:
        registry._providers.pop("test-indices", None)
        registry._by_metric.pop("onestop.test_digitized", None)
