"""The demo step sends the demo dossiers' records through the stand-in (two rejected), idempotently."""

import io

import pytest

from congvu.onestop.demo import load as onestop_demo
from congvu.portal import demo
from congvu.portal.models import SyncRecord, SyncState


@pytest.mark.django_db
def test_demo_sends_everything_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.CONGVU_POPULATION_PROVIDERS = {"local": {"class": "congvu.portal.population.local.LocalPopulationProvider",
                                                      "size": 200, "seed": "demo"}}
    onestop_demo()
    total = SyncRecord.objects.count()
    assert total > 50
    out = io.StringIO()
    demo.load(stdout=out)
    assert SyncRecord.objects.filter(state=SyncState.REJECTED).count() == 2
    assert SyncRecord.objects.filter(state=SyncState.ACKNOWLEDGED).count() + 2 + SyncRecord.objects.filter(
        state=SyncState.PENDING).count() == total
    assert "số định danh để thử" in out.getvalue() and (tmp_path / "fakeportal.sqlite3").exists()
    demo.load(stdout=out)
    assert SyncRecord.objects.filter(state=SyncState.REJECTED).count() == 2
