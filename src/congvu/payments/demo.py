"""Demo data of the payments app (`CONGVU_DEMO_STEPS` entry "congvu.payments.demo.load", after the
one-stop demo): the fees of Xã Ba Bích's 2023 dossiers are paid, online dossiers through the demo
gateway (signed callbacks, as in production), the others in cash at the desk, shortly after
receipt. One procedure requires paying before processing. Idempotent: paid dossiers are skipped."""

from __future__ import annotations

import datetime as dt

from congvu.onestop.models import Dossier, Procedure
from congvu.onestop.workflow import State
from congvu.org.models import Unit
from congvu.payments import services
from congvu.payments.models import FeePolicy
from congvu.payments.providers import get_provider

DESK_CODE = "51-535-21526-MC"  # Bộ phận một cửa xã Ba Bích (congvu.onestop.demo)
PAY_FIRST = "1.004884"  # bản sao trích lục hộ tịch: the fee is paid before the copy is made


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def load(stdout=None) -> None:
    desk = Unit.objects.filter(code=DESK_CODE).first()
    if desk is None:
        _say(stdout, "Thanh toán: chưa có dữ liệu một cửa mẫu, bỏ qua.\n")
        return
    proc = Procedure.objects.filter(code=PAY_FIRST).first()
    if proc is not None and not FeePolicy.objects.filter(procedure=proc).exists():
        services.fee_policy_set(procedure=proc, pay_before_processing=True)
    demo = get_provider("demo")
    todo = (Dossier.objects.filter(unit=desk, fee_amount__gt=0, payments__isnull=True)
            .exclude(state__in=[State.STOPPED, State.WITHDRAWN, State.REFUSED, State.GUIDANCE])
            .select_related("procedure", "unit").order_by("received_at", "pk"))
    online = cash = 0
    for d in todo:
        at = d.received_at + dt.timedelta(minutes=20)
        if d.channel in ("online", "phone"):
            payment, _ = services.payment_start(dossier=d, provider=demo.key, at=at)
            data = demo.build_callback(payment, status="succeeded", timestamp=int(at.timestamp()))
            services.payment_callback_receive(provider=demo.key, data=data, remote_addr="demo", now=at)
            online += 1
        else:
            services.payment_cash_record(dossier=d, at=at)
            cash += 1
    _say(stdout, f"Thanh toán: {online} giao dịch trực tuyến, {cash} nộp tiền mặt (Xã Ba Bích).\n")
