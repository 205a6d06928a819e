"""Org data for the API tests: two provinces, a reorganised commune, people, role holders."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from congvu.org.roles import Role
from congvu.org.services import unit_lineage_create, unit_update
from factories import make_person, make_unit, make_user_with_role

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def org(province, district, commune):
    district = unit_update(unit=district, valid_to=REFORM - dt.timedelta(days=1))
    commune = unit_update(unit=commune, valid_to=REFORM - dt.timedelta(days=1))
    merged = make_unit("Xã Ba Bích", kind="commune", parent=province, code="51-BB", valid_from=REFORM,
                       aliases=["Ba Bich"])
    unit_lineage_create(predecessor=commune, successor=merged, effective_on=REFORM, source="NQ 1676/NQ-UBTVQH15")
    agencies = [make_unit(f"Phòng thử {i}", parent=province, code=f"51-P{i}") for i in range(5)]
    other = make_unit("Tỉnh Gia Lai", kind="province", code="64", admin_code="64")
    other_commune = make_unit("Xã Ia Grai", kind="commune", parent=other, code="64-IG")
    return SimpleNamespace(
        province=province, district=district, commune=commune, merged=merged, agencies=agencies, other=other,
        other_commune=other_commune,
        hoa=make_person(merged, "Phạm Thị Hoà", position="Chủ tịch", is_head=True, category="can_bo"),
        nam=make_person(agencies[0], "Võ Văn Nam", position="Chuyên viên"),
        outsider_person=make_person(other_commune, "Siu H'Mai"),
        leader=make_user_with_role(Role.UNIT_LEADER, province, "lanhdao"),
        assessor=make_user_with_role(Role.HOME_AFFAIRS_ASSESSOR, province, "noivu"),
        specialist=make_user_with_role(Role.SPECIALIST, merged, "chuyenvien"),
    )
