"""The demo step imports seeds, confirms their tasks and moves some along; a second run adds nothing."""

from __future__ import annotations

import io

import pytest

from congvu.directives import demo, importing
from congvu.directives.models import Notice, Task

pytestmark = pytest.mark.django_db

RESULT = {"doc_type": "TB", "number": "01/TB-UBND", "title": "Kết luận", "date": "2024-01-10",
          "tasks": [{"assignee": "Phòng Nội vụ", "action": f"Nhiệm vụ {i}", "deadline": "2024-02-29",
                     "deadline_text": "trong tháng 02/2024", "source_text": "", "start": None, "end": None}
                    for i in range(7)], "reports": []}


def test_demo_load(district, tmp_path, monkeypatch, settings):
    from factories import make_unit

    settings.MEDIA_ROOT = tmp_path / "media"
    make_unit("Phòng Nội vụ", parent=district)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("THÔNG BÁO A", encoding="utf-8")
    (seeds / "b.txt").write_text("THÔNG BÁO B", encoding="utf-8")
    monkeypatch.setenv("CONGVU_SEEDS_DIR", str(seeds))
    def fake(*, path=None, text=None):  # two different notices (the same one twice would be refused)
        body = open(path, encoding="utf-8").read()
        return body, {**RESULT, "number": f"0{len(body)}{body[-1]}/TB-UBND"}

    monkeypatch.setattr(importing, "run_extractor", fake)
    out = io.StringIO()
    assert demo.load(stdout=out) == 2
    assert Notice.objects.count() == 2 and Task.objects.count() == 14
    states = set(Task.objects.values_list("state", flat=True))
    assert {"assigned", "in_progress", "reported_done", "accepted"} <= states
    assert Task.objects.filter(extensions__status="approved").exists()
    assert demo.load(stdout=out) == 0


def test_demo_without_seeds(monkeypatch, tmp_path, db):
    monkeypatch.setenv("CONGVU_SEEDS_DIR", str(tmp_path / "missing"))
    out = io.StringIO()
    assert demo.load(stdout=out) == 0 and "bỏ qua" in out.getvalue()
