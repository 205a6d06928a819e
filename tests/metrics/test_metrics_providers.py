"""The providers the apps register: values equal the one-stop figures, units roll up through the
tree and through lineage, a period without data is "no data", directives and payments figures."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congvu.directives.models import Notice, Task
from congvu.metrics.registry import UnknownMetric, metric_get, metrics_catalogue
from congvu.metrics.selectors import metric_value, metric_values
from congvu.onestop import services as s
from congvu.onestop.selectors import onestop_stats
from congvu.org.services import unit_lineage_create
from factories import make_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Y = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def T(*a):
    return dt.datetime(*a, tzinfo=VN)


@pytest.fixture
def world(commune):
    desk = make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")
    old = make_unit("Xã Bình Cũ", kind="commune", parent=commune.parent, valid_to=dt.date(2025, 6, 30))
    unit_lineage_create(predecessor=old, successor=commune, effective_on=dt.date(2025, 7, 1))
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, level="commune",
                              processing_time=5, online_level="full", legal_basis="Luật Hộ tịch 2014",
                              components=[{"name": "Tờ khai", "originals": 1}],
                              steps=[{"name": "Thẩm định", "share": "1"}])
    s.procedure_create(code="1.000001", name="Thủ tục không trực tuyến", field=field, level="commune",
                       processing_time=3, fee_amount=10000)
    return {"desk": desk, "commune": commune, "old": old, "proc": proc}


def _receive(proc, unit, at, channel="in_person", **kw):
    return s.dossier_receive(procedure=proc, unit=unit, applicant_name="Nguyễn Thị Hoa", channel=channel,
                             received_at=at, **kw)


def test_catalogue_names_are_unique_and_documented(db):
    names = [m.name for m in metrics_catalogue()]
    assert len(names) == len(set(names))
    for required in ("onestop.on_time_rate", "onestop.digitized_rate", "citizen.satisfaction_rate",
                     "payments.online_payment_rate", "directives.task_on_time_rate"):
        assert required in names
    assert all(m.label and m.description and m.unit for m in metrics_catalogue())
    assert metric_get("onestop.on_time_rate").source.startswith("QĐ 766")
    with pytest.raises(UnknownMetric):
        metric_get("onestop.nope")


def test_onestop_metrics_equal_the_onestop_figures_and_roll_up_through_lineage(world):
    desk, proc, old = world["desk"], world["proc"], world["old"]
    a = _receive(proc, desk, T(2024, 3, 4, 9), channel="online", digitized_components=True)
    s.dossier_transfer(dossier=a, at=T(2024, 3, 4, 10))
    s.dossier_record_result(dossier=a, at=T(2024, 3, 5, 10), e_result=True)
    b = _receive(proc, desk, T(2024, 3, 4, 9, 30))
    s.dossier_transfer(dossier=b, at=T(2024, 3, 4, 10))
    s.dossier_record_result(dossier=b, at=T(2024, 3, 20, 10))  # late
    _receive(proc, old, T(2024, 5, 6, 9))  # open, overdue by the end of the year
    now = T(2025, 8, 1, 9)

    names = ["onestop.received", "onestop.online_rate", "onestop.on_time_rate", "onestop.late_rate",
             "onestop.digitized_rate", "onestop.e_result_rate", "onestop.overdue", "onestop.full_online_rate"]
    values = metric_values(names=names, units=[desk, world["commune"]], date_from=Y[0], date_to=Y[1], now=now)
    stats = onestop_stats(unit=desk, date_from=Y[0], date_to=Y[1], now=now)
    d = values[desk.pk]
    assert d["onestop.received"].value == stats["received"] == 2
    assert d["onestop.online_rate"].value == stats["online_rate"] == 50.0
    assert d["onestop.on_time_rate"].value == stats["on_time_rate"] == 50.0
    assert d["onestop.late_rate"].value == stats["late_rate"]
    assert d["onestop.digitized_rate"].value == stats["digitized_rate"] == 50.0
    assert d["onestop.e_result_rate"].value == 50.0
    assert (d["onestop.full_online_rate"].numerator, d["onestop.full_online_rate"].denominator) == (1, 2)
    # the commune counts its desk and, through lineage, the merged commune's 2024 dossier
    c = values[world["commune"].pk]
    assert c["onestop.received"].value == 3 and c["onestop.overdue"].value == 1
    assert c["onestop.on_time_rate"].numerator == 1 and c["onestop.on_time_rate"].denominator == 3
    no_lineage = metric_value(name="onestop.received", unit=world["commune"], date_from=Y[0], date_to=Y[1],
                              lineage=False)
    assert no_lineage.value == 2


def test_a_period_without_dossiers_is_no_data(world):
    v = metric_values(names=["onestop.on_time_rate", "onestop.received", "citizen.satisfaction_rate",
                             "payments.online_payment_rate", "directives.task_on_time_rate"],
                      units=[world["desk"]], date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31))
    d = v[world["desk"].pk]
    assert d["onestop.on_time_rate"].value is None and d["onestop.on_time_rate"].denominator == 0
    assert d["onestop.received"].value == 0  # a count of nothing is a figure
    assert d["citizen.satisfaction_rate"].value is None
    assert d["payments.online_payment_rate"].value is None
    assert d["directives.task_on_time_rate"].value is None


def test_catalogue_figures_follow_the_unit_level(world):
    v = metric_values(names=["onestop.procedures_online_rate", "onestop.procedures_complete_rate",
                             "onestop.procedures_payable_online_rate"],
                      units=[world["commune"]], date_from=Y[0], date_to=Y[1])[world["commune"].pk]
    assert (v["onestop.procedures_online_rate"].numerator, v["onestop.procedures_online_rate"].denominator) == (1, 2)
    assert v["onestop.procedures_complete_rate"].value == 50.0
    assert (v["onestop.procedures_payable_online_rate"].numerator,
            v["onestop.procedures_payable_online_rate"].denominator) == (0, 1)


def test_task_on_time_rate_by_lead_unit(world, province):
    commune = world["commune"]
    notice = Notice.objects.create(doc_type="TB", number="1/TB-UBND", title="Kết luận", date=dt.date(2024, 1, 5),
                                   issuer_unit=province)
    common = {"notice": notice, "unit": commune, "action": "Làm việc"}
    Task.objects.create(**common, deadline=dt.date(2024, 3, 1), state="accepted", done_on=dt.date(2024, 2, 28))
    Task.objects.create(**common, deadline=dt.date(2024, 3, 1), state="reported_done", done_on=dt.date(2024, 3, 8))
    Task.objects.create(**common, deadline=dt.date(2024, 4, 1), state="assigned")  # overdue
    Task.objects.create(**common, deadline=dt.date(2024, 4, 1), state="cancelled")
    Task.objects.create(**common, deadline=dt.date(2025, 4, 1), state="assigned")  # outside the period
    v = metric_values(names=["directives.task_on_time_rate", "directives.tasks_overdue", "directives.tasks_due"],
                      units=[commune, province], date_from=Y[0], date_to=Y[1], now=T(2025, 1, 10, 9))
    c = v[commune.pk]
    assert (c["directives.task_on_time_rate"].numerator, c["directives.task_on_time_rate"].denominator) == (1, 3)
    assert c["directives.tasks_overdue"].value == 1 and c["directives.tasks_due"].value == 3
    assert v[province.pk]["directives.tasks_due"].value == 3  # the province's subtree


def test_online_payment_rate_counts_fee_bearing_dossiers(world, client):
    from congvu.payments import links
    from congvu.payments.models import Payment

    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    paid_proc = s.procedure_create(code="1.000893", name="Kết hôn", field=field, level="commune",
                                   processing_time=5, online_level="full", fee_amount=50000)
    d1 = s.dossier_receive(procedure=paid_proc, unit=world["desk"], applicant_name="Lan", channel="online")
    s.dossier_receive(procedure=paid_proc, unit=world["desk"], applicant_name="Hoa", channel="online")
    s.dossier_receive(procedure=world["proc"], unit=world["desk"], applicant_name="Mai", channel="online")  # no fee
    r = client.post(links.pay_url(d1.code), {"payer_name": "Lan"})
    client.post(r["Location"], {"action": "pay"})
    assert Payment.objects.get(dossier=d1).state == "succeeded"
    from django.utils import timezone

    today = timezone.localdate()
    v = metric_values(names=["payments.online_payment_rate", "payments.online_payment_amount"],
                      units=[world["commune"]], date_from=today, date_to=today)[world["commune"].pk]
    assert (v["payments.online_payment_rate"].numerator, v["payments.online_payment_rate"].denominator) == (1, 2)
    assert v["payments.online_payment_amount"].value == 50000
