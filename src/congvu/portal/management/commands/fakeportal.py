"""`congvu fakeportal [--port 8765] [--store var/fakeportal.sqlite3] [--mode ok|fail|slow] [--ack ...]`:
the stand-in national portal (see `congvu.portal.fakeportal`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from congvu.portal import fakeportal


class Command(BaseCommand):
    help = "Cổng DVCQG giả lập: nhận bản ghi đồng bộ, kiểm tra khóa chống gửi trùng, trả lời tra cứu."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        for action in fakeportal.build_parser()._actions:
            if action.dest != "help":
                parser._add_action(action)

    def handle(self, *args, **o):
        fakeportal.serve(o["host"], o["port"], o["store"], o["token"], mode=o["mode"], delay=o["delay"], ack=o["ack"],
                         reject_next=o["reject_next"], reject_reason=o["reject_reason"])
