"""Assessment round: self-assessment → submit → appraisal (accept / adjust, reason) → return → answer →
complete → publish (frozen with the version); refusals name the node; every step audited and
allowed only by the policy; deadlines in working days and reminders through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wf_fixtures import FRAMEWORK

from congvu.audit.models import AuditEntry
from congvu.common.errors import DomainError, NotAllowed
from congvu.common.uploads import docx_bytes
from congvu.indices import workflow as wf
from congvu.indices.models import Result
from congvu.indices.services import framework_load_text
from congvu.notifications.models import OutboxMessage

TODAY = dt.date(2024, 1, 2)


@pytest.fixture
def setup(district, commune, settings, tmp_path):
    from congvu.org.services import person_link_user
    from factories import make_person, make_unit, make_user_with_role

    settings.MEDIA_ROOT = tmp_path / "media"
    version = framework_load_text(text=FRAMEWORK)
    assessor = make_user_with_role("home_affairs_assessor", district, username="thamdinh")
    clerk = make_user_with_role("specialist", commune, username="chuyenvien")
    other = make_unit("Xã Bình Hải", kind="commune", parent=district)
    other_commune_clerk = make_user_with_role("specialist", other, username="nguoingoai")
    person_link_user(person=make_person(commune, "Trần Thị Tự", email="tu@example.vn"), user=clerk)
    a = wf.assessment_open(actor=assessor, unit=commune, version=version, period="2023", today=TODAY)
    return {"version": version, "assessor": assessor, "clerk": clerk, "outsider": other_commune_clerk, "a": a}


def _docx(name="ke-hoach.docx"):
    return SimpleUploadedFile(name, docx_bytes("Kế hoạch CCHC năm 2023"))


def _fill(s):
    a, clerk = s["a"], s["clerk"]
    wf.leaf_self_assess(actor=clerk, assessment=a, code="1.1", score="3,5", explanation="Ban hành ngày 05/01")
    wf.evidence_add_file(actor=clerk, assessment=a, code="1.1", upload=_docx())
    wf.leaf_self_assess(actor=clerk, assessment=a, code="1.2", score=6, explanation="Đủ 4 báo cáo")


def test_open_round_leaves_and_deadline(setup):
    a = setup["a"]
    assert a.state == "draft"
    assert sorted(a.leaves.values_list("node__code", flat=True)) == ["1.1", "1.2", "2.1", "2.2"]
    assert a.self_deadline == wf.deadline_after(TODAY, 10)
    assert a.self_deadline.weekday() < 5
    assert OutboxMessage.objects.filter(idempotency_key__startswith=f"index:{a.pk}:opened").exists()


def test_full_cycle_publishes_frozen_result(setup):
    a, clerk, assessor = setup["a"], setup["clerk"], setup["assessor"]
    _fill(setup)
    a = wf.assessment_submit(actor=clerk, assessment=a, today=TODAY)
    assert a.state == "submitted" and a.appraisal_deadline == wf.deadline_after(TODAY, 10)
    wf.leaf_appraise(actor=assessor, assessment=a, code="1.1", decision="adjust", score=3, reason="Ban hành muộn 3 ngày")
    # a return, and the unit answers with a better evidence
    a = wf.assessment_return(actor=assessor, assessment=a, note="Bổ sung báo cáo quý IV", today=TODAY)
    assert a.state == "returned" and a.answer_deadline == wf.deadline_after(TODAY, 5)
    wf.leaf_self_assess(actor=clerk, assessment=a, code="1.2", score=5.5, explanation="Báo cáo quý IV nộp muộn",
                        answer="Đã bổ sung báo cáo quý IV")
    a = wf.assessment_answer(actor=clerk, assessment=a, note="Đã bổ sung", today=TODAY)
    assert a.state == "answered"
    wf.leaf_appraise(actor=assessor, assessment=a, code="1.2", decision="accept", reason="Đúng giải trình")
    wf.leaf_appraise(actor=assessor, assessment=a, code="2.1", decision="adjust", score=4, reason="Kiểm tra 2 lĩnh vực")
    wf.leaf_appraise(actor=assessor, assessment=a, code="2.2", decision="adjust", survey_score=4.5, reason="ĐTXHH 2023")
    a = wf.assessment_complete(actor=assessor, assessment=a)
    result = wf.assessment_publish(actor=assessor, assessment=a)
    a.refresh_from_db()
    assert a.state == "published"
    assert result.status == "published" and result.version_id == setup["version"].pk
    assert float(result.points) == 3 + 5.5 + 4 + 4.5
    assert float(result.percent) == 85.0 and result.band == "Tốt"
    assert [n["code"] for n in result.nodes] == ["1", "2"]
    # frozen: nothing changes any more
    with pytest.raises(DomainError) as exc:
        wf.leaf_appraise(actor=assessor, assessment=a, code="2.1", decision="adjust", score=5, reason="sửa")
    assert exc.value.code == "assessment.published"
    with pytest.raises(DomainError):
        wf.leaf_self_assess(actor=clerk, assessment=a, code="1.1", score=4)
    assert Result.objects.get(pk=result.pk).points == result.points
    actions = list(AuditEntry.objects.filter(object_type="indices.assessment", object_id=str(a.pk))
                   .values_list("action", flat=True))
    for name in ("create", "transition:submit", "transition:return", "transition:answer", "transition:complete",
                 "transition:publish"):
        assert name in actions
    assert AuditEntry.objects.filter(object_type="indices.result", action="publish").exists()
    assert AuditEntry.objects.filter(object_type="indices.leafassessment", action="appraise").count() == 4


def test_score_above_max_refused_naming_node(setup):
    with pytest.raises(DomainError) as exc:
        wf.leaf_self_assess(actor=setup["clerk"], assessment=setup["a"], code="1.1", score=4.5)
    assert exc.value.code == "assessment.above_max" and "1.1" in exc.value.message
    assert setup["a"].leaves.get(node__code="1.1").self_score is None


def test_submit_refused_without_required_evidence(setup):
    a, clerk = setup["a"], setup["clerk"]
    wf.leaf_self_assess(actor=clerk, assessment=a, code="1.1", score=4)
    with pytest.raises(DomainError) as exc:
        wf.assessment_submit(actor=clerk, assessment=a)
    assert "Chỉ số 1.1: thiếu tài liệu kiểm chứng “Kế hoạch CCHC năm”" in exc.value.message
    assert "Chỉ số 1.2: chưa có điểm tự đánh giá" in exc.value.message
    a.refresh_from_db()
    assert a.state == "draft"


def test_appraisal_without_reason_refused(setup):
    a = setup["a"]
    _fill(setup)
    wf.assessment_submit(actor=setup["clerk"], assessment=a)
    with pytest.raises(DomainError) as exc:
        wf.leaf_appraise(actor=setup["assessor"], assessment=a, code="1.2", decision="accept", reason="  ")
    assert exc.value.code == "appraisal.reason_required" and "1.2" in exc.value.message
    with pytest.raises(DomainError) as exc:
        wf.assessment_complete(actor=setup["assessor"], assessment=a)
    assert "Chỉ số 2.1: chưa thẩm định" in exc.value.message


def test_policy_roles_and_scope(setup):
    a = setup["a"]
    _fill(setup)
    with pytest.raises(NotAllowed):  # the unit cannot appraise itself
        wf.assessment_submit(actor=setup["assessor"], assessment=a)
    with pytest.raises(NotAllowed):
        wf.leaf_self_assess(actor=setup["outsider"], assessment=a, code="1.2", score=1)
    wf.assessment_submit(actor=setup["clerk"], assessment=a)
    with pytest.raises(NotAllowed):
        wf.leaf_appraise(actor=setup["clerk"], assessment=a, code="1.2", decision="accept", reason="tự duyệt")


def test_evidence_file_checked_and_record_link(setup, district):
    a, clerk = setup["a"], setup["clerk"]
    bad = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError) as exc:
        wf.evidence_add_file(actor=clerk, assessment=a, code="1.1", upload=bad)
    assert "1.1" in exc.value.message
    assert not a.leaves.get(node__code="1.1").evidence.exists()
    with pytest.raises(DomainError) as exc:
        wf.evidence_add_link(actor=clerk, assessment=a, code="1.1", record_type="directives.notice", record_id=999)
    assert "1.1" in exc.value.message
    ev = wf.evidence_add_link(actor=clerk, assessment=a, code="1.1", url="https://ubnd.example.vn/kh-cchc-2023")
    assert ev.requirement == "Kế hoạch CCHC năm"


def test_reminders_through_outbox_idempotent(setup):
    a = setup["a"]
    cal_days = [wf.deadline_after(TODAY, n) for n in range(1, 12)]
    three_before = next(d for d in cal_days if wf._cal().working_days_between(d, a.self_deadline) == 3)
    n1 = wf.assessment_reminders(today=three_before)
    n2 = wf.assessment_reminders(today=three_before)
    assert n1 >= 1 and n2 >= 1
    keys = OutboxMessage.objects.filter(idempotency_key__contains=":draft:").values_list("idempotency_key", flat=True)
    assert len(keys) == len(set(keys)) == n1
    assert wf.assessment_reminders(today=a.self_deadline + dt.timedelta(days=7)) >= 1
    assert OutboxMessage.objects.filter(idempotency_key__endswith=":over:email:tu@example.vn").count() == 1
