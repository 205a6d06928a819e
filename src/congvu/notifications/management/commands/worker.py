"""`congvu worker [--once]`: send queued notifications (e-mail, in-app, SMS, Zalo), retrying failures with
backoff and falling back along each message's channel chain; runs the daily jobs once a day."""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from congvu.notifications.services import notifications_dispatch


class Command(BaseCommand):
    help = "Gửi các thông báo trong hộp thư đi (e-mail, trong ứng dụng, SMS, Zalo), thử lại khi lỗi."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Gửi một lượt rồi dừng.")
        parser.add_argument("--batch", type=int, default=200)
        parser.add_argument("--workers", type=int, default=None, help="Số luồng gửi song song (mặc định theo cấu hình).")
        parser.add_argument("--interval", type=float, default=5.0, help="Số giây nghỉ giữa các lượt.")

    def handle(self, *args, once: bool = False, batch: int = 200, interval: float = 5.0, workers: int | None = None,
               **options):
        from congvu.common.production import enforce

        enforce(settings)  # production never sends with a demo secret configured
        stopping = threading.Event()

        def stop(signum, frame):  # SIGTERM (systemd, congvu serve): finish this batch, then exit
            stopping.set()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, stop)
        last_daily = None
        while not stopping.is_set():
            today = timezone.localdate()
            if today != last_daily:
                # Daily jobs (overdue sweep, reminders) are idempotent: safe after a restart.
                for path in getattr(settings, "CONGVU_DAILY_JOBS", []):
                    outcome = import_string(path)(today=today)
                    self.stdout.write(f"{path}: {outcome}")
                last_daily = today
            for path in getattr(settings, "CONGVU_WORKER_TICKS", []):  # e.g. the national-portal sender
                try:
                    import_string(path)()
                except Exception as exc:  # noqa: BLE001 - another app's outage must not stop notifications
                    self.stderr.write(f"{path}: {exc}")
            try:
                result = notifications_dispatch(batch=batch, workers=workers)
            except DatabaseError as exc:  # database restarting, lock timeout: wait and go on
                if once:
                    raise
                self.stderr.write(f"lỗi cơ sở dữ liệu, thử lại sau: {exc}")
                close_old_connections()
                stopping.wait(interval)
                continue
            if result.total:
                self.stdout.write(f"đã gửi {result.sent}, chờ thử lại {result.retried}, chuyển kênh {result.fell_back}, "
                                  f"thất bại {result.failed}")
            if once:
                return
            # Nothing moved: wait. Otherwise go on at once (the next message of a dossier may now be due).
            if result.total == 0:
                stopping.wait(interval)
        self.stdout.write("worker: đã dừng.")
