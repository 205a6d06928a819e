"""`congvu import_people FILE [--skip-errors]`: officials from XLSX/CSV."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError
from congvu.org.importers import import_people
from congvu.org.management.commands.import_units import actor_from, report


class Command(BaseCommand):
    help = ("Nhập cán bộ, công chức, viên chức từ XLSX hoặc CSV (UTF-8). Cột: staff_code, full_name, category, "
            "unit_code, position, is_head, birth_date, email, phone (tùy chọn: gender, since).")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--skip-errors", action="store_true", help="nhập các dòng đúng, báo các dòng sai")
        parser.add_argument("--as", dest="username", help="tài khoản ghi vào nhật ký (mặc định: system)")

    def handle(self, *args, **opts):
        try:
            result = import_people(opts["file"], actor=actor_from(opts["username"]), skip_errors=opts["skip_errors"])
        except (DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        report(self, result, skip_errors=opts["skip_errors"], what="Cán bộ")
