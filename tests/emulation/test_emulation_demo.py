"""The demo step: a year's cycle in huyện Bình Sơn; a second run adds nothing."""

from __future__ import annotations

import io

import pytest

from congvu.emulation import demo
from congvu.emulation.models import Candidate, Initiative, Movement, PersonYearRecord, Pledge, Round
from congvu.emulation.selectors import movement_registration

pytestmark = pytest.mark.django_db


def test_demo_cycle(settings):
    from congvu.org.demo import demo_load

    settings.CONGVU_DEMO_STEPS = []
    demo_load(stdout=io.StringIO(), password="demo-pass-123")
    counts = demo.load(stdout=io.StringIO())
    assert counts["ratings"] > 10 and counts["movements"] == 1 and counts["rounds"] == 1
    movement = Movement.objects.get()
    status = movement_registration(movement=movement)
    assert status.registered and status.missing and status.signed
    assert Initiative.objects.filter(status="recognised").count() == 1
    rnd = Round.objects.get()
    assert Candidate.objects.filter(round=rnd, verdict="eligible").exists()
    assert Candidate.objects.filter(round=rnd, nominated=True).exists()
    assert rnd.state == "council"
    before = (PersonYearRecord.objects.count(), Pledge.objects.count(), Candidate.objects.count())
    again = demo.load(stdout=io.StringIO())
    assert sum(again.values()) == 0
    assert before == (PersonYearRecord.objects.count(), Pledge.objects.count(), Candidate.objects.count())
