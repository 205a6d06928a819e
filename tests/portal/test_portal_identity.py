"""Identity at receipt against the (synthetic, local) population database."""

import pytest

from congvu.audit.models import AuditEntry
from congvu.portal.models import IdentityCheck, IdentityState, SyncRecord
from congvu.portal.population import get_population_provider
from congvu.portal.population.idnumber import id_number_check
from congvu.portal.services.identity import identity_recheck, names_match, population_lookup

pytestmark = pytest.mark.django_db

LOCAL = "congvu.portal.population.local.LocalPopulationProvider"


@pytest.fixture
def population(settings):
    settings.CONGVU_POPULATION_PROVIDER = "local"
    settings.CONGVU_POPULATION_PROVIDERS = {"local": {"class": LOCAL, "size": 400, "seed": "test"}}
    return settings


@pytest.fixture
def citizen(population):
    provider = get_population_provider()
    return next(iter(provider.citizens().values()))


def test_lookup_fills_and_verifies_at_receipt(citizen, receive):
    out = population_lookup(id_number=citizen["id_number"])
    assert out.status == "found" and out.citizen.full_name == citizen["full_name"]
    assert out.as_dict()["birth_date_display"] == citizen["birth_date"].strftime("%d/%m/%Y")
    assert AuditEntry.objects.filter(action="portal:population_lookup").exists()
    d = receive(applicant_name=citizen["full_name"].upper(), applicant_id_number=citizen["id_number"])
    row = IdentityCheck.objects.get(dossier=d)
    assert row.state == IdentityState.VERIFIED and row.permanent_address == citizen["permanent_address"]
    assert SyncRecord.objects.get(dossier=d).payload["DuocXacThucCSDLDanCu"] == 1


def test_mismatch_is_shown_not_accepted(citizen, receive):
    population_lookup(id_number=citizen["id_number"])
    d = receive(applicant_name="Người Khác Hẳn", applicant_id_number=citizen["id_number"])
    row = IdentityCheck.objects.get(dossier=d)
    assert row.state == IdentityState.MISMATCH and row.differences[0]["population"] == citizen["full_name"]


def test_unknown_and_malformed_numbers(population, receive):
    assert population_lookup(id_number="0510 9001").status == "invalid"
    assert "12 chữ số" in population_lookup(id_number="0510 9001").message
    bad = population_lookup(id_number="999090012345")
    assert bad.status == "invalid" and "999" in bad.message
    out = population_lookup(id_number="051090000000")
    assert out.status == "unknown"
    d = receive(applicant_id_number="051090000000")
    assert IdentityCheck.objects.get(dossier=d).state == IdentityState.UNKNOWN
    d2 = receive(applicant_id_number="12ab")
    assert IdentityCheck.objects.get(dossier=d2).state == IdentityState.INVALID
    d3 = receive()
    assert IdentityCheck.objects.get(dossier=d3).state == IdentityState.NOT_PROVIDED


@pytest.mark.parametrize("failure", [{"down": True}, {"delay": 0.3, "timeout": 0.05}])
def test_provider_down_never_blocks_receipt(population, citizen, receive, failure):
    population.CONGVU_POPULATION_PROVIDERS = {"local": {"class": LOCAL, "size": 400, "seed": "test", **failure}}
    out = population_lookup(id_number=citizen["id_number"])
    assert out.status == "unavailable" and "Vẫn tiếp nhận" in out.message
    d = receive(applicant_name=citizen["full_name"], applicant_id_number=citizen["id_number"])
    assert IdentityCheck.objects.get(dossier=d).state == IdentityState.UNVERIFIED
    assert identity_recheck()["verified"] == 0
    population.CONGVU_POPULATION_PROVIDERS = {"local": {"class": LOCAL, "size": 400, "seed": "test"}}
    assert identity_recheck() == {"checked": 1, "verified": 1, "still_unverified": 0}
    assert IdentityCheck.objects.get(dossier=d).state == IdentityState.VERIFIED


def test_id_format_and_names():
    ok = id_number_check("051 190 012 345")
    assert ok.ok and ok.female and ok.birth_year == 1990 and ok.province == "Quảng Ngãi"
    assert id_number_check("051290012345").birth_year == 2090  # 2 → 21st century
    assert names_match("trần  thị lan", "Trần Thị Lan") and not names_match("Tran Thi Lan", "Trần Thị Lan")


def test_old_lookups_are_purged_daily(citizen):
    import datetime as dt

    from django.utils import timezone

    from congvu.portal.models import PopulationLookup
    from congvu.portal.services.identity import population_lookups_purge

    population_lookup(id_number=citizen["id_number"])
    assert population_lookups_purge(today=timezone.localdate()) == 0
    PopulationLookup.objects.update(looked_up_at=timezone.now() - dt.timedelta(days=2))
    assert population_lookups_purge(today=timezone.localdate()) == 1 and not PopulationLookup.objects.exists()
