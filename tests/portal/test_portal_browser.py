"""In headless chromium: typing a citizen ID number at the desk fills the applicant from the (synthetic)
population database, and the received dossier shows as verified, without a CSP violation."""

from __future__ import annotations

import re

import pytest

from browser.conftest import chromium_browser  # noqa: F401  (the chromium fixture lives in tests/browser)
from congvu.onestop import services as s
from congvu.portal.models import IdentityCheck
from congvu.portal.population import get_population_provider
from factories import make_unit, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_id_number_fills_the_applicant(live_server, chromium_browser, settings):  # noqa: F811
    from playwright.sync_api import expect

    settings.CONGVU_POPULATION_PROVIDER = "local"
    settings.CONGVU_POPULATION_PROVIDERS = {"local": {"class": "congvu.portal.population.local.LocalPopulationProvider",
                                                      "size": 300, "seed": "browser"}}
    citizen = next(iter(get_population_provider().citizens().values()))
    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    commune = make_unit("Xã Bình Thạnh", kind="commune", parent=province, code="51-BT")
    desk = make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune",
                              processing_time=3, components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1}])
    make_user_with_role("onestop_officer", desk, "motcua")

    page = chromium_browser.new_context(locale="vi-VN").new_page()
    page.goto(f"{live_server.url}/login/?next=/onestop/receive/")
    page.fill("#id_username", "motcua")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/onestop/receive/$"))
    page.fill("#proc_q", "khai sinh")
    expect(page.locator("#id_procedure option")).to_have_count(1)
    page.wait_for_timeout(600)  # the search's own request settles before the choice
    page.select_option("#id_procedure", str(proc.pk))
    comp = proc.components.get().pk
    expect(page.locator(f"#comp-{comp}")).to_be_visible()
    page.fill("#id_applicant_id_number", "0510")
    page.locator("#id_applicant_phone").focus()
    expect(page.locator(".identity-status")).to_contain_text("12 chữ số")
    page.fill("#id_applicant_id_number", citizen["id_number"])
    page.locator("#id_applicant_phone").focus()
    expect(page.locator("#id_applicant_name")).to_have_value(citizen["full_name"])
    expect(page.locator("#id_applicant_address")).to_have_value(citizen["permanent_address"])
    expect(page.locator(".identity-status")).to_contain_text(citizen["birth_date"].strftime("%d/%m/%Y"))
    page.fill("#id_applicant_phone", "0905123456")
    page.wait_for_timeout(600)  # the components list reloads for the ID number (reuse); tick after it
    page.check(f"#comp-{comp}")
    page.click("#btn-do-receive")
    expect(page.locator("#identity-state")).to_have_attribute("data-state", "verified")
    assert IdentityCheck.objects.get().state == "verified"
