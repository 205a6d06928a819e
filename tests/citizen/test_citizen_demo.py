"""The demo step runs after the onestop demo, fills the desk's queue and the figures, and is idempotent."""

import datetime as dt

import pytest

from congvu.citizen import demo
from congvu.citizen.models import OnlineSubmission, Rating
from congvu.citizen.selectors import satisfaction_stats, submissions_pending
from congvu.onestop.demo import load as onestop_demo
from congvu.org.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_after_onestop_demo():
    onestop_demo()
    first = demo.load()
    assert first["submissions"] >= 1 and first["ratings"] > 0
    desk = Unit.objects.get(code=demo.DESK_CODE)
    assert submissions_pending(desk).count() == first["submissions"]
    st = satisfaction_stats([desk.pk], dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert st["rating_count"] == first["ratings"] and 0 < st["satisfaction_rate"] <= 100
    assert demo.load() == {"submissions": 0, "ratings": 0, "complaints": 0}
    assert OnlineSubmission.objects.count() == first["submissions"]
    assert Rating.objects.filter(used_at__isnull=False).count() == first["ratings"]
