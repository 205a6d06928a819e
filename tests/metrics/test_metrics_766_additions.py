"""Metrics added for the 766 index: 3.5 transactions (`payments.procedures_paid_online_rate`) and
5.3 (`citizen.pakn_satisfied_rate`), with "no data" for an empty period."""

import datetime as dt
from zoneinfo import ZoneInfo

from congvu.citizen.models import Complaint
from congvu.metrics.selectors import metric_values
from congvu.onestop import services as s
from congvu.payments.models import Payment

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Y = {"date_from": dt.date(2024, 1, 1), "date_to": dt.date(2024, 12, 31)}
NAMES = ["payments.procedures_paid_online_rate", "citizen.pakn_satisfied_rate"]


def test_metrics_766_paid_procedures_and_pakn_satisfied(commune):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    paid = s.procedure_create(code="1.000010", name="Có phí A", field=field, level="commune", processing_time=3,
                              fee_amount=10000, online_level="full")
    unpaid = s.procedure_create(code="1.000011", name="Có phí B", field=field, level="commune", processing_time=3,
                                fee_amount=5000)
    free = s.procedure_create(code="1.000012", name="Không phí", field=field, level="commune", processing_time=3)
    at = dt.datetime(2024, 3, 4, 9, tzinfo=VN)
    d1 = s.dossier_receive(procedure=paid, unit=commune, applicant_name="A", channel="online", received_at=at)
    s.dossier_receive(procedure=unpaid, unit=commune, applicant_name="B", channel="in_person", received_at=at)
    s.dossier_receive(procedure=free, unit=commune, applicant_name="C", channel="in_person", received_at=at)
    Payment.objects.create(dossier=d1, method="online", provider="demo", transaction_id="T1", amount=10000,
                           state="succeeded", payer_name="A", created_at=at, paid_at=at)
    common = {"unit": commune, "kind": "complaint", "text": "x", "contact_name": "Dân",
              "refuse_due_date": dt.date(2024, 3, 6)}
    Complaint.objects.create(**common, received_at=at, due_date=dt.date(2024, 3, 25), state="answered", on_time=True)
    Complaint.objects.create(**common, received_at=at, due_date=dt.date(2024, 3, 25), state="answered", on_time=False)
    Complaint.objects.create(**common, received_at=at, due_date=dt.date(2024, 3, 25), state="received")  # overdue
    Complaint.objects.create(**common, received_at=at, due_date=dt.date(2024, 3, 25), state="closed", on_time=True)
    s.onestop_rollups_rebuild()  # rows written directly: counters recomputed from them
    v = metric_values(names=NAMES, units=[commune], now=dt.datetime(2024, 6, 1, tzinfo=VN), **Y)[commune.pk]
    rate = v["payments.procedures_paid_online_rate"]
    assert (rate.numerator, rate.denominator, rate.value) == (1, 2, 50.0)
    pakn = v["citizen.pakn_satisfied_rate"]
    assert (pakn.numerator, pakn.denominator, pakn.value) == (2, 4, 50.0)
    empty = metric_values(names=NAMES, units=[commune], date_from=dt.date(2023, 1, 1),
                          date_to=dt.date(2023, 12, 31))[commune.pk]
    assert all(empty[n].value is None for n in NAMES)
