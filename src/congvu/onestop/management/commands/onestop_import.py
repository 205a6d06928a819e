"""`congvu onestop_import FILE --unit CODE [--skip-errors] [--create-procedures] [--as USERNAME]`:
dossier records exported from a provincial system (CSV UTF-8 / XLSX, DVCQG field names)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError


class Command(BaseCommand):
    help = ("Nhập hồ sơ một cửa từ hệ thống cũ (CSV UTF-8 hoặc XLSX). Cột bắt buộc: MaHoSo, MaTTHC, NgayTiepNhan, "
            "NgayHenTra; tùy chọn: NgayKetThucXuLy, NgayTraKetQua, KenhThucHien (1/2/3), TrangThaiHoSo, DonViXuLy, "
            "ChuHoSo, NgayYeuCauBoSung, NgayHoanThanhBoSung... (xem docs/onestop.md).")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="mã hoặc tên chính xác của đơn vị tiếp nhận")
        parser.add_argument("--skip-errors", action="store_true", help="nhập các dòng đúng, báo các dòng sai")
        parser.add_argument("--create-procedures", action="store_true",
                            help="tạo thủ tục tạm cho MaTTHC chưa có trong danh mục (thay vì báo lỗi)")
        parser.add_argument("--as", dest="username", help="tài khoản thực hiện (mặc định: system)")

    def handle(self, *args, **opts):
        from congvu.onestop.importing import onestop_records_import
        from congvu.org.selectors import unit_resolve as unit_find

        actor = None
        if opts["username"]:
            actor = get_user_model().objects.filter(username=opts["username"]).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản {opts['username']}.")
        try:
            unit = unit_find(opts["unit"])
            result = onestop_records_import(opts["file"], unit=unit, actor=actor, skip_errors=opts["skip_errors"],
                                            create_procedures=opts["create_procedures"])
        except (DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(
            f"Hồ sơ một cửa → {unit.name} ({unit.code}): nhập mới {result.created}, bỏ qua {result.skipped} "
            f"(đã có {len(result.existing)}), dòng lỗi {len({line for line, _ in result.errors})}")
        if result.procedures_created:
            self.stdout.write(f"Thủ tục tạm đã tạo (cần bổ sung thông tin): {', '.join(result.procedures_created)}")
        for line, note in result.existing[:20]:
            self.stdout.write(f"Dòng {line}: {note}")
        if len(result.existing) > 20:
            self.stdout.write(f"... và {len(result.existing) - 20} hồ sơ đã có khác.")
        if result.errors:
            self.stderr.write(result.error_report())
            if not opts["skip_errors"]:
                raise CommandError("Tệp có lỗi nên không nhập hồ sơ nào; sửa các dòng trên hoặc chạy lại với "
                                   "--skip-errors để nhập các dòng đúng.")
