"""`congvu worker [--once]`: send queued notifications, retrying failures with backoff."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string

from congvu.notifications.services import notifications_dispatch


class Command(BaseCommand):
    help = "Gửi các thông báo trong hộp thư đi (e-mail, trong ứng dụng), thử lại khi lỗi."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Gửi một lượt rồi dừng.")
        parser.add_argument("--batch", type=int, default=100)
        parser.add_argument("--interval", type=float, default=5.0, help="Số giây nghỉ giữa các lượt.")

    def handle(self, *args, once: bool = False, batch: int = 100, interval: float = 5.0, **options):
        last_daily = None
        while True:
            today = timezone.localdate()
            if today != last_daily:
                # Daily jobs (overdue sweep, reminders) are idempotent: safe after a restart.
                for path in getattr(settings, "CONGVU_DAILY_JOBS", []):
                    outcome = import_string(path)(today=today)
                    self.stdout.write(f"{path}: {outcome}")
                last_daily = today
            result = notifications_dispatch(batch=batch)
            if result.total:
                self.stdout.write(f"đã gửi {result.sent}, chờ thử lại {result.retried}, thất bại {result.failed}")
            if once:
                return
            if result.total < batch:
                time.sleep(interval)
