"""The appointment slip (Mẫu 01) states the processing time correctly and where/how to look up (issue 15)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from congvu.onestop import services as s
from congvu.onestop.documents.data import lookup_note, processing_time_text
from factories import make_unit

pytestmark = pytest.mark.django_db


def test_processing_time_text():
    assert processing_time_text(Decimal("5"), "ngày làm việc") == "05 ngày làm việc"
    assert processing_time_text(Decimal("0"), "ngày làm việc").startswith("Trong ngày")
    assert "00" not in processing_time_text(Decimal("0.00"), "ngày làm việc")


def test_slip_of_a_same_day_procedure_and_where_to_look_up(commune, settings, client):
    settings.CONGVU_SITE_URL = "https://dichvucong.example.vn"
    desk = make_unit("Bộ phận một cửa", kind="onestop_desk", parent=commune, code="H55.01.12")
    field = s.field_get_or_create(code="CT", name="Chứng thực")
    proc = s.procedure_create(code="2.000815", name="Chứng thực bản sao từ bản chính", field=field, level="commune",
                              processing_time=0)
    d = s.dossier_receive(procedure=proc, unit=desk, applicant_name="Phạm Thị Mai", applicant_phone="0905123456",
                          channel="in_person")
    content = d.receipt_slip.content
    assert content["processing_time"].startswith("Trong ngày") and "00 ngày" not in content["processing_time"]
    assert content["lookup"] == lookup_note(d.code)
    assert "https://dichvucong.example.vn/citizen/tra-cuu/" in content["lookup"] and d.code in content["lookup"]
    assert "4 số cuối" in content["lookup"]
