"""`congvu portal send [--loop] [--interval S] [--batch N]` · `congvu portal reconcile --unit U --from D --to D
[--dry-run] [--json]` · `congvu portal status` · `congvu portal identity-check [--limit N]`"""

from __future__ import annotations

import datetime as dt
import json
import signal
import time

from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError


def _date(value: str) -> dt.date:
    for parse in (dt.date.fromisoformat, lambda v: dt.datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {value} (dùng YYYY-MM-DD hoặc dd/mm/yyyy).")


class Command(BaseCommand):
    help = "Kết nối Cổng DVCQG: gửi bản ghi đồng bộ (send), đối soát (reconcile), tình trạng (status)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        send = sub.add_parser("send", help="Gửi các bản ghi đang chờ (một lần, hoặc chạy liên tục với --loop).")
        send.add_argument("--loop", action="store_true", help="Chạy liên tục (tiến trình nền).")
        send.add_argument("--interval", type=float, default=2.0, help="Giây nghỉ khi không còn gì để gửi.")
        send.add_argument("--batch", type=int, default=None, help="Số bản ghi mỗi lần gửi.")
        send.add_argument("--max-batches", type=int, default=None)
        send.add_argument("--provider", default=None)
        send.add_argument("--json", action="store_true")
        rec = sub.add_parser("reconcile", help="Đối soát số bản ghi theo đơn vị × ngày với cổng và gửi lại phần thiếu.")
        rec.add_argument("--unit", required=True, help="Mã hoặc tên đơn vị (gồm đơn vị cấp dưới)")
        rec.add_argument("--from", dest="date_from", required=True)
        rec.add_argument("--to", dest="date_to", required=True)
        rec.add_argument("--dry-run", action="store_true", help="Chỉ so sánh, không gửi lại.")
        rec.add_argument("--json", action="store_true")
        sub.add_parser("status", help="Hàng đợi, bản ghi bị từ chối, tình trạng cổng và CSDL dân cư.")
        idc = sub.add_parser("identity-check", help="Kiểm tra lại danh tính các hồ sơ chưa xác thực.")
        idc.add_argument("--limit", type=int, default=200)

    def handle(self, *args, **o):
        return getattr(self, "_" + o["sub"].replace("-", "_"))(o)

    def _send(self, o):
        from django.conf import settings

        from congvu.common.production import ProductionRefused, enforce
        from congvu.portal.providers import get_provider

        try:
            enforce(settings)  # production never sends to the stand-in or with a demo secret
        except ProductionRefused as exc:
            raise CommandError(str(exc)) from exc
        from congvu.portal.services import portal_send

        try:
            provider = get_provider(o["provider"]) if o["provider"] else None
        except KeyError as exc:
            raise CommandError(f"Không có cổng “{o['provider']}” trong CONGVU_PORTAL_PROVIDERS.") from exc
        stop = {"now": False}
        if o["loop"]:
            signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        while True:
            report = portal_send(provider=provider, batch_size=o["batch"], max_batches=o["max_batches"])
            if o["loop"]:
                try:
                    from congvu.portal.services.identity import identity_recheck

                    identity_recheck(limit=50)
                except Exception as exc:  # noqa: BLE001 - a population outage must not stop the sync
                    self.stderr.write(f"identity-check: {exc}")
            if o["json"]:
                self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            elif report.sent or report.failed or not o["loop"]:
                self.stdout.write(self._line(report))
            if not o["loop"] or stop["now"]:
                return
            wait = o["interval"]
            if report.paused_until:
                from django.utils import timezone

                wait = max(wait, min(60.0, (report.paused_until - timezone.now()).total_seconds()))
            if report.batches and not report.failed:
                wait = 0
            for _ in range(int(wait * 10)):
                if stop["now"]:
                    return
                time.sleep(0.1)

    @staticmethod
    def _line(r) -> str:
        if r.busy:
            return "Một tiến trình gửi khác đang chạy; bỏ qua lần này."
        if r.error and not r.sent:
            extra = f" (tạm dừng đến {r.paused_until:%d/%m/%Y %H:%M:%S})" if r.paused_until else ""
            return f"Chưa gửi được: {r.error}{extra}"
        if r.paused_until and not r.sent:
            return f"Cổng đang lỗi, tạm dừng gửi đến {r.paused_until:%d/%m/%Y %H:%M:%S}."
        return (f"Đã gửi {r.sent} bản ghi ({r.batches} lượt): xác nhận {r.acknowledged}, chờ xác nhận {r.accepted}, "
                f"trùng {r.duplicates}, bị từ chối {r.rejected}; xác nhận nhận sau {r.acks_applied}.")

    def _reconcile(self, o):
        from congvu.org.selectors import unit_resolve
        from congvu.portal.providers import PortalUnavailable
        from congvu.portal.services import portal_reconcile

        try:
            unit = unit_resolve(o["unit"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        date_from, date_to = _date(o["date_from"]), _date(o["date_to"])
        if date_to < date_from:
            raise CommandError("--to phải sau hoặc bằng --from.")
        try:
            report = portal_reconcile(unit=unit, date_from=date_from, date_to=date_to, resend=not o["dry_run"])
        except PortalUnavailable as exc:
            raise CommandError(f"Không đối soát được: {exc}") from exc
        if o["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"Đối soát {unit.name} {date_from:%d/%m/%Y}–{date_to:%d/%m/%Y}: "
                          f"{report.days_checked} đơn vị × ngày, {len(report.differing)} lệch.")
        for d in report.differing:
            self.stdout.write(f"  {d.unit_code} {d.day:%d/%m/%Y}: congvu {d.ours}, cổng {d.portal}; "
                              f"thiếu trên cổng {len(d.missing)}" + (f", cổng có thêm {d.extra}" if d.extra else ""))
        verb = "sẽ gửi lại" if o["dry_run"] else "đã đưa vào hàng đợi gửi lại"
        self.stdout.write(f"{sum(len(d.missing) for d in report.differing)} bản ghi {verb}"
                          + ("" if o["dry_run"] else f" ({report.requeued}); chạy `congvu portal send`."))

    def _status(self, o):
        from congvu.portal.selectors import portal_health

        h = portal_health()
        self.stdout.write(json.dumps(h, ensure_ascii=False, indent=2, default=str))

    def _identity_check(self, o):
        from congvu.portal.services.identity import identity_recheck

        n = identity_recheck(limit=o["limit"])
        self.stdout.write(f"Đã kiểm tra lại {n['checked']} hồ sơ: xác thực {n['verified']}, còn chờ {n['still_unverified']}.")
