"""Leaves 1.4 / 4.4 / 4.5 from what the portal acknowledged and the population database confirmed."""

import pytest
from django.utils import timezone

from congvu.metrics.registry import metric_get
from congvu.metrics.selectors import metric_values
from congvu.onestop import services as s
from congvu.portal.models import IdentityCheck, IdentityState
from congvu.portal.services import portal_send

pytestmark = pytest.mark.django_db

NAMES = ["portal.synced", "portal.synced_rate", "portal.shared_to_citizen_store_rate",
         "portal.identity_verified_rate", "portal.identity_procedures_rate"]


def test_synced_rate_counts_acknowledged_receipts(fakeportal, receive, district):
    ds = [receive() for _ in range(4)]
    fakeportal.control(reject_next=1)
    portal_send()
    today = timezone.localdate()
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert (v["portal.synced"].value, v["portal.synced_rate"].value) == (3, 75.0)
    assert fakeportal.stats()["records"] == 3  # = the stand-in's acknowledged count
    assert v["portal.shared_to_citizen_store_rate"].value == 0
    # the e-result link reaches the portal with the result: counted once acknowledged
    d = ds[1]
    s.dossier_transfer(dossier=d)
    s.dossier_record_result(dossier=d, e_result=True)
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.shared_to_citizen_store_rate"].value == 0  # not acknowledged yet
    portal_send()
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.shared_to_citizen_store_rate"].value == 25.0


def test_identity_rates(receive, district):
    ds = [receive() for _ in range(4)]
    IdentityCheck.objects.filter(dossier=ds[0]).update(state=IdentityState.VERIFIED)
    IdentityCheck.objects.filter(dossier=ds[1]).update(state=IdentityState.MISMATCH)
    today = timezone.localdate()
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.identity_verified_rate"].value == 25.0
    assert v["portal.identity_procedures_rate"].value == 100.0
    assert v["portal.synced_rate"].value == 0.0


def test_no_dossiers_is_no_data(district):
    today = timezone.localdate()
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.synced_rate"].value is None and v["portal.identity_procedures_rate"].value is None
    assert metric_get("portal.synced_rate").source.endswith("1.4")
