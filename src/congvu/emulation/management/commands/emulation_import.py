"""`congvu emulation_import FILE.xlsx [--skip-bad-rows] [--dry-run] [--json]`: import ratings,
initiatives and earlier titles/commendations (see congvu.emulation.importing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError


class Command(BaseCommand):
    help = ("Nhập xếp loại, sáng kiến, danh hiệu và hình thức khen thưởng đã có từ tệp Excel; mọi dòng lỗi được "
            "báo cáo, không nhập gì nếu có lỗi trừ khi dùng --skip-bad-rows.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="tệp .xlsx (trang Xếp loại / Sáng kiến / Khen thưởng)")
        parser.add_argument("--skip-bad-rows", action="store_true", help="nhập các dòng đúng, bỏ qua dòng lỗi")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không nhập")
        parser.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        from congvu.emulation.importing import import_workbook

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        try:
            with path.open("rb") as stream:
                report = import_workbook(actor=None, stream=stream, skip_bad_rows=options["skip_bad_rows"],
                                         dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            for error in report.errors:
                self.stdout.write(str(error))
            done = ", ".join(f"{k}: {v}" for k, v in report.imported.items())
            state = "ĐÃ NHẬP" if report.applied else "KHÔNG NHẬP"
            self.stdout.write(f"{state} — {report.rows} dòng; {done}; không đổi: {report.unchanged}; "
                              f"lỗi: {len(report.errors)}")
        if report.errors and not report.applied:
            raise CommandError(f"{len(report.errors)} dòng lỗi: không nhập gì (dùng --skip-bad-rows để bỏ qua "
                               "các dòng lỗi)", returncode=2)
