"""`congvu onestop_procedures_import FILE [--skip-errors] [--as USERNAME]`: the procedures catalogue
(XLSX with sheets "Thủ tục", "Thành phần", "Quy trình"; or CSV UTF-8 with the procedures only)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError


class Command(BaseCommand):
    help = ("Nhập danh mục thủ tục hành chính từ XLSX (sheet Thủ tục, Thành phần, Quy trình) hoặc CSV UTF-8 "
            "(chỉ sheet Thủ tục). Cập nhật theo mã thủ tục; xem docs/onestop.md.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--skip-errors", action="store_true", help="nhập các thủ tục đúng, báo các dòng sai")
        parser.add_argument("--as", dest="username", help="tài khoản thực hiện (mặc định: system)")

    def handle(self, *args, **opts):
        from congvu.onestop.catalogue import procedures_import

        actor = None
        if opts["username"]:
            actor = get_user_model().objects.filter(username=opts["username"]).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản {opts['username']}.")
        try:
            result = procedures_import(opts["file"], actor=actor, skip_errors=opts["skip_errors"])
        except (DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(f"Danh mục thủ tục: thêm mới {result.created}, cập nhật {result.updated}, "
                          f"bỏ qua {result.skipped}, lỗi {len(result.errors)}")
        if result.errors:
            self.stderr.write(result.error_report())
            if not opts["skip_errors"]:
                raise CommandError("Tệp có lỗi nên không nhập thủ tục nào; sửa các dòng trên hoặc chạy lại với "
                                   "--skip-errors để nhập các thủ tục đúng.")
