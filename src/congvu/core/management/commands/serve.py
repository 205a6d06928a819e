"""`congvu serve`: serve the web UI with waitress (see `congvu.core.server` for why waitress and how
proxies are trusted). SIGTERM and SIGINT stop it gracefully: waitress closes its sockets and finishes,
then the worker child (`--with-worker`) gets SIGTERM, is waited for, and is killed if it lingers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

WORKER_STOP_SECONDS = 15


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the worker gets SIGTERM if serve dies without cleaning up (kill -9)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = "Chạy giao diện web congvu (mặc định http://127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("CONGVU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("CONGVU_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("CONGVU_THREADS", "8")))
        parser.add_argument("--setup", action="store_true",
                            help="migrate, then load the demo province if the database has no unit yet")
        parser.add_argument("--with-worker", action="store_true", help="also run the notification worker")

    def handle(self, *args, **opts):
        from congvu.core.startup import production_refusals

        production_refusals(raise_error=True)
        if opts["setup"]:
            call_command("migrate", interactive=False, verbosity=0)
            from congvu.org.models import Unit

            if not Unit.objects.exists():
                self.stdout.write("Đang nạp dữ liệu tỉnh mẫu (chỉ lần đầu)...")
                call_command("demo")
            call_command("collectstatic", interactive=False, verbosity=0)
        from congvu.core.server import make_server
        from congvu.wsgi import application

        server = make_server(application, host=opts["host"], port=opts["port"], threads=opts["threads"])
        worker = None
        if opts["with_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "congvu", "worker"],
                                      preexec_fn=_die_with_parent if sys.platform == "linux" else None)

        def stop(signum, frame):
            raise KeyboardInterrupt  # waitress's loop closes its sockets on it

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"congvu: http://{opts['host']}:{opts['port']}/  (Ctrl+C để dừng)")
        self.stdout.flush()
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            server.close()
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=WORKER_STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
            self.stdout.write("congvu: đã dừng.")
