"""`congvu api_token create USERNAME [--name NAME]` prints a new token once;
`congvu api_token list [USERNAME]` and `congvu api_token revoke ID` manage them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congvu.api.models import ApiToken


class Command(BaseCommand):
    help = "Quản lý mã truy cập API (Authorization: Bearer <token>)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo mã mới cho USERNAME; mã chỉ được in ra một lần.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="Tên gợi nhớ, ví dụ tên hệ thống tích hợp.")
        listing = sub.add_parser("list", help="Liệt kê mã (không in mã).")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="Thu hồi mã theo ID.")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user_model = get_user_model()
            try:
                user = user_model.objects.get(**{user_model.USERNAME_FIELD: options["username"]})
            except user_model.DoesNotExist as exc:
                raise CommandError(f"Không có tài khoản {options['username']}.") from exc
            row, plaintext = ApiToken.issue(user=user, name=options["name"])
            self.stderr.write(f"Token #{row.pk} cho {user.get_username()} (lưu lại ngay, sẽ không hiển thị lại):")
            self.stdout.write(plaintext)
        elif action == "list":
            qs = ApiToken.objects.select_related("user").order_by("pk")
            if options.get("username"):
                qs = qs.filter(user__username=options["username"])
            for row in qs:
                used = row.last_used.isoformat(timespec="seconds") if row.last_used else "-"
                self.stdout.write(f"{row.pk}\t{row.user.get_username()}\t{row.name}\t"
                                  f"{row.created.isoformat(timespec='seconds')}\t{used}")
        else:
            deleted, _ = ApiToken.objects.filter(pk=options["id"]).delete()
            if not deleted:
                raise CommandError(f"Không có mã #{options['id']}.")
            self.stdout.write(f"Đã thu hồi mã #{options['id']}.")
