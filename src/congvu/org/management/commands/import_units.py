"""`congvu import_units FILE [--skip-errors] [--lineage]`: units (or, with --lineage, unit lineage) from CSV/XLSX."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError
from congvu.org.importers import ImportResult, import_lineage, import_units


def actor_from(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có tài khoản {username}.")
    return user


def report(command: BaseCommand, result: ImportResult, *, skip_errors: bool, what: str) -> None:
    command.stdout.write(f"{what}: tạo mới {result.created}, cập nhật {result.updated}, bỏ qua {result.skipped}, "
                         f"lỗi {len(result.errors)}")
    if result.errors:
        command.stderr.write(result.error_report())
        if not skip_errors:
            raise CommandError("Tệp có lỗi nên không nhập dòng nào; sửa các dòng trên hoặc chạy lại với --skip-errors "
                               "để nhập các dòng đúng.")


class Command(BaseCommand):
    help = ("Nhập danh mục đơn vị từ CSV (UTF-8) hoặc XLSX. Cột: code, admin_code, name, kind, parent_code, "
            "valid_from, valid_to, aliases. Với --lineage: predecessor_code, successor_code, effective_on, kind, source.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--skip-errors", action="store_true", help="nhập các dòng đúng, báo các dòng sai")
        parser.add_argument("--lineage", action="store_true", help="tệp là quan hệ kế thừa (sáp nhập, chia tách...)")
        parser.add_argument("--as", dest="username", help="tài khoản ghi vào nhật ký (mặc định: system)")

    def handle(self, *args, **opts):
        importer = import_lineage if opts["lineage"] else import_units
        try:
            result = importer(opts["file"], actor=actor_from(opts["username"]), skip_errors=opts["skip_errors"])
        except (DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        report(self, result, skip_errors=opts["skip_errors"], what="Kế thừa đơn vị" if opts["lineage"] else "Đơn vị")
