"""Shared data of the indices tests: two communes (one with a merged predecessor) with dossiers in
2024, and a small framework over their live figures."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congvu.indices.services import framework_load_text
from congvu.onestop import services as s
from congvu.org.services import unit_lineage_create
from factories import make_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FRAMEWORK = """
code: thu
name: Chỉ số thử
version: "1"
levels: [commune]
effective_from: 2020-01-01
bands: [{name: Tốt, min_percent: 80}, {name: Khá, min_percent: 50}, {name: Yếu, min_percent: 0}]
nodes:
  - code: A
    name: Nhóm giải quyết
    max_points: 15
    children:
      - {code: A.1, name: Đúng hạn, max_points: 10, method: live, metric: onestop.on_time_rate, threshold: 100}
      - {code: A.2, name: Tự đánh giá, max_points: 5, method: self_assessment, evidence_required: [Kế hoạch]}
  - code: B
    name: Số hóa
    max_points: 5
    children:
      - {code: B.1, name: Số hóa, max_points: 5, method: live, metric: onestop.digitized_rate, threshold: 80}
"""


def T(*a):
    return dt.datetime(*a, tzinfo=VN)


def _dossier(proc, unit, day, *, late=False, digitized=False):
    d = s.dossier_receive(procedure=proc, unit=unit, applicant_name="Trần Văn An", channel="in_person",
                          received_at=T(2024, 3, day, 9), digitized_components=digitized)
    s.dossier_transfer(dossier=d, at=T(2024, 3, day, 10))
    s.dossier_record_result(dossier=d, at=T(2024, 4, 30, 10) if late else T(2024, 3, day, 15), e_result=True,
                            digitized_result=digitized)
    return d


@pytest.fixture
def world(district):
    a = make_unit("Xã An Phú", kind="commune", parent=district)
    b = make_unit("Xã Bình Minh", kind="commune", parent=district)
    old = make_unit("Xã Cũ", kind="commune", parent=district, valid_to=dt.date(2024, 6, 30))
    unit_lineage_create(predecessor=old, successor=a, effective_on=dt.date(2024, 7, 1))
    desk_a = make_unit("Bộ phận một cửa xã An Phú", kind="onestop_desk", parent=a)
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, level="commune",
                              processing_time=5, online_level="full", legal_basis="Luật Hộ tịch 2014",
                              components=[{"name": "Tờ khai", "originals": 1}], steps=[{"name": "Thẩm định", "share": "1"}])
    for day in (4, 5, 6):
        _dossier(proc, desk_a, day, digitized=True)
    _dossier(proc, desk_a, 7, late=True)
    _dossier(proc, old, 8)  # counts for An Phú through lineage
    _dossier(proc, b, 4, digitized=True)
    _dossier(proc, b, 5, digitized=True)
    version = framework_load_text(text=FRAMEWORK)
    return {"a": a, "b": b, "old": old, "version": version}


