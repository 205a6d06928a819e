"""National-connection figures in the metrics catalogue (QĐ 766 leaves 1.4, 4.4, 4.5), counted from
what actually happened: records the portal acknowledged, e-result links it acknowledged, identities
the population database confirmed. Registered from `PortalConfig.ready()`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    sum_by_group,
)
from congvu.onestop.models import Dossier
from congvu.portal.models import IdentityCheck, IdentityState, SyncRecord, SyncState

SRC = "QĐ 766/QĐ-TTg"
METRICS = (
    Metric("portal.synced", "Hồ sơ đã đồng bộ lên Cổng DVCQG", "count", "hồ sơ",
           "Hồ sơ tiếp nhận trong kỳ mà Cổng DVCQG đã xác nhận bản ghi tiếp nhận.", f"{SRC}, chỉ số 1.4", app="portal"),
    Metric("portal.synced_rate", "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", "rate", "%",
           "Hồ sơ tiếp nhận trong kỳ đã được Cổng DVCQG xác nhận (acknowledged) / hồ sơ tiếp nhận trong kỳ. "
           "Bản ghi mới gửi, chưa xác nhận, hoặc bị từ chối thì chưa tính.", f"{SRC}, chỉ số 1.4", app="portal"),
    Metric("portal.shared_to_citizen_store", "Hồ sơ chia sẻ vào kho dữ liệu của công dân", "count", "hồ sơ",
           "Hồ sơ tiếp nhận trong kỳ có bản ghi mang đường dẫn kết quả điện tử (hoặc thành phần lấy từ kho "
           "DVCQG, DuocLayTuKhoDMQG=1) đã được Cổng DVCQG xác nhận.", f"{SRC}, chỉ số 4.4", app="portal"),
    Metric("portal.shared_to_citizen_store_rate", "Tỷ lệ hồ sơ số hóa kết nối, chia sẻ với kho dữ liệu công dân",
           "rate", "%", "portal.shared_to_citizen_store / hồ sơ tiếp nhận trong kỳ.", f"{SRC}, chỉ số 4.4",
           app="portal"),
    Metric("portal.identity_verified", "Hồ sơ xác thực với CSDL quốc gia về dân cư", "count", "hồ sơ",
           "Hồ sơ tiếp nhận trong kỳ có số định danh của người nộp được CSDL dân cư xác nhận khớp họ tên.",
           f"{SRC}, chỉ số 4.5", app="portal"),
    Metric("portal.identity_verified_rate", "Tỷ lệ hồ sơ sử dụng CSDL quốc gia về dân cư", "rate", "%",
           "portal.identity_verified / hồ sơ tiếp nhận trong kỳ. Không khớp, không có trong CSDL, chưa kiểm tra "
           "được (CSDL lỗi) thì không tính.", f"{SRC}, chỉ số 4.5 (hồ sơ)", app="portal"),
    Metric("portal.identity_procedures_rate", "Tỷ lệ TTHC có hồ sơ sử dụng CSDL dân cư", "rate", "%",
           "TTHC dành cho công dân có ít nhất một hồ sơ tiếp nhận trong kỳ đã xác thực với CSDL dân cư / TTHC dành "
           "cho công dân có hồ sơ tiếp nhận trong kỳ.", f"{SRC}, chỉ số 4.5 (TTHC)", app="portal"),
)

_COUNTS = ("received", "synced", "shared", "verified")


def _end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def _received(q: MetricQuery):
    start = timezone.make_aware(dt.datetime.combine(q.date_from, dt.time()))
    return (Dossier.objects.filter(unit_id__in=q.all_ids, received_at__gte=start, received_at__lt=_end(q.date_to),
                                   receipt_refused=False).exclude(state="guidance"))


def compute(q: MetricQuery) -> ProviderResult:
    out: dict[int, dict[str, MetricValue]] = {gid: {} for gid in q.groups}
    acked = SyncRecord.objects.filter(dossier=OuterRef("pk"), state=SyncState.ACKNOWLEDGED)
    verified = IdentityCheck.objects.filter(dossier=OuterRef("pk"), state=IdentityState.VERIFIED)
    rows = (_received(q)
            .annotate(is_synced=Exists(acked.filter(kind="receive")),
                      is_shared=Exists(acked.filter(shares_to_store=True)),
                      is_verified=Exists(verified))
            .values("unit_id")
            .annotate(received=Count("id"), synced=Count("id", filter=Q(is_synced=True)),
                      shared=Count("id", filter=Q(is_shared=True)), verified=Count("id", filter=Q(is_verified=True))))
    totals = sum_by_group({r["unit_id"]: r for r in rows}, q.groups, _COUNTS)
    for gid, t in totals.items():
        v = out[gid]
        v["portal.synced"] = MetricValue.count(t["synced"])
        v["portal.synced_rate"] = MetricValue.rate(t["synced"], t["received"])
        v["portal.shared_to_citizen_store"] = MetricValue.count(t["shared"])
        v["portal.shared_to_citizen_store_rate"] = MetricValue.rate(t["shared"], t["received"])
        v["portal.identity_verified"] = MetricValue.count(t["verified"])
        v["portal.identity_verified_rate"] = MetricValue.rate(t["verified"], t["received"])
    if "portal.identity_procedures_rate" in q.names:
        pairs = (_received(q).filter(procedure__citizen_facing=True)
                 .annotate(is_verified=Exists(verified)).values("unit_id", "procedure_id")
                 .annotate(v=Count("id", filter=Q(is_verified=True))))
        per_unit: dict[int, list[tuple[int, int]]] = {}
        for p in pairs:
            per_unit.setdefault(p["unit_id"], []).append((p["procedure_id"], p["v"]))
        for gid, ids in q.groups.items():
            procs: dict[int, bool] = {}
            for uid in ids:
                for pid, n in per_unit.get(uid, []):
                    procs[pid] = procs.get(pid, False) or n > 0
            out[gid]["portal.identity_procedures_rate"] = MetricValue.rate(sum(procs.values()), len(procs))
    return {gid: {k: v for k, v in vals.items() if k in q.names} for gid, vals in out.items()}


PROVIDER = MetricProvider(key="portal", metrics=METRICS, compute=compute)
