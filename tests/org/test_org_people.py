import datetime as dt

import pytest

from congvu.common.errors import DomainError
from congvu.org.selectors import person_search
from congvu.org.services import person_create, person_position_assign

pytestmark = pytest.mark.django_db


def test_person_identity_and_position_history(province, district):
    from factories import make_unit

    office = make_unit("Văn phòng HĐND và UBND huyện", parent=district)
    p = person_create(full_name="Trần Thị Hoà", category="cong_chuc", unit=office, position="Chuyên viên",
                      since=dt.date(2020, 1, 1))
    uid = p.uid
    person_position_assign(person=p, unit=office, position="Phó Chánh Văn phòng", start=dt.date(2023, 3, 1))
    p.refresh_from_db()
    assert p.uid == uid and p.position == "Phó Chánh Văn phòng"
    rows = list(p.positions.order_by("start"))
    assert [(r.position, r.end) for r in rows] == [("Chuyên viên", dt.date(2023, 2, 28)), ("Phó Chánh Văn phòng", None)]
    with pytest.raises(DomainError):
        person_position_assign(person=p, unit=office, position="X", start=dt.date(2022, 1, 1))
    assert p in person_search(query="tran thi hoa")


def test_duplicate_staff_code_refused(province):
    person_create(full_name="A", category="vien_chuc", unit=province, staff_code="CB001")
    with pytest.raises(DomainError):
        person_create(full_name="B", category="vien_chuc", unit=province, staff_code="CB001")
