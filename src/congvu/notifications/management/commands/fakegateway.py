"""`congvu fakegateway [--port 8025]`: run the fake SMS / Zalo gateway (demos, manual tests).

Point the platform at it with CONGVU_SMS_ENDPOINT=http://127.0.0.1:8025/sms and
CONGVU_ZALO_ENDPOINT=http://127.0.0.1:8025/zalo (see docs/notifications.md).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from congvu.notifications.fakegateway import FakeGateway


class Command(BaseCommand):
    help = "Chạy cổng SMS / Zalo giả lập (để thử nghiệm, trình diễn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--mode", default="ok", choices=["ok", "fail", "error", "slow", "drop"])

    def handle(self, *args, host: str, port: int, mode: str, **options):
        gw = FakeGateway(host=host, port=port)
        gw.set_mode(mode)
        self.stdout.write(f"Cổng giả lập: {gw.url}/sms  {gw.url}/zalo  (điều khiển: POST {gw.url}/control, "
                          f"xem: GET {gw.url}/messages); Ctrl+C để dừng")
        try:
            gw.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            gw.server.server_close()
