"""The server-rendered shell: login, navigation, unit switcher, tree, search, edit, errors, i18n."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from congvu.audit.models import AuditEntry
from congvu.common.errors import DomainError
from congvu.org.models import Unit
from congvu.org.services import unit_update
from congvu.web.middleware import PermissionDeniedMiddleware
from congvu.web.modules import _REGISTRY, ModuleEntry, register_module
from congvu.web.scope import SESSION_UNIT_KEY

PASSWORD = "secret-pass-123"  # tests/factories.py UserFactory

pytestmark = pytest.mark.django_db


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def nav_keys(html: str) -> list[str]:
    return re.findall(r'data-module="([^"]+)"', html)


def tree_part(html: str) -> str:
    """The tree card only (the switcher in the top bar lists units too)."""
    return html[html.index('class="card tree-card"'):]


def switcher_options(html: str) -> list[str]:
    select = re.search(r'<select id="unit-switch".*?</select>', html, re.S).group(0)
    return re.findall(r"<option [^>]*>([^<]+)</option>", select)


# --- login -----------------------------------------------------------------------------------------

def test_login_page_is_vietnamese_and_anonymous_is_redirected(client, world):
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/units/")
    page = client.get("/login/").content.decode()
    assert "Đăng nhập" in page and "Mật khẩu" in page


def test_login_with_password_then_logout(client, world):
    response = client.post("/login/", {"username": "lanhdao", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Tổng quan" in home and "Tỉnh Quảng Ngãi" in home
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_login_with_wrong_password_shows_error(client, world):
    response = client.post("/login/", {"username": "lanhdao", "password": "wrong"})
    assert response.status_code == 200
    assert "errorbox" in response.content.decode()


# --- navigation ------------------------------------------------------------------------------------

def test_nav_shows_only_modules_the_user_may_use(client, world):
    leader_nav = nav_keys(login(client, world.leader).get("/").content.decode())
    assert {"units", "people", "audit"} <= set(leader_nav)

    onestop_nav = nav_keys(login(Client(), world.onestop).get("/").content.decode())
    # One-stop officers may view units but not people nor the audit trail.
    assert "units" in onestop_nav
    assert "people" not in onestop_nav and "audit" not in onestop_nav


def test_nav_hides_modules_of_missing_apps_and_unshipped_pages(client, world):
    register_module(ModuleEntry("ghost", "Ma", "web:home", app="congvu.not_installed", order=1))
    register_module(ModuleEntry("later", "Sau này", "later:index", app="congvu.org", order=2))
    try:
        keys = nav_keys(login(client, world.leader).get("/").content.decode())
    finally:
        _REGISTRY.pop("ghost")
        _REGISTRY.pop("later")
    assert "ghost" not in keys and "later" not in keys


# --- unit switcher ---------------------------------------------------------------------------------

def test_unit_switcher_lists_only_units_in_scope(client, world):
    options = switcher_options(login(client, world.leader).get("/").content.decode())
    assert "Tỉnh Quảng Ngãi" in options and "Xã Vạn Tường" in options
    assert "Tỉnh Gia Lai" not in options and "Xã Ia Grai" not in options
    # The abolished district is no longer offered.
    assert "Huyện Bình Sơn" not in options

    options = switcher_options(login(Client(), world.specialist).get("/").content.decode())
    assert options == ["Xã Vạn Tường"]


def test_unit_switcher_keeps_choice_in_session_and_refuses_out_of_scope(client, world):
    login(client, world.leader)
    response = client.post("/unit/select/", {"unit": world.agency.pk, "next": "/units/"})
    assert response.status_code == 302 and response["Location"] == "/units/"
    assert client.session[SESSION_UNIT_KEY] == world.agency.pk
    assert 'class="tree-root"' in (page := client.get("/units/").content.decode())
    assert re.search(r'tree-root">\s*<a[^>]*>Sở Nội vụ<', page)

    refused = client.post("/unit/select/", {"unit": world.other.pk})
    assert refused.status_code == 403
    assert "nằm ngoài phạm vi" in refused.content.decode()
    assert client.session[SESSION_UNIT_KEY] == world.agency.pk


def test_unit_switcher_rejects_offsite_redirect(client, world):
    login(client, world.leader)
    response = client.post("/unit/select/", {"unit": world.province.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"


# --- tree and search -------------------------------------------------------------------------------

def test_tree_today_shows_current_units_only(client, world):
    page = tree_part(login(client, world.leader).get("/units/").content.decode())
    assert "Xã Vạn Tường" in page and "Sở Nội vụ" in page
    assert "Huyện Bình Sơn" not in page
    assert "Tỉnh Gia Lai" not in page


def test_tree_as_of_date_shows_units_that_existed_then(client, world):
    html = login(client, world.leader).get("/units/", {"as_of": "01/01/2024"}).content.decode()
    assert 'value="01/01/2024"' in html
    page = tree_part(html)
    assert "Huyện Bình Sơn" in page
    assert "Xã Vạn Tường" not in page
    # Validity shown dd/mm/yyyy.
    assert "30/06/2025" in page
    # Lazily loaded children keep the date.
    children = client.get(reverse("web:unit_children", args=[world.district.pk]), {"as_of": "01/01/2024"})
    assert "Xã Bình Thạnh" in children.content.decode()
    assert "Xã Bình Thạnh" not in client.get(reverse("web:unit_children", args=[world.district.pk])).content.decode()


def test_tree_invalid_date_warns_and_falls_back_to_today(client, world):
    page = login(client, world.leader).get("/units/", {"as_of": "31/02/2024"}).content.decode()
    assert "Ngày không hợp lệ" in page and "Xã Vạn Tường" in page


def test_search_without_diacritics(client, world):
    login(client, world.leader)
    page = client.get("/units/", {"q": "van tuong"}).content.decode()
    assert re.search(r'search-results.*Xã Vạn Tường', page, re.S)
    fragment = client.get("/units/search/", {"q": "binh son"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "Huyện Bình Sơn" in html and "<html" not in html
    # Another province is outside the leader's scope.
    assert "Xã Ia Grai" not in client.get("/units/search/", {"q": "ia grai"}, HTTP_HX_REQUEST="true").content.decode()


def test_children_fragment_is_policy_checked(client, world):
    response = login(client, world.specialist).get(reverse("web:unit_children", args=[world.province.pk]))
    assert response.status_code == 403


# --- detail and edit -------------------------------------------------------------------------------

def test_unit_detail_shows_lineage_people_and_children(client, world):
    page = login(client, world.leader).get(f"/units/{world.new_commune.code}/").content.decode()
    assert "Xã Bình Thạnh" in page and "01/07/2025" in page and "Nghị quyết 1676/NQ-UBTVQH15" in page
    assert "Lê Văn Đức" in page
    page = client.get(f"/units/{world.commune.code}/").content.decode()
    assert "Xã Vạn Tường" in page  # successor
    assert "Sửa" not in re.search(r'class="head-actions">(.*?)</div>', page, re.S).group(1)


def test_unit_edit_saves_through_service_with_audit(client, world):
    login(client, world.assessor)
    form = client.get(f"/units/{world.agency.code}/edit/").content.decode()
    assert f'name="expected_version" value="{world.agency.version}"' in form
    response = client.post(f"/units/{world.agency.code}/edit/", {
        "expected_version": world.agency.version, "name": "Sở Nội vụ tỉnh Quảng Ngãi", "kind": "agency",
        "valid_from": "01/01/2008", "aliases": "SNV\nSở NV",
    })
    assert response.status_code == 302
    agency = Unit.objects.get(pk=world.agency.pk)
    assert agency.name == "Sở Nội vụ tỉnh Quảng Ngãi" and agency.aliases == ["SNV", "Sở NV"]
    assert agency.valid_from.isoformat() == "2008-01-01"
    entry = AuditEntry.objects.filter(object_type="org.unit", object_id=str(agency.pk)).order_by("-seq").first()
    assert entry.actor_label == "noivu" and entry.after["name"] == "Sở Nội vụ tỉnh Quảng Ngãi"


def test_unit_edit_with_stale_version_shows_conflict_and_keeps_input(client, world):
    login(client, world.assessor)
    stale = world.agency.version
    unit_update(unit=world.agency, name="Sở Nội vụ (bản của người khác)")  # a concurrent edit
    response = client.post(f"/units/{world.agency.code}/edit/", {
        "expected_version": stale, "name": "Tên tôi vừa gõ", "kind": "agency", "source": "QĐ 12/QĐ-UBND",
    })
    assert response.status_code == 409
    page = response.content.decode()
    assert "Đơn vị đã được người khác sửa" in page
    assert 'value="Tên tôi vừa gõ"' in page and 'value="QĐ 12/QĐ-UBND"' in page
    assert "Sở Nội vụ (bản của người khác)" in page  # the other editor's value, for comparison
    assert Unit.objects.get(pk=world.agency.pk).name == "Sở Nội vụ (bản của người khác)"
    # The re-rendered form carries the current version: saving again is a deliberate overwrite.
    current = Unit.objects.get(pk=world.agency.pk).version
    assert f'name="expected_version" value="{current}"' in page


def test_unit_edit_domain_error_is_shown_on_the_form(client, world):
    login(client, world.assessor)
    response = client.post(f"/units/{world.agency.code}/edit/", {
        "expected_version": world.agency.version, "name": "Sở Nội vụ", "kind": "agency",
        "valid_from": "01/01/2020", "valid_to": "01/01/2019",
    })
    assert response.status_code == 200
    assert "Ngày hết hiệu lực trước ngày bắt đầu hiệu lực" in response.content.decode()


# --- 403 / 400 -------------------------------------------------------------------------------------

def test_forbidden_page_shows_policy_reason(client, world):
    login(client, world.specialist)
    response = client.get(f"/units/{world.province.code}/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không có quyền truy cập" in page
    assert "Bạn không được xem đơn vị của Tỉnh Quảng Ngãi" in page and "ngoài phạm vi" in page

    response = client.get(f"/units/{world.new_commune.code}/edit/")
    assert response.status_code == 403
    assert "Vai trò của bạn không được phép sửa đơn vị" in response.content.decode()


def test_audit_and_people_pages_refused_by_role(client, world):
    login(client, world.onestop)
    assert client.get("/audit/").status_code == 403
    assert "không được phép xem cán bộ" in client.get("/people/").content.decode()


def test_domain_error_renders_400_page(world):
    request = RequestFactory().get("/x/")
    request.user = world.leader
    request.session = {}
    response = PermissionDeniedMiddleware(lambda r: None).process_exception(
        request, DomainError("demo.bad", "Thông điệp lỗi nghiệp vụ.", message_en="Business error."))
    assert response.status_code == 400
    assert "Thông điệp lỗi nghiệp vụ." in response.content.decode()


# --- people and audit ------------------------------------------------------------------------------

def test_people_search_without_diacritics_and_detail_history(client, world):
    login(client, world.leader)
    page = client.get("/people/", {"q": "tran thi hoa"}).content.decode()
    assert "Trần Thị Hòa" in page and "Lê Văn Đức" not in page
    assert "Rơ Châm Hiếu" not in client.get("/people/", {"q": "hieu"}).content.decode()
    detail = client.get(f"/people/{world.person.uid}/").content.decode()
    assert "Phó Giám đốc" in detail and "15/09/2024" in detail and "14/09/2024" in detail
    assert "01/03/2020" in detail


def test_person_outside_scope_is_forbidden(client, world):
    other = world.other_commune.people.get()
    assert login(client, world.leader).get(f"/people/{other.uid}/").status_code == 403


def test_audit_log_filters_paginates_and_shows_diff(client, world):
    unit_update(actor=world.assessor, unit=world.agency, name="Sở Nội vụ (mới)")
    login(client, world.leader)
    page = client.get("/audit/", {"object_type": "org.unit", "action": "update", "actor": "noivu"}).content.decode()
    assert "Sở Nội vụ (mới)" in page
    assert 'class="before">Sở Nội vụ<' in page and 'class="after">Sở Nội vụ (mới)<' in page
    # Entries about another province stay hidden from this province's leader.
    assert "Tỉnh Gia Lai" not in client.get("/audit/").content.decode()
    assert "Không có mục nào" in client.get("/audit/", {"date_from": "01/01/2000", "date_to": "31/12/2000"}).content.decode()


def test_audit_log_pages_by_cursor_and_keeps_filters(client, world):
    import re

    from congvu.web.views.audit import visible_entries

    for i in range(55):
        unit_update(actor=world.assessor, unit=world.agency, name=f"Sở Nội vụ {i}")
    login(client, world.leader)
    first = client.get("/audit/", {"action": "update"}).content.decode()
    shown = int(re.search(r'class="muted small">(\d+) mục', first).group(1))
    assert shown == visible_entries(world.leader).filter(action="update").count() >= 55
    assert 'class="after">Sở Nội vụ 54<' in first
    assert 'rel="prev"' not in first
    older = re.search(r'href="\?([^"]*before=\d+[^"]*)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "action=update" in older  # the filter survives the page turn
    second = client.get("/audit/?" + older).content.decode()
    assert re.search(r"Mục #\d+ – #\d+", second)
    assert 'class="after">Sở Nội vụ 0<' in second and 'class="after">Sở Nội vụ 54<' not in second and 'rel="next"' not in second
    newer = re.search(r'href="\?([^"]*after=\d+[^"]*)" rel="prev"', second).group(1).replace("&amp;", "&")
    assert 'class="after">Sở Nội vụ 54<' in client.get("/audit/?" + newer).content.decode()
    # a cursor that is not a number shows the newest page, not an error
    assert 'class="after">Sở Nội vụ 54<' in client.get("/audit/", {"action": "update", "before": "x'"}).content.decode()


def test_audit_log_date_filter_takes_whole_local_days(client, world):
    """The days are local (Asia/Ho_Chi_Minh): an entry at 23:30 on 31/12 local time (16:30 UTC) is in
    "to 31/12" and in "from 31/12", not in "to 30/12" nor "from 01/01"."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    unit_update(actor=world.assessor, unit=world.agency, name="Sở Nội vụ (cuối năm)")
    entry = AuditEntry.objects.filter(object_type="org.unit", action="update").order_by("-seq").first()
    AuditEntry.objects.filter(pk=entry.pk).update(at=dt.datetime(2024, 12, 31, 23, 30,
                                                                  tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    login(client, world.leader)

    def shown(**period) -> bool:
        page = client.get("/audit/", {"action": "update", **period}).content.decode()
        return 'class="after">Sở Nội vụ (cuối năm)<' in page

    assert shown(date_from="31/12/2024", date_to="31/12/2024")
    assert shown(date_to="31/12/2024") and shown(date_from="31/12/2024")
    assert not shown(date_to="30/12/2024")
    assert not shown(date_from="01/01/2025")


# --- i18n, assets ----------------------------------------------------------------------------------

def test_language_switch_to_english_changes_labels(client, world):
    login(client, world.leader)
    assert "Đơn vị" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert ">Units<" in page and "Overview" in page and ">Đơn vị<" not in page
    # Dates stay dd/mm/yyyy in English.
    assert "30/06/2025" in client.get("/units/", {"as_of": ""}).content.decode()


def test_pages_reference_no_external_assets(client, world):
    login(client, world.leader)
    for url in ("/", "/units/", f"/units/{world.province.code}/", "/people/", "/audit/", "/login/"):
        html = client.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url
    assert client.get("/static/congvu/vendor/htmx.min.js").status_code == 200


def test_default_language_middleware_ignores_browser_language_until_chosen(world):
    from django.conf import settings

    from congvu.web.middleware import DefaultLanguageMiddleware

    seen = {}

    def view(request):
        seen["accept"] = request.META.get("HTTP_ACCEPT_LANGUAGE")
        return None

    factory = RequestFactory()
    DefaultLanguageMiddleware(view)(factory.get("/", HTTP_ACCEPT_LANGUAGE="en-US"))
    assert seen["accept"] is None
    request = factory.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
    DefaultLanguageMiddleware(view)(request)
    assert seen["accept"] == "en-US"


def test_audit_create_entries_show_only_set_fields(client, world):
    page = login(client, world.leader).get("/audit/", {"object_type": "org.unit", "action": "create"}).content.decode()
    assert "Xã Vạn Tường" in page
    assert "search_key" not in page and "updated_at" not in page
