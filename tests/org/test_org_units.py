import datetime as dt

import pytest

from congvu.common.errors import Conflict, DomainError
from congvu.org.models import UnitKind
from congvu.org.selectors import (
    unit_predecessors_all,
    unit_rollup_ids,
    unit_search,
    unit_subtree,
    unit_successor_on,
    units_existing_on,
)
from congvu.org.services import unit_create, unit_lineage_create, unit_update

pytestmark = pytest.mark.django_db


def test_tree_paths_and_subtree(province, district, commune):
    assert set(unit_subtree(unit=district)) == {district, commune}
    assert commune.path.startswith(district.path) and district.path.startswith(province.path)


def test_moving_a_unit_moves_its_subtree(province, district, commune):
    from factories import make_unit

    other = make_unit("Huyện Mộ Đức", kind="district", parent=province)
    unit_update(unit=commune, parent=other)
    commune.refresh_from_db()
    assert commune.path.startswith(other.path)
    assert commune not in unit_subtree(unit=district)


def test_cycle_refused(province, district, commune):
    with pytest.raises(DomainError) as exc:
        unit_update(unit=district, parent=commune)
    assert exc.value.code == "unit.cycle"
    district.refresh_from_db()
    assert district.parent == province


def test_duplicate_code_refused(province):
    with pytest.raises(DomainError) as exc:
        unit_create(code="51", name="Khác", kind=UnitKind.PROVINCE)
    assert exc.value.code == "unit.duplicate_code"
    assert "51" in exc.value.message


def test_optimistic_locking(province):
    unit_update(unit=province, expected_version=1, short_name="QNg")
    with pytest.raises(Conflict):
        unit_update(unit=province, expected_version=1, short_name="QN")
    province.refresh_from_db()
    assert province.short_name == "QNg" and province.version == 2


def test_search_without_diacritics(province, district):
    from factories import make_unit

    ba_bich = make_unit("Xã Ba Bích", kind="commune", parent=district)
    assert ba_bich in unit_search(query="ba bich")
    assert ba_bich in unit_search(query="BA BÍCH")
    assert list(unit_search(query="xa ba bich")) == [ba_bich]
    hoa = make_unit("Phòng Văn hoá và Thông tin", parent=district)
    assert hoa in unit_search(query="van hóa")


def test_lineage_rollup_and_as_of(province, district):
    from factories import make_unit

    old1 = make_unit("Xã Ba Bích", kind="commune", parent=district, valid_to=dt.date(2025, 6, 30))
    old2 = make_unit("Xã Ba Trang", kind="commune", parent=district, valid_to=dt.date(2025, 6, 30))
    new = make_unit("Xã Ba Tô", kind="commune", parent=province, valid_from=dt.date(2025, 7, 1))
    for old in (old1, old2):
        unit_lineage_create(predecessor=old, successor=new, effective_on=dt.date(2025, 7, 1), source="NQ 1677")
    assert set(unit_predecessors_all(unit=new)) == {old1, old2}
    assert {old1.pk, old2.pk, new.pk} <= unit_rollup_ids(unit=new)
    in_2023 = set(units_existing_on(day=dt.date(2023, 6, 1)))
    assert old1 in in_2023 and new not in in_2023
    assert unit_successor_on(unit=old1, day=dt.date(2026, 1, 1)) == [new]
    assert unit_successor_on(unit=old1, day=dt.date(2024, 1, 1)) == [old1]


def test_lineage_contradicting_validity_refused(province):
    from factories import make_unit

    old = make_unit("Huyện A", kind="district", parent=province, valid_to=dt.date(2025, 6, 30))
    new = make_unit("Xã B", kind="commune", parent=province, valid_from=dt.date(2025, 7, 1))
    with pytest.raises(DomainError) as exc:
        unit_lineage_create(predecessor=old, successor=new, effective_on=dt.date(2025, 3, 1))
    assert exc.value.code in {"lineage.predecessor_still_valid", "lineage.successor_not_yet"}
    with pytest.raises(DomainError):
        unit_lineage_create(predecessor=old, successor=old, effective_on=dt.date(2025, 7, 1))


def test_lineage_cycle_refused(province):
    from factories import make_unit

    a = make_unit("A", parent=province)
    b = make_unit("B", parent=province)
    unit_lineage_create(predecessor=a, successor=b, effective_on=dt.date(2025, 1, 1), kind="transfer")
    with pytest.raises(DomainError) as exc:
        unit_lineage_create(predecessor=b, successor=a, effective_on=dt.date(2025, 2, 1), kind="transfer")
    assert exc.value.code == "lineage.cycle"
