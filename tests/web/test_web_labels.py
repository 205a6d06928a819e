"""Vietnamese presentation (issue 15): no code string on the audit view, flags, transitions and rule
versions; names in Vietnamese order; thousands separators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template

from congvu.org.roles import Role
from congvu.org.services import role_grant, unit_update
from congvu.web import audit_labels as labels
from factories import make_unit, make_user_with_role

pytestmark = pytest.mark.django_db


def test_audit_view_shows_labels_not_codes(client, province):
    unit = make_unit("Sở Nội vụ", parent=province, code="51-SNV")
    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "secret-pass-123")
    unit_update(actor=admin, unit=unit, name="Sở Nội vụ (mới)", valid_to=dt.date(2025, 6, 30))
    user = make_user_with_role(Role.EMULATION_OFFICER, province, "td")
    role_grant(user=user, role=Role.UNIT_LEADER, unit=province)
    client.force_login(user)
    page = client.get("/audit/").content.decode()
    assert "Cập nhật" in page and "Tạo mới" in page and "Đơn vị #" in page
    assert "Hiệu lực đến" in page and "30/06/2025" in page and "2025-06-30" not in page
    assert ">update<" not in page and ">create<" not in page and "org.unit" not in page.split("<form")[-1].split(
        "</form>")[1]
    assert '<option value="update">Cập nhật</option>' in page


def test_label_functions():
    assert labels.action_label("transition:confirm") == "Chuyển trạng thái: xác nhận"
    assert labels.value_label("directives.extension", "status", "pending") != "pending"
    assert labels.value_label("org.unit", "valid_to", None) == "—"
    assert labels.value_label("org.unit", "kind", "commune") == "Xã"
    assert labels.value_label("org.person", "active", True) == "Có"
    assert labels.field_label("org.unit", "valid_to") == "Hiệu lực đến"


def test_flags_transitions_rules_names_and_numbers_render_as_labels():
    out = Template("{% load directives_tags onestop_tags congvu_tags %}{{ 'no_deadline'|flag_label }}|"
                   "{{ 'start'|transition_label }}|{{ 'nd61-2018'|rule_label }}|{{ n|vnnum }}|{{ u|vnname }}").render(
        Context({"n": 406000, "u": get_user_model()(username="x", first_name="Mai", last_name="Phạm Thị")}))
    flag, transition, rule, number, name = out.split("|")
    assert flag == "Không có thời hạn cụ thể" and transition == "Bắt đầu thực hiện"
    assert rule.startswith("NĐ 61/2018/NĐ-CP") and number == "406.000" and name == "Phạm Thị Mai"


def test_provenance_only_for_administrators_and_long_levels_grouped(client, province):
    from congvu.org.services import unit_create

    src = ("Danh mục 2 cấp: vietnam-provinces 2025.10.1; đơn vị trước: Nghị quyết 1677/NQ-UBTVQH15 (theo bảng của "
           "bamboo-filing-cabinet/vietnam-admin-units, data/ward-2025-composition.json)")
    ward = unit_create(code="51-W", name="Phường Cẩm Thành", kind="ward", parent=province, source=src)
    for i in range(14):
        unit_create(code=f"51-X{i}", name=f"Xã Thử {i}", kind="commune", parent=province)
    user = make_user_with_role(Role.UNIT_LEADER, province, "lanhdao")
    client.force_login(user)
    page = client.get(f"/units/{ward.code}/").content.decode()
    assert "Nghị quyết 1677/NQ-UBTVQH15" in page
    assert "vietnam-provinces" not in page and ".json" not in page and "bamboo" not in page
    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "secret-pass-123")
    client.force_login(admin)
    assert "ward-2025-composition.json" in client.get(f"/units/{ward.code}/").content.decode()
    client.force_login(user)
    tree = client.get("/units/").content.decode()
    assert 'class="kind-group"' in tree and "Xã <span" in tree and "(14)" in tree and "Phường <span" in tree
    # Vietnamese order inside a level: "Xã Thử 2" before "Xã Thử 10".
    assert tree.index("Xã Thử 2<") < tree.index("Xã Thử 10<")


def test_start_page_in_english(client, province):
    user = make_user_with_role(Role.OFFICE_CLERK, province, "vanthu")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "My work today" in page and "Overdue tasks" in page
