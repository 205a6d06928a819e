"""A small province before and after the 2025 reorganisation (districts abolished on 01/07/2025)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from congvu.org.roles import Role
from congvu.org.services import person_position_assign, unit_lineage_create
from factories import make_person, make_unit, make_user_with_role

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def world(province, district, commune):
    from congvu.org.services import unit_update

    district = unit_update(unit=district, valid_to=REFORM - dt.timedelta(days=1))
    commune = unit_update(unit=commune, valid_to=REFORM - dt.timedelta(days=1))
    new_commune = make_unit("Xã Vạn Tường", kind="commune", parent=province, code="51-VT", valid_from=REFORM)
    unit_lineage_create(predecessor=commune, successor=new_commune, effective_on=REFORM,
                        source="Nghị quyết 1676/NQ-UBTVQH15")
    agency = make_unit("Sở Nội vụ", parent=province, code="51-SNV")
    other = make_unit("Tỉnh Gia Lai", kind="province", code="64", admin_code="64")
    other_commune = make_unit("Xã Ia Grai", kind="commune", parent=other, code="64-IG")
    person = make_person(agency, "Trần Thị Hòa", position="Chuyên viên", since=dt.date(2020, 3, 1))
    person_position_assign(person=person, unit=agency, position="Phó Giám đốc", start=dt.date(2024, 9, 15))
    make_person(new_commune, "Lê Văn Đức", position="Chủ tịch UBND xã", is_head=True)
    make_person(other_commune, "Rơ Châm Hiếu", position="Công chức văn phòng")
    return SimpleNamespace(
        province=province, district=district, commune=commune, new_commune=new_commune, agency=agency,
        other=other, other_commune=other_commune, person=person,
        leader=make_user_with_role(Role.UNIT_LEADER, province, "lanhdao"),
        assessor=make_user_with_role(Role.HOME_AFFAIRS_ASSESSOR, province, "noivu"),
        specialist=make_user_with_role(Role.SPECIALIST, new_commune, "chuyenvien"),
        onestop=make_user_with_role(Role.ONESTOP_OFFICER, new_commune, "motcua"),
        outsider=make_user_with_role(Role.UNIT_LEADER, other, "gialai"),
    )
