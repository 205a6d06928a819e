"""`congvu serve`: serve the web UI with waitress (a production-grade pure-Python WSGI server that
needs no compiler and runs the same on a developer's laptop and a province's server)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy giao diện web congvu (mặc định http://127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("CONGVU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("CONGVU_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--setup", action="store_true",
                            help="migrate, then load the demo province if the database has no unit yet")
        parser.add_argument("--with-worker", action="store_true", help="also run the notification worker")

    def handle(self, *args, **opts):
        if opts["setup"]:
            call_command("migrate", interactive=False, verbosity=0)
            from congvu.org.models import Unit

            if not Unit.objects.exists():
                self.stdout.write("Đang nạp dữ liệu tỉnh mẫu (chỉ lần đầu)...")
                call_command("demo")
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if opts["with_worker"] and "worker" in _commands():
            worker = subprocess.Popen([sys.executable, "-m", "congvu", "worker"])
        from waitress import serve

        from congvu.wsgi import application

        self.stdout.write(f"congvu: http://{opts['host']}:{opts['port']}/  (Ctrl+C để dừng)")
        try:
            serve(application, host=opts["host"], port=opts["port"], threads=opts["threads"])
        finally:
            if worker is not None:
                worker.terminate()


def _commands() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())
