"""Demo data of the portal app (`CONGVU_DEMO_STEPS` entry "congvu.portal.demo.load", after the one-stop,
payments and citizen demos): the demo dossiers' sync records really go through the sender to the
stand-in portal — served for the occasion on a local port, storing in `var/fakeportal.sqlite3`, the
file `congvu fakeportal` uses by default — which rejects two of them with a reason, so the desk has
something to correct. Prints a few synthetic citizen ID numbers to try at the desk. Idempotent: what
was acknowledged is not sent again."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from congvu.portal import conf
from congvu.portal.models import SyncRecord, SyncState

REJECT_REASON = "Mã TTHC chưa được công bố trên CSDL quốc gia về TTHC (giả lập)"


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def load(stdout=None) -> None:
    from congvu.portal.fakeportal import FakePortal, make_handler
    from congvu.portal.providers.local import LocalPortalProvider
    from congvu.portal.services import portal_send

    pending = SyncRecord.objects.filter(state=SyncState.PENDING).count()
    if pending:
        store = Path(getattr(settings, "VAR_DIR", Path("var"))) / "fakeportal.sqlite3"
        store.parent.mkdir(parents=True, exist_ok=True)
        from http.server import ThreadingHTTPServer

        token = conf.get("CONGVU_PORTAL_PROVIDERS").get("local", {}).get("token") or conf.DEMO_PORTAL_TOKEN
        first = not SyncRecord.objects.exclude(state=SyncState.PENDING).exists()
        portal = FakePortal(str(store), token, reject_next=2 if first else 0, reject_reason=REJECT_REASON)
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(portal))
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        try:
            provider = LocalPortalProvider(key="local", options={"endpoint": f"http://127.0.0.1:{server.server_port}",
                                                                 "token": token})
            report = portal_send(provider=provider, batch_size=500, ignore_backoff=True)
            provider.close()
        finally:
            server.shutdown()
            server.server_close()
        _say(stdout, f"Cổng DVCQG (giả lập): gửi {report.sent} bản ghi đồng bộ, xác nhận {report.acknowledged}, "
                     f"bị từ chối {report.rejected} (sửa và gửi lại tại /portal/).\n")
    else:
        _say(stdout, "Cổng DVCQG (giả lập): không còn bản ghi chờ gửi.\n")
    try:
        from congvu.portal.population import get_population_provider

        provider = get_population_provider()
        sample = list(getattr(provider, "citizens", dict)().values())[:3]
    except Exception:  # noqa: BLE001 - a national provider has no list to show
        sample = []
    if sample:
        _say(stdout, "CSDL dân cư (giả lập): số định danh để thử tại quầy: "
                     + "; ".join(f"{c['id_number']} ({c['full_name']})" for c in sample) + ".\n")
