"""The fake SMS / Zalo gateway on 127.0.0.1 (a free port), and settings pointing at it."""

from __future__ import annotations

import pytest

from congvu.notifications.fakegateway import FakeGateway


@pytest.fixture
def gateway():
    gw = FakeGateway().start()
    yield gw
    gw.stop()


@pytest.fixture
def notify(settings, gateway):
    """CONGVU_NOTIFY at the fake gateway; no quiet hours unless a test sets them."""
    settings.CONGVU_NOTIFY = gateway.settings(quiet_hours="")
    return settings.CONGVU_NOTIFY
