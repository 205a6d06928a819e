"""Browser: the officer launches a movement, a unit pledges, the officer opens the round, the unit
nominates its candidate (launch → pledge → nominate)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, live_server, settings, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    return context


def test_launch_pledge_nominate(live_server, tmp_path, settings):
    playwright = pytest.importorskip("playwright.sync_api")
    from emu_factories import leader, make_tree, officer, staffed_person

    from congvu.emulation.models import Candidate, Movement, Pledge

    settings.MEDIA_ROOT = tmp_path / "media"
    root, a, b = make_tree()
    star = staffed_person(a, name="Lê Thị Sao", ratings={2023: "excellent", 2024: "excellent"})
    officer_user, leader_user = officer(root), leader(a)

    from browser.conftest import CHROMIUM_ARGS, CspWatchingBrowser

    with playwright.sync_playwright() as p:
        browser = CspWatchingBrowser(p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS))
        off = _context(browser, live_server, settings, officer_user).new_page()
        off.goto(f"{live_server.url}/emulation/")
        off.click("#new-movement")
        off.fill("#m-name", "Thi đua đẩy mạnh cải cách hành chính")
        off.select_option("#m-kind", "thematic")
        off.fill("#m-theme", "Cải cách hành chính")
        off.fill("#m-year", "2024")
        off.fill("#m-start", "2024-01-01")
        off.fill("#m-end", "2024-12-31")
        off.check("input[name=pledge_titles][value=TTLDXS]")
        off.check("input[name=pledge_titles][value=TTLDTT]")
        off.click("#movement-form button[type=submit]")
        off.wait_for_url("**/emulation/movements/*/")
        off.fill("#c-name", "Kết quả PAR INDEX")
        off.fill("#c-weight", "40")
        off.select_option("#c-measure", "index_result")
        off.fill("#c-framework", "par")
        off.click("#add-criterion")
        assert "index.par.percent" in off.inner_text("#criteria")
        off.click("#launch")
        assert off.inner_text("#movement-state") == "Đã phát động"
        movement = Movement.objects.get()

        unit = _context(browser, live_server, settings, leader_user).new_page()
        unit.goto(f"{live_server.url}/emulation/movements/{movement.pk}/")
        assert "Phòng Nội vụ" in unit.inner_text("#missing")
        unit.check("#pledge-form input[name=titles][value=TTLDXS]")
        unit.fill("#p-targets", "100% hồ sơ đúng hạn")
        unit.click("#pledge-submit")
        unit.wait_for_selector("#registered")
        assert "Phòng Nội vụ" in unit.inner_text("#registered")
        assert "Phòng Tư pháp" in unit.inner_text("#missing")
        unit.fill(".sign-form input[name=signed_by]", "Trưởng phòng Nội vụ")
        unit.click(".sign-form button")
        assert "đã ký" in unit.inner_text("#registered")
        assert Pledge.objects.get().signed_at is not None

        off.goto(f"{live_server.url}/emulation/")
        off.select_option("#round-unit", str(root.pk))
        off.fill("#round-year", "2024")
        off.click("#round-form button[type=submit]")
        off.wait_for_url("**/emulation/rounds/*/")
        round_url = off.url

        unit.goto(f"{round_url}?kind=person&title=CSTDCS")
        row = unit.locator("#candidates tr", has_text="Lê Thị Sao")
        assert "Đủ điều kiện" in row.inner_text()
        row.locator("button[value=nominate]").click()
        unit.wait_for_selector("#candidates")
        cand = Candidate.objects.get(person=star, title_code="CSTDCS")
        assert cand.nominated and "BÁO CÁO THÀNH TÍCH" in cand.report
        unit.goto(f"{live_server.url}/emulation/candidates/{cand.pk}/")
        assert "Lê Thị Sao" in unit.input_value("#report")
        unit.check("#dossier-form input[value=to_trinh]")
        unit.click("#dossier-form button[type=submit]")
        cand.refresh_from_db()
        assert cand.checklist["to_trinh"]["done"] is True
        browser.close()
        assert not browser.violations, browser.violations
