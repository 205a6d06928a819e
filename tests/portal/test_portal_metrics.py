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


LOCAL = "congvu.portal.population.local.LocalPopulationProvider"


@pytest.fixture
def people(settings):
    from congvu.portal.population import get_population_provider

    settings.CONGVU_POPULATION_PROVIDER = "local"
    settings.CONGVU_POPULATION_PROVIDERS = {"local": {"class": LOCAL, "size": 400, "seed": "test"}}
    return list(get_population_provider().citizens().values())


def test_identity_rates(receive, district, people, procedure):
    from congvu.portal.services.identity import identity_check_dossier, population_lookup

    free = s.procedure_create(code="1.001193", name="Khai sinh", field=procedure.field, level="commune",
                              processing_time=2, online_level="partial")
    a, b = people[0], people[1]
    population_lookup(id_number=a["id_number"])
    population_lookup(id_number=b["id_number"])
    ds = [receive(applicant_name=a["full_name"], applicant_id_number=a["id_number"]),  # verified at receipt
          receive(applicant_name="Người Khác Hẳn", applicant_id_number=b["id_number"]),  # mismatch
          receive(procedure=free), receive(procedure=free)]
    assert IdentityCheck.objects.get(dossier=ds[1]).state == IdentityState.MISMATCH
    today = timezone.localdate()
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.identity_verified_rate"].value == 25.0
    assert v["portal.identity_procedures_rate"].value == 50.0  # 1 of the 2 procedures with dossiers
    assert v["portal.synced_rate"].value == 0.0
    # the name corrected, the recheck verifies it: counted once, on the day of receipt
    ds[1].applicant_name = b["full_name"]
    ds[1].save(update_fields=["applicant_name"])
    identity_check_dossier(dossier=ds[1])
    identity_check_dossier(dossier=ds[1])
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.identity_verified_rate"].value == 50.0
    live = s.counters_snapshot()
    s.onestop_rollups_rebuild()
    assert s.counters_snapshot() == live


def test_synced_counts_once_per_dossier(fakeportal, receive, district):
    """1.4 counts a dossier once, from the first acknowledgement of its receipt record; the rebuild
    from the markers gives the same counters."""
    from congvu.portal.models import SyncRecord

    ds = [receive() for _ in range(2)]
    portal_send()
    today = timezone.localdate()
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.synced_rate"].value == 100.0
    # a reconciliation requeues a record the portal lost: it was acknowledged, it still counts (once)
    SyncRecord.objects.filter(dossier=ds[0]).update(state="pending", acknowledged_at=None)
    portal_send()
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.synced"].value == 2
    live = s.counters_snapshot()
    assert sum(n for (_u, _d, name), n in live.items() if name == "portal_synced") == 2
    s.onestop_rollups_rebuild()
    assert s.counters_snapshot() == live


def test_no_dossiers_is_no_data(district):
    today = timezone.localdate()
    v = metric_values(names=NAMES, units=[district], date_from=today, date_to=today)[district.pk]
    assert v["portal.synced_rate"].value is None and v["portal.identity_procedures_rate"].value is None
    assert metric_get("portal.synced_rate").source.endswith("1.4")


def test_migration_backfills_the_markers(fakeportal, receive):
    """portal 0003 sets the first-acknowledgement markers of what the portal had already acknowledged,
    so the rebuild after the migration gives the figures the rows give."""
    from importlib import import_module

    from django.apps import apps

    from congvu.portal.models import SyncDossier

    migration = import_module("congvu.portal.migrations.0003_first_sync_share_verify")
    ds = [receive() for _ in range(3)]
    fakeportal.control(reject_next=1)
    portal_send()
    SyncDossier.objects.update(synced_at=None)
    migration.backfill(apps, None)
    assert SyncDossier.objects.filter(synced_at__isnull=False).count() == 2
    assert set(SyncDossier.objects.filter(synced_at__isnull=True).values_list("dossier_id", flat=True)) <= {d.pk for d in ds}
