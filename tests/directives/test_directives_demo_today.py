"""The demo on a fresh clone (no ../shared): the shipped notices load, each under the unit that issued
it; the Bình Sơn people work in today's commune and still reach their district's 2023-2024 notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from congvu.directives import demo as ddemo
from congvu.directives.models import Extension, Notice
from congvu.directives.selectors import tasks_due_soon, tasks_visible
from congvu.org.demo import demo_load
from congvu.org.models import Person
from congvu.org.policy import decide
from congvu.org.roles import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("CONGVU_SEEDS_DIR", raising=False)
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONGVU_DEMO_STEPS = ["congvu.workdays.demo.load", "congvu.directives.demo.load"]
    return demo_load()


def test_demo_notices_ship_with_the_project():
    folder = ddemo.seeds_dir()
    assert folder == ddemo.DEMO_DIR and "shared" not in str(folder)
    listed = ddemo.manifest(folder)
    assert len(listed) == 5 and all((folder / name).is_file() for name in listed)
    assert all(item["source"] and item["issuer"] for item in listed.values())


def test_fresh_demo_in_todays_units(demo):
    issuers = sorted(Notice.objects.values_list("issuer_unit__code", flat=True))
    assert issuers == sorted(["51-533-UBND", "51-VP", "51-524-UBND", "51-524-UBND", "51-535-21526-UBND"])
    User = get_user_model()
    today = dt.date.today()
    # The demo people hold posts in units that exist today and keep their history.
    for username in ("lanhdao", "vanthu", "chuyenvien", "motcua", "thamdinh"):
        person = Person.objects.select_related("unit").get(user__username=username)
        assert person.unit.exists_on(today), (username, person.unit)
        assert person.positions.count() >= 2
    lanhdao, vanthu = User.objects.get(username="lanhdao"), User.objects.get(username="vanthu")
    binh_son = Notice.objects.filter(issuer_unit__code="51-524-UBND")
    assert binh_son.count() == 2
    for notice in binh_son:
        assert decide(lanhdao, Action.DIRECTIVE_VIEW, notice.issuer_unit)
        for task in notice.tasks.all():
            assert decide(lanhdao, Action.DIRECTIVE_VIEW, task)
    assert tasks_visible(user=vanthu).filter(notice__in=binh_son).count() == sum(n.tasks.count() for n in binh_son)
    # Not the Mộ Đức notice: another district's records stay out of scope.
    mo_duc = Notice.objects.get(issuer_unit__code="51-533-UBND")
    assert not decide(lanhdao, Action.DIRECTIVE_VIEW, mo_duc.issuer_unit)
    # Live work relative to today: due soon, and extension requests waiting for a decision.
    assert tasks_due_soon(qs=tasks_visible(user=lanhdao)).exists()
    assert Extension.objects.filter(status="pending", task__notice__in=binh_son).exists()


def test_leader_opens_binh_son_tasks(demo, client):
    lanhdao = get_user_model().objects.get(username="lanhdao")
    client.force_login(lanhdao)
    task = Notice.objects.filter(issuer_unit__code="51-524-UBND").first().tasks.first()
    assert client.get(f"/directives/tasks/{task.pk}/").status_code == 200
    html = client.get("/").content.decode()
    assert "Chỉ đạo, nhiệm vụ" in html and "Sắp đến hạn" in html
