"""National-connection figures in the metrics catalogue (QĐ 766 leaves 1.4, 4.4, 4.5), counted from
what actually happened: records the portal acknowledged, e-result links it acknowledged, identities
the population database confirmed; read from the counters kept in the transaction that first made each
fact true (`portal.services.counters`), never from the dossier rows. Registered from
`PortalConfig.ready()`."""

from __future__ import annotations

from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    sum_by_group,
)
from congvu.onestop.selectors import procedure_sets, procedure_share, rollup_sums

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

_COUNTS = ("received", "portal_synced", "portal_shared", "portal_verified")


def compute(q: MetricQuery) -> ProviderResult:
    """From counters only (portal.services.counters): `received` (onestop) and `portal_synced`,
    `portal_shared`, `portal_verified` on the dossiers' unit × day of receipt (one grouped query each
    table), and the unit × procedure counters for the distinct procedures of 4.5."""
    out: dict[int, dict[str, MetricValue]] = {gid: {} for gid in q.groups}
    if not q.names & {m.name for m in METRICS}:
        return out
    per_unit = rollup_sums(unit_ids=q.all_ids, date_from=q.date_from, date_to=q.date_to, names=_COUNTS, by_unit=True)
    for gid, t in sum_by_group(per_unit, q.groups, _COUNTS).items():
        v = out[gid]
        v["portal.synced"] = MetricValue.count(t["portal_synced"])
        v["portal.synced_rate"] = MetricValue.rate(t["portal_synced"], t["received"])
        v["portal.shared_to_citizen_store"] = MetricValue.count(t["portal_shared"])
        v["portal.shared_to_citizen_store_rate"] = MetricValue.rate(t["portal_shared"], t["received"])
        v["portal.identity_verified"] = MetricValue.count(t["portal_verified"])
        v["portal.identity_verified_rate"] = MetricValue.rate(t["portal_verified"], t["received"])
    if "portal.identity_procedures_rate" in q.names:
        sets = procedure_sets(unit_ids=q.all_ids, date_from=q.date_from, date_to=q.date_to,
                              names=("received", "portal_verified"), citizen_facing=True)
        for gid, ids in q.groups.items():
            out[gid]["portal.identity_procedures_rate"] = MetricValue.rate(
                *procedure_share(sets, ids, base="received", part="portal_verified"))
    return {gid: {k: v for k, v in vals.items() if k in q.names} for gid, vals in out.items()}


PROVIDER = MetricProvider(key="portal", metrics=METRICS, compute=compute)
