"""Concurrent callbacks for one transaction apply once; concurrent payments get gapless receipt
numbers (PostgreSQL row locks)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from congvu.onestop import services as s
from congvu.onestop.models import DailyRollup
from congvu.payments import services
from congvu.payments.models import CallbackLog, EReceipt, Payment
from congvu.payments.providers import get_provider
from factories import make_unit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real row locks under parallel connections: run with DATABASE_URL=postgres://... "
    "(SQLite serialises writers, so the test would prove nothing)",
)


@pytest.fixture
def dossiers(transactional_db):
    unit = make_unit("Trung tâm Phục vụ hành chính công thử", kind="onestop_desk", code="H55.98")
    field = s.field_get_or_create(code="TS", name="Thủy sản")
    proc = s.procedure_create(code="1.004359", name="Cấp giấy chứng nhận an toàn kỹ thuật tàu cá", field=field,
                              level="province", processing_time=5, fee_amount=120000)

    def make(n):
        return [s.dossier_receive(procedure=proc, unit=unit, applicant_name=f"Chủ tàu {i}", channel="online",
                                  received_at=timezone.now()) for i in range(n)]

    return unit, make


def run_parallel(fn, n):
    barrier = threading.Barrier(n)

    def work(i):
        try:
            barrier.wait()
            return fn(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(work, range(n)))


def test_concurrent_callbacks_for_one_transaction_apply_once(dossiers):
    unit, make = dossiers
    (d,) = make(1)
    payment, _ = services.payment_start(dossier=d)
    data = get_provider("demo").build_callback(payment, status="succeeded")
    outcomes = run_parallel(lambda i: services.payment_callback_receive(provider="demo", data=data).outcome, 8)
    assert sorted(outcomes) == ["accepted"] + ["duplicate"] * 7
    assert EReceipt.objects.filter(payment=payment).count() == 1
    row = DailyRollup.objects.get(unit=unit, day=timezone.localdate())
    assert (row.payment_count, int(row.payment_amount)) == (1, 120000)
    assert CallbackLog.objects.filter(transaction_id=payment.transaction_id).count() == 8


def test_concurrent_payments_get_gapless_receipt_numbers(dossiers):
    unit, make = dossiers
    payments = [services.payment_start(dossier=d)[0] for d in make(10)]
    demo = get_provider("demo")
    calls = [demo.build_callback(p, status="succeeded") for p in payments]
    outcomes = run_parallel(lambda i: services.payment_callback_receive(provider="demo", data=calls[i]).outcome, 10)
    assert outcomes == ["accepted"] * 10
    numbers = sorted(EReceipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 11))
    assert Payment.objects.filter(state="succeeded").count() == 10
    row = DailyRollup.objects.get(unit=unit, day=timezone.localdate())
    assert (row.payment_count, int(row.payment_amount)) == (10, 1200000)
