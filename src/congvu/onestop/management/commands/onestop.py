"""`congvu onestop stats --unit CODE_OR_EXACT_NAME --from D --to D [--json]`
`congvu onestop rebuild-rollups` · `congvu onestop demo`"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError

LABELS = {
    "received": "Hồ sơ tiếp nhận",
    "online": "Trực tuyến",
    "online_rate": "Tỷ lệ trực tuyến (%)",
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "on_time_rate": "Tỷ lệ trước hạn, đúng hạn (%)",
    "late": "Trễ hạn",
    "late_rate": "Tỷ lệ trễ hạn (%)",
    "in_progress": "Đang giải quyết",
    "overdue": "Quá hạn",
    "digitized": "Số hóa",
    "digitized_rate": "Tỷ lệ số hóa (%)",
    "e_results": "Kết quả điện tử",
    "reuse": "Tái sử dụng dữ liệu",
    "payment_count": "Giao dịch thanh toán trực tuyến",
    "payment_amount": "Số tiền thanh toán trực tuyến (đồng)",
    "rating_count": "Lượt đánh giá",
    "satisfaction_rate": "Tỷ lệ hài lòng (%)",
    "pakn_received": "Phản ánh, kiến nghị",
    "pakn_on_time_rate": "Tỷ lệ PAKN xử lý đúng hạn (%)",
}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        try:
            return dt.datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {value} (dùng YYYY-MM-DD hoặc dd/mm/yyyy).") from exc


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Một cửa: số liệu (stats), dựng lại bảng tổng hợp (rebuild-rollups), dữ liệu mẫu (demo)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        stats = sub.add_parser("stats", help="Số liệu tiếp nhận, giải quyết của một đơn vị (gồm đơn vị cấp dưới).")
        stats.add_argument("--unit", required=True, help="Mã đơn vị hoặc tên chính xác")
        stats.add_argument("--from", dest="date_from", required=True)
        stats.add_argument("--to", dest="date_to", required=True)
        stats.add_argument("--json", action="store_true")
        stats.add_argument("--from-rows", action="store_true", help="Tính lại từ từng hồ sơ (chậm; để đối chiếu)")
        rebuild = sub.add_parser("rebuild-rollups", help="Tính lại mọi bộ đếm theo ngày (tổng hợp một cửa, thanh toán, "
                                 "đánh giá, PAKN) từ các bản ghi gốc.")
        rebuild.add_argument("--check", action="store_true",
                             help="Chỉ đối chiếu: báo các bộ đếm khác với tính lại, không thay đổi gì")
        sub.add_parser("demo", help="Nạp danh mục TTHC và hồ sơ mẫu năm 2023.")

    def handle(self, *args, **opts):
        sub = opts["sub"]
        if sub == "rebuild-rollups":
            self._rebuild(check=opts["check"])
            return
        if sub == "demo":
            from congvu.onestop.demo import load

            load(stdout=self.stdout)
            return
        from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows
        from congvu.org.selectors import unit_resolve as unit_find

        try:
            unit = unit_find(opts["unit"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        date_from, date_to = _date(opts["date_from"]), _date(opts["date_to"])
        if date_to < date_from:
            raise CommandError("--to phải sau hoặc bằng --from.")
        fn = onestop_stats_from_rows if opts["from_rows"] else onestop_stats
        figures = fn(unit=unit, date_from=date_from, date_to=date_to)
        if opts["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{figures['unit']} ({figures['unit_code']}) {date_from:%d/%m/%Y} – {date_to:%d/%m/%Y}")
        for key, label in LABELS.items():
            if key in figures:
                self.stdout.write(f"  {label:<40} {figures[key]}")

    def _rebuild(self, *, check: bool) -> None:
        from django.db import transaction

        from congvu.onestop.services import counters_snapshot, onestop_rollups_rebuild

        live = counters_snapshot()
        try:
            with transaction.atomic():
                rows = onestop_rollups_rebuild()
                rebuilt = counters_snapshot()
                if check:
                    raise _Rollback
        except _Rollback:
            pass
        diff = sorted(k for k in set(live) | set(rebuilt) if live.get(k, 0) != rebuilt.get(k, 0))
        for unit_id, day, name in diff[:50]:
            self.stdout.write(f"  đơn vị {unit_id} ngày {day:%d/%m/%Y} {name}: "
                              f"{live.get((unit_id, day, name), 0)} → {rebuilt.get((unit_id, day, name), 0)}")
        verb = "khác" if check else "đã sửa"
        self.stdout.write(f"{rows} dòng tổng hợp; {len(diff)} bộ đếm {verb}.")
        if check and diff:
            raise CommandError("Bộ đếm khác với tính lại từ bản ghi gốc (chạy lại không có --check để sửa).")
