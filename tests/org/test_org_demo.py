"""`congvu demo`: Quảng Ngãi 2023-2024, its 2025 lineage, groups, people, one user per role; idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from congvu.org.demo import DEMO_PASSWORD, demo_load
from congvu.org.models import EmulationGroup, Person, RoleGrant, Unit, UnitLineage
from congvu.org.roles import Role
from congvu.org.selectors import (
    unit_rollup_ids,
    unit_search,
    unit_successor_on,
    unit_successors_all,
    units_existing_on,
)

pytestmark = pytest.mark.django_db

CALLS: list = []


def record_step(*, stdout=None):
    CALLS.append(stdout)
    return {"ok": True}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    return demo_load()


def test_demo_is_idempotent(demo):
    # Speed of the demo is measured in bench/, never asserted here.
    again = demo_load()
    assert again["counts"] == demo["counts"]
    assert again["created"] == {}
    counts = demo["counts"]
    assert counts["units"] > 300 and counts["lineages"] > 150 and counts["people"] >= 30 and counts["groups"] >= 8
    assert Unit.objects.values("code").distinct().count() == Unit.objects.count()


def test_demo_ba_bich_under_ba_to_with_2025_successor(demo):
    ba_bich = Unit.objects.get(name="Xã Ba Bích")
    assert ba_bich.parent.name == "Huyện Ba Tơ" and ba_bich.parent.admin_code == "535"
    assert (ba_bich.admin_code, ba_bich.kind, ba_bich.valid_to) == ("21526", "commune", dt.date(2025, 6, 30))
    successors = unit_successors_all(unit=ba_bich)
    assert [u.name for u in successors] == ["Xã Ba Tơ"]
    successor = successors[0]
    link = UnitLineage.objects.get(predecessor=ba_bich)
    assert link.effective_on == dt.date(2025, 7, 1) and "1677" in link.source
    assert ba_bich.pk in unit_rollup_ids(unit=successor)
    # The desk of Ba Bích rolls up too (dossiers of 2023-2024 count for today's commune).
    desk = Unit.objects.get(code="51-535-21526-MC")
    assert desk.kind == "onestop_desk" and desk.pk in unit_rollup_ids(unit=successor)
    assert unit_successor_on(unit=ba_bich, day=dt.date(2024, 1, 12)) == [ba_bich]
    assert unit_successor_on(unit=ba_bich, day=dt.date(2025, 9, 1)) == [successor]


def test_demo_accent_free_search(demo):
    assert "Xã Ba Bích" in [u.name for u in unit_search(query="ba bich")]
    assert "Phòng Văn hóa và Thông tin huyện Bình Sơn" in [u.name for u in unit_search(query="phong van hoa binh son")]


def test_demo_2023_report_shows_units_of_2023(demo):
    units = units_existing_on(day=dt.date(2023, 6, 1))
    names = set(units.values_list("name", flat=True))
    assert {"Huyện Bình Sơn", "Huyện Mộ Đức", "Huyện Ba Tơ", "Xã Ba Bích", "Sở Thông tin và Truyền thông tỉnh Quảng Ngãi"} <= names
    assert not units.filter(valid_from__gte=dt.date(2025, 1, 1)).exists()  # no post-reform commune
    assert not units.filter(code="51-21484").exists()
    assert units.filter(kind__in=["commune", "ward", "township"]).count() == 173
    today = units_existing_on(day=dt.date(2025, 8, 1))
    assert today.filter(kind__in=["commune", "ward", "special_zone"], parent__code="51").count() == 96
    assert not today.filter(kind="district").exists()


def test_demo_2024_and_2025_changes(demo):
    # 01/01/2025 (NQ 1279): Nghĩa Phú + Nghĩa An → An Phú; 01/07/2025 An Phú goes on into the new Xã An Phú.
    nghia_phu = Unit.objects.get(code="51-522-21253")
    assert nghia_phu.valid_to == dt.date(2024, 12, 31)
    assert [u.code for u in unit_successor_on(unit=nghia_phu, day=dt.date(2025, 3, 1))] == ["51-522-21262-2025"]
    assert [u.code for u in unit_successor_on(unit=nghia_phu, day=dt.date(2025, 8, 1))] == ["51-21034"]
    # Sở TT&TT merged into Sở KH&CN on 01/03/2025; Kon Tum into Quảng Ngãi; huyện Lý Sơn → đặc khu.
    tttt = Unit.objects.get(code="51-STTTT")
    assert [u.code for u in unit_successor_on(unit=tttt, day=dt.date(2025, 3, 1))] == ["51-SKHCN"]
    assert [u.code for u in unit_successors_all(unit=Unit.objects.get(code="62"))] == ["51"]
    assert [u.code for u in unit_successors_all(unit=Unit.objects.get(code="51-536"))] == ["51-21548"]
    # Every commune of 2023-2024 has a successor on 01/08/2025.
    for commune in Unit.objects.filter(code__regex=r"^51-\d{3}-\d{5}$"):
        assert unit_successor_on(unit=commune, day=dt.date(2025, 8, 1)), commune


def test_demo_groups_people_and_users(demo):
    assert EmulationGroup.objects.filter(year=2023).count() == EmulationGroup.objects.filter(year=2024).count() >= 4
    block = EmulationGroup.objects.get(year=2023, name="Khối thi đua các cơ quan Tham mưu - Tổng hợp")
    assert block.leader_unit.code == "51-VP" and block.members.count() == 6
    heads = Person.objects.filter(is_head=True)
    assert heads.count() >= 15
    assert Person.objects.get(full_name="Phạm Văn Lương").unit.code == "51-535-21526-UBND"
    moved = Person.objects.get(staff_code="BTO-0104")
    assert moved.unit.code == "51-21484-TTPV" and moved.positions.count() == 2
    users = get_user_model().objects.filter(role_grants__isnull=False).distinct()
    roles = set(RoleGrant.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)
    grants = {g.unit.name: (g.valid_from, g.valid_to) for g in RoleGrant.objects.filter(user__username="vanthu")}
    assert grants == {"Ủy ban nhân dân huyện Bình Sơn": (None, dt.date(2025, 6, 30)),
                      "Ủy ban nhân dân xã Bình Sơn": (dt.date(2025, 7, 1), None)}
    assert set(RoleGrant.objects.filter(user__username="motcua").values_list("unit__code", flat=True)) == {
        "51-535-21526-MC", "51-21484-TTPV"}
    # The eight accounts of the org demo (later demo steps, e.g. the emulation council, add their own).
    demo_users = users.filter(username__in=[x["username"] for x in demo["logins"]])
    assert demo_users.count() == 8
    assert all(Person.objects.filter(user=u).exists() for u in demo_users)
    assert [x["username"] for x in demo["logins"]] == ["admin", "lanhdao", "vanthu", "thamdinh", "thiduakt",
                                                      "hoidong", "motcua", "chuyenvien"]


def test_demo_steps_hook_and_command(settings):
    settings.DEBUG = True
    settings.CONGVU_DEMO_STEPS = ["test_org_demo.record_step"]
    CALLS.clear()
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert len(CALLS) == 1
    assert "admin" in text and DEMO_PASSWORD in text and "chuyenvien" in text
    assert "test_org_demo.record_step" in text


def test_demo_random_passwords_when_not_debug(settings, monkeypatch):
    monkeypatch.delenv("CONGVU_DEMO_PASSWORD", raising=False)
    settings.DEBUG = False
    result = demo_load()
    passwords = {x["username"]: x["password"] for x in result["logins"]}
    assert DEMO_PASSWORD not in passwords.values()
    assert get_user_model().objects.get(username="motcua").check_password(passwords["motcua"])
    again = demo_load()
    assert {x["password"] for x in again["logins"]} == {"(không đổi)"}
    assert get_user_model().objects.get(username="motcua").check_password(passwords["motcua"])
