"""Production refuses the stand-ins, missing national credentials and the demo secrets."""

from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from congvu.common import production
from congvu.portal import conf

NATIONAL = {"class": "congvu.portal.providers.national.NationalPortalProvider", "endpoint": "https://dvc.example",
            "client_id": "tinh-51", "secret": "s3cr3t-from-vault"}
POP = {"class": "congvu.portal.population.national.NationalPopulationProvider", "endpoint": "https://dc.example",
       "client_id": "tinh-51", "secret": "another-secret"}


def _settings(**kw):
    base = dict(CONGVU_PRODUCTION=True, CONGVU_PORTAL_PROVIDER="national", CONGVU_PORTAL_PROVIDERS={"national": NATIONAL},
                CONGVU_POPULATION_PROVIDER="national", CONGVU_POPULATION_PROVIDERS={"national": POP})
    base.update(kw)
    return SimpleNamespace(**base)



def test_real_configuration_passes():
    assert [r for r, _ in production.refusals(_settings()) if r == "portal.providers"] == []


def test_stand_ins_missing_credentials_and_demo_secrets_refused():
    s = _settings(CONGVU_PORTAL_PROVIDER="local", CONGVU_PORTAL_PROVIDERS={
        "local": {"class": conf.LOCAL_PORTAL_CLASS, "endpoint": "http://127.0.0.1:8765", "token": conf.DEMO_PORTAL_TOKEN}})
    found = production.refusals(s)
    assert any(r == "portal.providers" and "giả lập" in m for r, m in found)
    assert any(r == "demo_secret" and "CONGVU_PORTAL_PROVIDERS" in m for r, m in found)
    s = _settings(CONGVU_PORTAL_PROVIDERS={"national": {**NATIONAL, "secret": ""}})
    assert any(r == "portal.providers" and "secret" in m for r, m in production.refusals(s))
    s = _settings(CONGVU_POPULATION_PROVIDER="local",
                  CONGVU_POPULATION_PROVIDERS={"local": {"class": conf.LOCAL_POPULATION_CLASS}})
    assert any(r == "portal.providers" and "CSDL dân cư" in m for r, m in production.refusals(s))


@pytest.mark.django_db
def test_sender_refuses_to_start_in_production(settings):
    settings.CONGVU_PRODUCTION = True
    settings.CONGVU_PORTAL_PROVIDER = "local"
    with pytest.raises(CommandError, match="portal.providers"):
        call_command("portal", "send")
