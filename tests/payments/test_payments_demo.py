"""The payments demo step pays the fees of Xã Ba Bích's 2023 dossiers through the services; the
live figures then show the online payments, equal to a recomputation from rows."""

import datetime as dt

from congvu.onestop.demo import load as onestop_demo
from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows
from congvu.org.models import Unit
from congvu.payments.demo import DESK_CODE
from congvu.payments.demo import load as payments_demo
from congvu.payments.models import EReceipt, Payment


def test_demo_payments_join_the_2023_figures(db):
    onestop_demo()
    payments_demo()
    payments_demo()  # idempotent
    desk = Unit.objects.get(code=DESK_CODE)
    online = Payment.objects.filter(dossier__unit=desk, method="online", state="succeeded")
    assert online.exists() and Payment.objects.filter(method="cash").exists()
    assert EReceipt.objects.filter(series="BL-2023").count() == Payment.objects.count()
    period = {"unit": desk, "date_from": dt.date(2023, 1, 1), "date_to": dt.date(2023, 12, 31)}
    stats = onestop_stats(**period)
    assert stats["payment_count"] == online.count()
    assert stats["payment_amount"] == sum(p.amount for p in online)
    rows = onestop_stats_from_rows(**period)
    assert (rows["payment_count"], rows["payment_amount"]) == (stats["payment_count"], stats["payment_amount"])
