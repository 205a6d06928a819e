"""`congvu import_divisions --province 51`: the province and its communes/wards from `vietnam-provinces`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError
from congvu.org.importers import divisions_package_info, import_divisions
from congvu.org.management.commands.import_units import actor_from, report


class Command(BaseCommand):
    help = ("Tạo/cập nhật tỉnh và các xã, phường, đặc khu (danh mục 2 cấp từ 01/07/2025) theo gói vietnam-provinces. "
            "Mã đơn vị: '<mã tỉnh>' và '<mã tỉnh>-<mã xã>'.")

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="mã tỉnh, ví dụ 51 (Quảng Ngãi)")
        parser.add_argument("--as", dest="username", help="tài khoản ghi vào nhật ký (mặc định: system)")

    def handle(self, *args, **opts):
        self.stdout.write(f"Nguồn: {divisions_package_info()}")
        try:
            result = import_divisions(province_code=opts["province"], actor=actor_from(opts["username"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        report(self, result, skip_errors=False, what="Đơn vị hành chính")
