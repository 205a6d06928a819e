"""Shared fixtures of the end-to-end tests: Debian chromium, the fake SMS / Zalo gateway, isolation."""

import pytest
from django.core.cache import cache

from browser.conftest import chromium_browser  # noqa: F401  (the shared Debian chromium fixture)
from congvu.notifications.fakegateway import FakeGateway


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CONGVU_CITIZEN_RATELIMIT = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gateway():
    gw = FakeGateway().start()  # 127.0.0.1, free port
    yield gw
    gw.stop()


@pytest.fixture
def notify(settings, gateway):
    """SMS and Zalo ZNS pointed at the fake gateway; no quiet hours."""
    settings.CONGVU_NOTIFY = gateway.settings(quiet_hours="")
    return settings.CONGVU_NOTIFY
