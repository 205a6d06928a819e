"""`congvu demo`: load the demo province (Quảng Ngãi 2023-2024) and print the demo logins. Idempotent."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from congvu.org.demo import DEMO_PASSWORD, demo_load, format_logins


class Command(BaseCommand):
    help = ("Nạp dữ liệu mẫu tỉnh Quảng Ngãi 2023-2024 (đơn vị, sắp xếp 2025, khối/cụm thi đua, cán bộ) và một tài "
            "khoản mẫu cho mỗi vai trò. Chạy lại nhiều lần không tạo trùng. Mật khẩu chỉ để dùng thử trên máy cục bộ.")

    def add_arguments(self, parser):
        parser.add_argument("--password", help=f"mật khẩu cho các tài khoản mẫu (mặc định {DEMO_PASSWORD} khi DEBUG)")

    def handle(self, *args, **opts):
        started = time.monotonic()
        result = demo_load(stdout=self.stdout, password=opts.get("password"))
        counts, created = result["counts"], result["created"]
        self.stdout.write("")
        self.stdout.write("Tổng số: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write("Lần chạy này tạo/cập nhật: " + (", ".join(f"{k} {v}" for k, v in sorted(created.items()))
                                                         or "không có gì (đã nạp trước đó)"))
        for path in result["steps"]:
            self.stdout.write(f"Bước demo thêm: {path}")
        self.stdout.write("")
        self.stdout.write("Tài khoản mẫu (CHỈ dùng thử trên máy cục bộ, đừng dùng trên máy chủ thật):")
        self.stdout.write(format_logins(result["logins"]))
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING(
                "DEBUG đang tắt: tài khoản mới nhận mật khẩu ngẫu nhiên (in một lần ở trên); hãy xoá hoặc khoá các tài "
                "khoản mẫu trên máy chủ thật."))
        self.stdout.write(f"Xong trong {time.monotonic() - started:.1f} giây.")
