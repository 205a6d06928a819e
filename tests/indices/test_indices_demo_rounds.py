"""The demo rounds: a published 2023 PAR round for the communes of Ba Tơ with Xã Ba Bích 10/19, the
remediation plan as tasks, 2024 rounds in progress; running it twice adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest

from congvu.directives.models import Task
from congvu.indices import board, demo_rounds
from congvu.indices.models import Assessment, Result
from congvu.onestop.demo import load as onestop_demo
from congvu.org.models import Unit


@pytest.mark.django_db
def test_indices_demo_rounds_ba_bich_ten_of_nineteen():
    from factories import make_unit

    onestop_demo()
    ba_bich = Unit.objects.get(code=demo_rounds.BA_BICH)
    for i in range(18):
        make_unit(f"Xã Ba Thử {i + 1}", kind="commune", parent=ba_bich.parent)
    out = StringIO()
    result = demo_rounds.load(stdout=out)
    assert result["ba_bich_rank"] == "10/19", out.getvalue()
    version = demo_rounds.demo_version(None)
    assert Result.objects.filter(version=version, period="2023", status="published").count() == 19
    sheet = board.unit_sheet(version, ba_bich, "2023")
    assert sheet.published and (sheet.rank, sheet.of) == (10, 19)
    # its live leaves come from its 376 dossiers of 2023 (digitisation 48.4 %)
    leaves = {leaf["code"]: leaf for leaf in sheet.leaves()}
    assert leaves["6.2"]["rate"] == 48.4 and leaves["6.2"]["origin"] == "live"
    assert leaves["6.3"]["points"] == 2.0  # appraised down from 4 (website, seed 004)
    plan_tasks = Task.objects.filter(notice__title__startswith="Kế hoạch khắc phục")
    assert plan_tasks.count() >= 3
    assert any("được số hóa" in t.action for t in plan_tasks)
    states = set(Assessment.objects.filter(period="2024").values_list("state", flat=True))
    assert {"draft", "submitted", "returned", "appraised"} <= states
    assert demo_rounds.load(stdout=StringIO())["rounds"] == 0  # idempotent
    assert Result.objects.filter(period="2023").count() == 19
