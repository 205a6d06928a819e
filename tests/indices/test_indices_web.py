"""Index screens through the Django client: ranking (chart, heat map, exports), a unit's page, the
self-assessment and appraisal screens, points within reach → tasks; scope and roles enforced."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wf_fixtures import FRAMEWORK

from congvu.common.uploads import docx_bytes
from congvu.directives.models import Task
from congvu.indices import workflow as wf
from congvu.indices.models import Assessment, Result


@pytest.fixture
def world(district, settings, tmp_path):
    from congvu.indices.services import framework_load_text
    from factories import make_unit, make_user_with_role

    settings.MEDIA_ROOT = tmp_path / "media"
    version = framework_load_text(text=FRAMEWORK)
    communes = [make_unit(f"Xã Ba {n}", kind="commune", parent=district) for n in ("An", "Bích")]
    assessor = make_user_with_role("home_affairs_assessor", district, username="thamdinh")
    clerk = make_user_with_role("specialist", communes[1], username="chuyenvien")
    leader = make_user_with_role("unit_leader", communes[1], username="lanhdaoxa")
    stranger = make_user_with_role("specialist", make_unit("Huyện khác", kind="district"), username="khac")
    rounds = [wf.assessment_open(actor=assessor, unit=u, version=version, period="2023") for u in communes]
    return {"version": version, "communes": communes, "assessor": assessor, "clerk": clerk, "leader": leader,
            "stranger": stranger, "rounds": rounds, "district": district}


def _client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_ranking_page_chart_heatmap_and_exports(world):
    a_an = world["rounds"][0]
    a_an.leaves.filter(node__code="1.2").update(self_score=5)
    type(a_an).objects.filter(pk=a_an.pk).update(state="submitted")  # submitted self-scores count
    c = _client(world["assessor"])
    html = c.get(f"/indices/?framework=par-test&period=2023&level=commune&parent={world['district'].pk}").content.decode()
    assert 'id="ranking-table"' in html and 'id="heatmap"' in html and "<svg" in html
    assert "Xã Ba An" in html and "<td>1/1</td>" in html  # Ba Bích has no score: not ranked
    assert "không có số liệu" in html  # Ba Bích has nothing yet: never 0 %
    resp = c.get(f"/indices/ranking.xlsx?framework=par-test&period=2023&level=commune&parent={world['district'].pk}")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(resp.content)).active
    assert any(row[1] == "Xã Ba An" for row in ws.iter_rows(values_only=True))
    assert c.get(f"/indices/ranking.docx?framework=par-test&period=2023&parent={world['district'].pk}").status_code == 200
    assert c.get("/indices/ranking.exe?framework=par-test&period=2023").status_code == 404


def test_unit_page_scope(world):
    bich = world["communes"][1]
    assert _client(world["clerk"]).get(f"/indices/units/{bich.pk}/?framework=par-test&period=2023").status_code == 200
    assert _client(world["stranger"]).get(f"/indices/units/{bich.pk}/?framework=par-test&period=2023").status_code == 404
    resp = _client(world["clerk"]).get(f"/indices/units/{bich.pk}/sheet.pdf?framework=par-test&period=2023")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")


def test_self_assessment_and_appraisal_screens(world):
    a = world["rounds"][1]
    clerk, assessor = _client(world["clerk"]), _client(world["assessor"])
    url = f"/indices/assessments/{a.pk}/"
    page = clerk.get(url).content.decode()
    assert "self-form" in page and "appraise-form" not in page
    # above max: refused with the node code, nothing saved
    resp = clerk.post(url, {"op": "self_assess", "code": "1.1", "score": "9"}, follow=True)
    assert "Chỉ số 1.1" in resp.content.decode()
    assert a.leaves.get(node__code="1.1").self_score is None
    clerk.post(url, {"op": "self_assess", "code": "1.1", "score": "4", "explanation": "Ban hành đúng hạn"})
    clerk.post(url, {"op": "self_assess", "code": "1.2", "score": "6"})
    resp = clerk.post(url, {"op": "transition:submit"}, follow=True)
    assert "thiếu tài liệu kiểm chứng" in resp.content.decode()
    clerk.post(url, {"op": "evidence_file", "code": "1.1",
                     "file": SimpleUploadedFile("kh.docx", docx_bytes("Kế hoạch CCHC 2023"))})
    clerk.post(url, {"op": "transition:submit"})
    a.refresh_from_db()
    assert a.state == "submitted"
    page = assessor.get(url).content.decode()
    assert "appraise-form" in page and "self-form" not in page
    ev = a.leaves.get(node__code="1.1").evidence.get()
    assert assessor.get(f"/indices/evidence/{ev.pk}/").status_code == 200
    assert _client(world["stranger"]).get(f"/indices/evidence/{ev.pk}/").status_code == 404
    for code, data in (("1.1", {"decision": "accept"}), ("1.2", {"decision": "adjust", "score": "5"}),
                       ("2.1", {"decision": "adjust", "score": "3"}), ("2.2", {"survey_score": "4"})):
        assessor.post(url, {"op": "appraise", "code": code, "reason": "Đã kiểm tra hồ sơ", **data})
    assessor.post(url, {"op": "transition:complete"})
    assessor.post(url, {"op": "transition:publish"})
    a.refresh_from_db()
    assert a.state == "published"
    assert float(Result.objects.get(assessment=a).points) == 16
    page = clerk.get(url).content.decode()
    assert 'id="published-note"' in page and "self-form" not in page
    # the clerk cannot open rounds
    assert clerk.post("/indices/assessments/", {"framework": "par-test", "period": "2024",
                                                "unit": [world["communes"][1].pk]}).status_code == 403
    assert Assessment.objects.filter(period="2024").count() == 0


def test_points_within_reach_to_tasks(world):
    bich = world["communes"][1]
    a = world["rounds"][1]
    a.leaves.filter(node__code="1.2").update(self_score=2)
    type(a).objects.filter(pk=a.pk).update(state="submitted")
    c = _client(world["leader"])
    page = c.get(f"/indices/units/{bich.pk}/?framework=par-test&period=2023").content.decode()
    assert 'id="reach-form"' in page and 'data-code="1.2"' in page
    resp = c.post(f"/indices/units/{bich.pk}/remediation/",
                  {"framework": "par-test", "period": "2023", "code": ["1.2"], "unit_1.2": bich.pk, "days_1.2": "10"})
    assert resp.status_code == 302 and "/directives/notices/" in resp["Location"]
    task = Task.objects.get()
    assert task.unit == bich and "Khắc phục chỉ số 1.2" in task.action and task.deadline is not None
    # a clerk may view the page but not plan
    page = _client(world["clerk"]).get(f"/indices/units/{bich.pk}/?framework=par-test&period=2023").content.decode()
    assert 'id="reach-submit"' not in page


def test_nav_entry(world):
    html = _client(world["clerk"]).get("/").content.decode()
    assert 'data-module="indices"' in html


def test_screens_in_english(world):
    c = _client(world["assessor"])
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = c.get(f"/indices/?framework=par-test&period=2023&level=commune&parent={world['district'].pk}").content.decode()
    assert "Index ranking" in html and "Heat map" in html


def test_commune_official_lands_on_own_unit_page(world):
    resp = _client(world["clerk"]).get("/indices/?framework=par-test&period=2023")
    assert resp.status_code == 302 and f"/indices/units/{world['communes'][1].pk}/" in resp["Location"]
