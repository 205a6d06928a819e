"""Dossier codes stay gapless and unique when many receipts run at once (PostgreSQL row locks)."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from congvu.onestop import services as s
from congvu.onestop.models import Dossier, DossierCodeCounter
from factories import make_unit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real row locks under parallel connections: run with DATABASE_URL=postgres://... "
    "(SQLite serialises writers, so the test would prove nothing)",
)


@pytest.mark.django_db(transaction=True)
def test_parallel_receipts_get_gapless_unique_codes():
    unit = make_unit("Trung tâm Phục vụ hành chính công thử", kind="onestop_desk", code="H55.99")
    field = s.field_get_or_create(code="TS", name="Thủy sản")
    proc = s.procedure_create(code="1.004359", name="Cấp giấy chứng nhận an toàn kỹ thuật tàu cá", field=field,
                              level="province", processing_time=5)
    when = dt.datetime(2024, 3, 4, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    barrier = threading.Barrier(8)

    def work(worker: int) -> list[str]:
        codes = []
        try:
            barrier.wait()
            for i in range(15):
                if i % 3 == 0:
                    d = s.dossier_receive(procedure=proc, unit=unit, applicant_name=f"Chủ tàu {worker}-{i}",
                                          channel="phone", received_at=when)
                    codes.append(d.code)
                elif i % 3 == 1:
                    with transaction.atomic():
                        codes.append(s.dossier_code_allocate(unit=unit, day=when.date()))
                else:  # a receipt that fails after taking a number gives it back (rollback)
                    try:
                        with transaction.atomic():
                            s.dossier_code_allocate(unit=unit, day=when.date())
                            raise RuntimeError("printer jam")
                    except RuntimeError:
                        pass
            return codes
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    codes = [c for chunk in results for c in chunk]
    assert len(codes) == 8 * 10
    assert len(set(codes)) == len(codes)
    seqs = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert seqs == list(range(1, len(codes) + 1))  # gapless despite the rolled-back ones
    assert all(c.startswith("H55.99-240304-") for c in codes)
    assert DossierCodeCounter.objects.get(unit=unit, period="240304").last_seq == len(codes)
    assert Dossier.objects.filter(unit=unit).count() == 8 * 5
