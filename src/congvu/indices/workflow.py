"""Writes of the assessment round: open, self-assess, evidence, submit, appraise, return, answer,
complete, publish; deadlines in working days and reminders through the notification outbox.

Every write is keyword-only, transactional, checked by `congvu.org.policy` against the round's
unit, and writes its audit entry. A refusal names the node code and changes nothing. A published
round is frozen (its `Result` keeps the framework version and the node scores as published).
The state table is `congvu.indices.states`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.common import uploads
from congvu.common.errors import Conflict, DomainError
from congvu.common.text import clean
from congvu.indices.models import (
    AppraisalDecision,
    Assessment,
    Evidence,
    EvidenceKind,
    FrameworkVersion,
    LeafAssessment,
    Method,
    Node,
)
from congvu.indices.states import (
    APPRAISABLE,
    ASSESSOR_TURN,
    STATE_LABELS,
    UNIT_EDITABLE,
    UNIT_TURN,
    State,
    transition_for,
)
from congvu.org.models import Person, RoleGrant, Unit
from congvu.org.policy import require
from congvu.org.roles import ROLE_ACTIONS, Action, Role

DATA = Path(__file__).resolve().parent / "data"
EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "doc", "xls", "jpg", "png")
ASSESSED_METHODS = (Method.SELF_ASSESSMENT, Method.APPRAISAL, Method.SURVEY)


@cache
def workflow_config() -> dict[str, Any]:
    """Deadlines, reminders and citable record kinds (`data/workflow/rounds.yaml`)."""
    return yaml.safe_load((DATA / "workflow" / "rounds.yaml").read_text(encoding="utf-8"))


def _cal():
    from congvu.workdays.selectors import work_calendar

    return work_calendar()


def deadline_after(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the working-day calendar of congvu.workdays)."""
    return _cal().add_working_days(start, int(days))


def _dec(value: Any, *, code: str, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        out = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError("assessment.bad_number", f"Chỉ số {code}: {field} “{value}” không phải là số.",
                          details={"node": code}) from None
    if not out.is_finite():
        raise DomainError("assessment.bad_number", f"Chỉ số {code}: {field} không hợp lệ.", details={"node": code})
    return out


def _check_points(value: Decimal | None, node: Node, field: str) -> None:
    if value is None:
        return
    if value < 0:
        raise DomainError("assessment.negative", f"Chỉ số {node.code}: {field} không được âm.",
                          details={"node": node.code})
    if value > node.max_points:
        raise DomainError("assessment.above_max",
                          f"Chỉ số {node.code}: {field} {value.normalize():f} vượt điểm tối đa "
                          f"{node.max_points.normalize():f}.", message_en=f"Node {node.code}: score above its maximum.",
                          details={"node": node.code, "max_points": float(node.max_points)})


def _locked(assessment: Assessment, expected_version: int | None = None) -> Assessment:
    current = (Assessment.objects.select_for_update(of=("self",)).select_related("unit", "version__framework")
               .get(pk=assessment.pk))
    if expected_version is not None and current.row_version != int(expected_version):
        raise Conflict("assessment.stale", "Kỳ đánh giá vừa được người khác cập nhật; hãy tải lại trang rồi làm lại.",
                       details={"current_version": current.row_version})
    if current.state == State.PUBLISHED:
        raise DomainError("assessment.published", "Kết quả đã công bố và được khóa; không thể thay đổi.",
                          message_en="The result is published and frozen.")
    return current


def _bump(assessment: Assessment, *fields: str) -> None:
    assessment.row_version += 1
    assessment.save(update_fields=[*fields, "row_version", "updated_at"])


def _leaf(assessment: Assessment, code: str) -> LeafAssessment:
    leaf = (LeafAssessment.objects.select_for_update(of=("self",)).select_related("node")
            .filter(assessment=assessment, node__code=code).first())
    if leaf is None:
        raise DomainError("assessment.unknown_node",
                          f"Chỉ số {code} không thuộc kỳ đánh giá này (hoặc được tính tự động từ số liệu).",
                          details={"node": code})
    return leaf


# -- open a round -------------------------------------------------------------------------------------

def assessment_open(*, actor: Any, unit: Unit, version: FrameworkVersion, period: str,
                    today: dt.date | None = None, self_deadline: dt.date | None = None) -> Assessment:
    """Open (or return the existing) round of `unit` for `version` and `period`: one leaf row per leaf
    that is not live, the self-assessment deadline N working days ahead; the unit is notified."""
    from congvu.indices.scoring.periods import PeriodInvalid, period_normalise

    require(actor, Action.INDEX_APPRAISE, unit)
    try:
        period = period_normalise(period)
    except PeriodInvalid as exc:
        raise DomainError("assessment.period", str(exc)) from None
    today = today or timezone.localdate()
    with transaction.atomic():
        existing = Assessment.objects.filter(unit=unit, version=version, period=period).first()
        if existing is not None:
            return existing
        leaves = list(Node.objects.filter(version=version, method__in=ASSESSED_METHODS).order_by("order"))
        if not leaves:
            raise DomainError("assessment.no_leaves",
                              f"Bộ chỉ số {version} không có chỉ số nào cần tự đánh giá hoặc thẩm định.")
        deadline = self_deadline or deadline_after(today, workflow_config()["self_assessment_days"])
        assessment = Assessment.objects.create(unit=unit, version=version, period=period, state=State.DRAFT,
                                               self_deadline=deadline)
        LeafAssessment.objects.bulk_create([LeafAssessment(assessment=assessment, node=n) for n in leaves])
        audit_record(action="create", obj=assessment, after=model_snapshot(assessment), actor=actor,
                     note=f"{len(leaves)} chỉ số cần đánh giá")
        _notify_unit(assessment, event="opened")
    return assessment


# -- the unit's side ----------------------------------------------------------------------------------

def leaf_self_assess(*, actor: Any, assessment: Assessment, code: str, score: Any, explanation: str = "",
                     answer: str | None = None, expected_version: int | None = None) -> LeafAssessment:
    """The unit's score and explanation for one self-assessed leaf (draft or returned rounds)."""
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        require(actor, Action.INDEX_SELF_ASSESS, current)
        if current.state not in UNIT_EDITABLE:
            raise DomainError("assessment.not_editable",
                              f"Chỉ số {code}: không thể sửa điểm tự đánh giá khi kỳ đánh giá đang "
                              f"«{STATE_LABELS[State(current.state)].lower()}».", details={"node": code})
        leaf = _leaf(current, code)
        if leaf.node.method != Method.SELF_ASSESSMENT:
            raise DomainError("assessment.not_self_assessed",
                              f"Chỉ số {code} do cơ quan thẩm định chấm (hoặc lấy từ điều tra), đơn vị không tự chấm.",
                              details={"node": code})
        value = _dec(score, code=code, field="điểm tự đánh giá")
        _check_points(value, leaf.node, "điểm tự đánh giá")
        before = model_snapshot(leaf)
        leaf.self_score = value
        leaf.explanation = clean(explanation or "")[:5000]
        if answer is not None:
            leaf.answer = clean(answer)[:5000]
        leaf.save()
        _bump(current)
        audit_record(action="update", obj=leaf, before=before, after=model_snapshot(leaf), actor=actor,
                     note=f"tự đánh giá chỉ số {code}")
    return leaf


def _evidence_leaf(actor: Any, assessment: Assessment, code: str) -> tuple[Assessment, LeafAssessment]:
    current = _locked(assessment)
    require(actor, Action.INDEX_SELF_ASSESS, current)
    if current.state not in UNIT_EDITABLE:
        raise DomainError("assessment.not_editable",
                          f"Chỉ số {code}: chỉ thêm, bớt tài liệu kiểm chứng khi đơn vị đang tự đánh giá "
                          "hoặc giải trình.", details={"node": code})
    return current, _leaf(current, code)


def evidence_add_file(*, actor: Any, assessment: Assessment, code: str, upload: Any, label: str = "",
                      requirement: str = "") -> Evidence:
    """Attach a file (checked by the one upload validator: type by content, size, macros, zip bombs)."""
    size = uploads.upload_size(upload)
    limits = uploads.limits_from(settings)
    try:
        checked = uploads.validate(getattr(upload, "name", "") or "", size, upload, allowed=EVIDENCE_KINDS, limits=limits)
    except DomainError as exc:
        raise DomainError(exc.code, f"Chỉ số {code}: {exc.message}", details={"node": code}) from None
    if hasattr(upload, "seek"):
        upload.seek(0)
    with transaction.atomic():
        current, leaf = _evidence_leaf(actor, assessment, code)
        name = clean(label or getattr(upload, "name", "") or "tài liệu")[:255]
        ev = Evidence(leaf=leaf, kind=EvidenceKind.FILE, label=name, requirement=_requirement(leaf, requirement),
                      uploaded_by=_user(actor))
        ev.file.save(f"{leaf.node.code}-{checked.kind or 'file'}.{checked.kind or 'bin'}", upload, save=False)
        ev.save()
        _bump(current)
        audit_record(action="create", obj=ev, after=model_snapshot(ev), actor=actor,
                     note=f"tài liệu kiểm chứng chỉ số {code}")
    return ev


def evidence_add_link(*, actor: Any, assessment: Assessment, code: str, url: str = "", label: str = "",
                      record_type: str = "", record_id: Any = None, requirement: str = "") -> Evidence:
    """Cite a web address, or a congvu record (`record_type` "directives.notice" / "directives.task" + id)
    that the actor can see."""
    record_type = (record_type or "").strip()
    with transaction.atomic():
        current, leaf = _evidence_leaf(actor, assessment, code)
        if record_type:
            label = label or _record_label(actor, record_type, record_id, code)
            ev = Evidence(leaf=leaf, kind=EvidenceKind.RECORD, label=clean(label)[:255], record_type=record_type,
                          record_id=str(record_id), requirement=_requirement(leaf, requirement),
                          uploaded_by=_user(actor))
        else:
            url = (url or "").strip()
            if not url.startswith(("https://", "http://")) or len(url) > 500 or any(c.isspace() for c in url):
                raise DomainError("evidence.url", f"Chỉ số {code}: đường dẫn phải bắt đầu bằng https:// hoặc http://.",
                                  details={"node": code})
            ev = Evidence(leaf=leaf, kind=EvidenceKind.LINK, label=clean(label or url)[:255], url=url,
                          requirement=_requirement(leaf, requirement), uploaded_by=_user(actor))
        ev.full_clean(exclude=["file", "leaf", "uploaded_by"])
        ev.save()
        _bump(current)
        audit_record(action="create", obj=ev, after=model_snapshot(ev), actor=actor,
                     note=f"tài liệu kiểm chứng chỉ số {code}")
    return ev


def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    with transaction.atomic():
        current, leaf = _evidence_leaf(actor, evidence.leaf.assessment, evidence.leaf.node.code)
        before = model_snapshot(evidence)
        pk = evidence.pk
        if evidence.file:
            evidence.file.delete(save=False)
        evidence.delete()
        _bump(current)
        audit_record(action="delete", object_type="indices.evidence", object_id=pk, before=before, actor=actor,
                     note=f"bỏ tài liệu kiểm chứng chỉ số {leaf.node.code}")


def _requirement(leaf: LeafAssessment, requirement: str) -> str:
    required = [str(r) for r in (leaf.node.evidence_required or [])]
    requirement = clean(requirement or "")
    if requirement and requirement not in required:
        raise DomainError("evidence.requirement",
                          f"Chỉ số {leaf.node.code}: “{requirement}” không phải là tài liệu kiểm chứng chỉ số này yêu cầu.",
                          details={"node": leaf.node.code})
    if not requirement and len(required) == 1:
        return required[0]
    return requirement


def record_kinds() -> dict[str, str]:
    return dict(workflow_config().get("record_kinds") or {})


def _record_label(actor: Any, record_type: str, record_id: Any, code: str) -> str:
    """The label of a congvu record the actor can see, or a refusal naming the node."""
    if record_type not in record_kinds():
        raise DomainError("evidence.record_type", f"Chỉ số {code}: không nhận loại hồ sơ “{record_type}”.",
                          details={"node": code})
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        raise DomainError("evidence.record", f"Chỉ số {code}: mã hồ sơ “{record_id}” không hợp lệ.",
                          details={"node": code}) from None
    from congvu.directives import selectors as directives

    if record_type == "directives.notice":
        obj = directives.notices_visible(user=actor).filter(pk=pk).first()
        label = f"{obj.label}: {obj.title}" if obj else ""
    else:
        obj = directives.tasks_visible(user=actor).filter(pk=pk).first()
        label = f"Nhiệm vụ #{pk}: {obj.action}" if obj else ""
    if obj is None:
        raise DomainError("evidence.record", f"Chỉ số {code}: không tìm thấy {record_kinds()[record_type].lower()} "
                          f"số {pk} (hoặc bạn không được xem).", details={"node": code})
    return label[:255]


def missing_evidence(leaf: LeafAssessment) -> list[str]:
    """The required evidence of a self-assessed leaf that no attached evidence meets."""
    required = [str(r) for r in (leaf.node.evidence_required or [])]
    if not required:
        return []
    items = list(leaf.evidence.all())
    met = {e.requirement for e in items if e.requirement}
    if len(required) == 1 and items:
        return []
    return [r for r in required if r not in met]


def submission_problems(assessment: Assessment) -> list[str]:
    """What keeps the round from being submitted, one message per leaf, naming its code."""
    problems: list[str] = []
    for leaf in (LeafAssessment.objects.filter(assessment=assessment, node__method=Method.SELF_ASSESSMENT)
                 .select_related("node").prefetch_related("evidence").order_by("node__order")):
        if leaf.self_score is None:
            problems.append(f"Chỉ số {leaf.node.code}: chưa có điểm tự đánh giá.")
            continue
        for req in missing_evidence(leaf):
            problems.append(f"Chỉ số {leaf.node.code}: thiếu tài liệu kiểm chứng “{req}”.")
    return problems


def assessment_submit(*, actor: Any, assessment: Assessment, expected_version: int | None = None,
                      today: dt.date | None = None) -> Assessment:
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        require(actor, Action.INDEX_SELF_ASSESS, current)
        transition = transition_for("submit", current.state)
        problems = submission_problems(current)
        if problems:
            raise DomainError("assessment.incomplete", " ".join(problems),
                              message_en="The self-assessment is incomplete.", details={"problems": problems})
        return _move(current, transition, actor=actor, today=today)


def assessment_answer(*, actor: Any, assessment: Assessment, note: str, expected_version: int | None = None,
                      today: dt.date | None = None) -> Assessment:
    """The unit's answer to a return (its leaf edits are already saved); goes back to the assessor."""
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        require(actor, Action.INDEX_SELF_ASSESS, current)
        transition = transition_for("answer", current.state)
        problems = submission_problems(current)
        if problems:
            raise DomainError("assessment.incomplete", " ".join(problems), details={"problems": problems})
        return _move(current, transition, actor=actor, note=note, today=today)


# -- the assessor's side ------------------------------------------------------------------------------

def leaf_appraise(*, actor: Any, assessment: Assessment, code: str, decision: str, reason: str,
                  score: Any = None, survey_score: Any = None, expected_version: int | None = None) -> LeafAssessment:
    """Accept the self-score or adjust it (appraisal leaves: give the score; survey leaves: the survey
    score). A reason is always required."""
    reason = clean(reason or "")
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        require(actor, Action.INDEX_APPRAISE, current)
        if current.state not in APPRAISABLE:
            raise DomainError("assessment.not_appraisable",
                              f"Chỉ số {code}: chỉ thẩm định khi đơn vị đã gửi (hoặc đã giải trình); kỳ đánh giá "
                              f"đang «{STATE_LABELS[State(current.state)].lower()}».", details={"node": code})
        leaf = _leaf(current, code)
        if not reason:
            raise DomainError("appraisal.reason_required", f"Chỉ số {code}: cần ghi lý do thẩm định.",
                              message_en=f"Node {code}: a reason is required.", details={"node": code})
        method = leaf.node.method
        if method != Method.SURVEY and decision not in AppraisalDecision.values:
            raise DomainError("appraisal.decision", f"Chỉ số {code}: kết luận thẩm định phải là giữ nguyên hoặc điều chỉnh.",
                              details={"node": code})
        before = model_snapshot(leaf)
        if method == Method.SURVEY:
            value = _dec(survey_score if survey_score is not None else score, code=code, field="điểm điều tra")
            if value is None:
                raise DomainError("appraisal.score_required", f"Chỉ số {code}: cần nhập điểm điều tra xã hội học.",
                                  details={"node": code})
            _check_points(value, leaf.node, "điểm điều tra")
            leaf.survey_score = value
            leaf.appraised_score = value
            leaf.decision = AppraisalDecision.ADJUST
        elif decision == AppraisalDecision.ACCEPT:
            if method != Method.SELF_ASSESSMENT or leaf.self_score is None:
                raise DomainError("appraisal.nothing_to_accept",
                                  f"Chỉ số {code}: không có điểm tự đánh giá để giữ nguyên; hãy nhập điểm thẩm định.",
                                  details={"node": code})
            leaf.appraised_score = leaf.self_score
            leaf.decision = AppraisalDecision.ACCEPT
        else:
            value = _dec(score, code=code, field="điểm thẩm định")
            if value is None:
                raise DomainError("appraisal.score_required", f"Chỉ số {code}: cần nhập điểm thẩm định.",
                                  details={"node": code})
            _check_points(value, leaf.node, "điểm thẩm định")
            leaf.appraised_score = value
            leaf.decision = AppraisalDecision.ADJUST
        leaf.reason = reason[:5000]
        leaf.save()
        if current.assessor_id is None and _user(actor) is not None:
            current.assessor = _user(actor)
            _bump(current, "assessor")
        else:
            _bump(current)
        audit_record(action="appraise", obj=leaf, before=before, after=model_snapshot(leaf), actor=actor,
                     note=f"thẩm định chỉ số {code}: {reason}")
    return leaf


def appraisal_problems(assessment: Assessment) -> list[str]:
    return [f"Chỉ số {code}: chưa thẩm định." for code in
            LeafAssessment.objects.filter(assessment=assessment, decision="").order_by("node__order")
            .values_list("node__code", flat=True)]


def assessment_return(*, actor: Any, assessment: Assessment, note: str, expected_version: int | None = None,
                      today: dt.date | None = None) -> Assessment:
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        require(actor, Action.INDEX_APPRAISE, current)
        return _move(current, transition_for("return", current.state), actor=actor, note=note, today=today)


def assessment_complete(*, actor: Any, assessment: Assessment, expected_version: int | None = None,
                        today: dt.date | None = None) -> Assessment:
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        require(actor, Action.INDEX_APPRAISE, current)
        transition = transition_for("complete", current.state)
        problems = appraisal_problems(current)
        if problems:
            raise DomainError("assessment.not_appraised", " ".join(problems), details={"problems": problems})
        return _move(current, transition, actor=actor, today=today)


def assessment_reopen(*, actor: Any, assessment: Assessment, note: str, expected_version: int | None = None) -> Assessment:
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        require(actor, Action.INDEX_APPRAISE, current)
        return _move(current, transition_for("reopen", current.state), actor=actor, note=note)


def assessment_publish(*, actor: Any, assessment: Assessment, expected_version: int | None = None,
                       now: dt.datetime | None = None) -> Any:
    """Freeze the round: score the framework version with the appraised leaves (and the live ones
    from the metrics of the period), store the `Result` with that version, mark it published."""
    from congvu.indices.models import Result, ResultStatus

    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(assessment, expected_version)
        require(actor, Action.INDEX_APPRAISE, current)
        transition = transition_for("publish", current.state)
        problems = appraisal_problems(current)
        if problems:
            raise DomainError("assessment.not_appraised", " ".join(problems), details={"problems": problems})
        sheet = assessment_sheet(current)
        existing = Result.objects.select_for_update().filter(unit=current.unit, version=current.version,
                                                             period=current.period).first()
        if existing is not None and existing.status == ResultStatus.PUBLISHED:
            raise DomainError("result.published", f"Kết quả {current.version} kỳ {current.period} của "
                              f"{current.unit.name} đã công bố; không thể công bố lại.")
        result = existing or Result(unit=current.unit, version=current.version, period=current.period)
        before = model_snapshot(result) if existing else None
        result.status = ResultStatus.PUBLISHED
        result.points = None if sheet.points is None else Decimal(str(round(sheet.points, 3)))
        result.max_points = Decimal(str(round(sheet.max_points, 3)))
        result.percent = None if sheet.percent is None else Decimal(str(round(sheet.percent, 3)))
        result.band = sheet.band or ""
        result.nodes = [n.as_dict(detail=True) for n in sheet.nodes]
        result.assessment = current
        result.published_at = now
        result.published_by = _user(actor)
        result.save()
        audit_record(action="publish", obj=result, before=before, after=model_snapshot(result), actor=actor,
                     note=f"công bố kết quả {current.version} kỳ {current.period}")
        current.published_at = now
        _move(current, transition, actor=actor, extra_fields=("published_at",))
    return result


# -- scoring the round --------------------------------------------------------------------------------

def leaf_inputs(assessment: Assessment) -> dict[str, Any]:
    """{leaf code: LeafInput} of the round's assessed leaves: the appraised score when there is one,
    else the self-score (a draft view); leaves without either are left out ("no data")."""
    from congvu.indices.scoring.rollup import LeafInput

    out: dict[str, Any] = {}
    for leaf in LeafAssessment.objects.filter(assessment=assessment).select_related("node"):
        if leaf.appraised_score is not None:
            origin = "survey" if leaf.node.method == Method.SURVEY else "appraised"
            out[leaf.node.code] = LeafInput(points=float(leaf.appraised_score), origin=origin)
        elif leaf.self_score is not None:
            out[leaf.node.code] = LeafInput(points=float(leaf.self_score), origin="self")
    return out


def assessment_sheet(assessment: Assessment) -> Any:
    """The score sheet of the round: assessed leaves from its rows, live leaves from the metrics."""
    from congvu.indices.scoring.rollup import score_framework
    from congvu.indices.selectors import version_definition

    definition = version_definition(version=assessment.version)
    inputs = _live_inputs(definition, assessment.unit, assessment.period)
    inputs.update(leaf_inputs(assessment))
    return score_framework(definition, inputs)


def _live_inputs(definition: Any, unit: Unit, period: str) -> dict[str, Any]:
    """{leaf code: LeafInput} of the live leaves, from the metrics catalogue over the period."""
    from congvu.indices.scoring.periods import period_bounds
    from congvu.indices.scoring.rollup import LeafInput
    from congvu.metrics.registry import metric_exists
    from congvu.metrics.selectors import metric_values

    leaves = [n for n in definition.leaves() if n.method == Method.LIVE and n.metric and metric_exists(n.metric)]
    if not leaves:
        return {}
    start, end = period_bounds(period)
    values = metric_values(names=[n.metric for n in leaves], units=[unit], date_from=start, date_to=end)[unit.pk]
    out: dict[str, Any] = {}
    for n in leaves:
        v = values.get(n.metric)
        if v is not None and v.value is not None:
            out[n.code] = LeafInput(rate=v.value, numerator=v.numerator, denominator=v.denominator, origin="live")
    return out


# -- moving, deadlines, notifications -----------------------------------------------------------------

def _move(current: Assessment, transition: Any, *, actor: Any, note: str = "", today: dt.date | None = None,
          extra_fields: tuple[str, ...] = ()) -> Assessment:
    note = clean(note or "")
    if transition.note_required and not note:
        raise DomainError("assessment.note_required", f"Cần ghi nội dung khi «{transition.label.lower()}».")
    today = today or timezone.localdate()
    now = timezone.now()
    before = model_snapshot(current)
    old = current.state
    current.state = transition.target
    fields = ["state", *extra_fields]
    conf = workflow_config()
    if transition.name == "submit":
        current.submitted_at, current.submitted_by = now, _user(actor)
        current.appraisal_deadline = deadline_after(today, conf["appraisal_days"])
        fields += ["submitted_at", "submitted_by", "appraisal_deadline"]
    elif transition.name == "return":
        current.returned_at, current.return_note = now, note
        current.answer_deadline = deadline_after(today, conf["answer_days"])
        fields += ["returned_at", "return_note", "answer_deadline"]
    elif transition.name == "answer":
        current.answered_at = now
        current.appraisal_deadline = deadline_after(today, conf["appraisal_days"])
        fields += ["answered_at", "appraisal_deadline"]
    elif transition.name == "complete":
        current.appraised_at = now
        if _user(actor) is not None:
            current.assessor = _user(actor)
            fields.append("assessor")
        fields.append("appraised_at")
    _bump(current, *fields)
    audit_record(action=f"transition:{transition.name}", obj=current, before=before, after=model_snapshot(current),
                 actor=actor, note=note or f"{STATE_LABELS[State(old)]} → {STATE_LABELS[State(current.state)]}")
    if transition.target in UNIT_TURN or transition.target == State.PUBLISHED:
        _notify_unit(current, event=transition.name, note=note)
    if transition.target in (State.SUBMITTED, State.ANSWERED):
        _notify_assessors(current, event=transition.name, note=note)
    return current


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _url(assessment: Assessment) -> str:
    return f"{settings.CONGVU_SITE_URL.rstrip('/')}/indices/assessments/{assessment.pk}/"


EVENT_SUBJECTS = {
    "opened": "Mở kỳ tự đánh giá {framework} {period}: hạn {deadline}",
    "submit": "{unit} đã gửi tự đánh giá {framework} {period}",
    "return": "Trả lại tự đánh giá {framework} {period}: giải trình trước {deadline}",
    "answer": "{unit} đã giải trình {framework} {period}",
    "publish": "Công bố kết quả {framework} {period}",
    "reminder": "Nhắc hạn {framework} {period}: {deadline}",
    "overdue": "Quá hạn {framework} {period} (hạn {deadline})",
}


def _context(assessment: Assessment, event: str, note: str = "", deadline: dt.date | None = None) -> dict[str, Any]:
    if deadline is None:
        deadline = (assessment.answer_deadline if assessment.state == State.RETURNED else
                    assessment.self_deadline if assessment.state == State.DRAFT else assessment.appraisal_deadline)
    ctx = {"framework": assessment.version.framework.name, "period": assessment.period, "unit": assessment.unit.name,
           "deadline": f"{deadline:%d/%m/%Y}" if deadline else "không ghi hạn", "url": _url(assessment),
           "state": STATE_LABELS[State(assessment.state)], "note": note, "event": event}
    ctx["subject"] = EVENT_SUBJECTS[event].format(**ctx)
    ctx["body"] = (f"{ctx['subject']}.\nĐơn vị: {ctx['unit']}\nTrạng thái: {ctx['state']}\n"
                   + (f"Nội dung: {note}\n" if note else "") + f"Xem tại: {ctx['url']}")
    return ctx


def _send(people: list[Any], *, key: str, ctx: dict[str, Any]) -> int:
    from congvu.notifications.models import Channel
    from congvu.notifications.services import notification_enqueue

    sent = 0
    for person in people:
        user = getattr(person, "user", None) if isinstance(person, Person) else person
        email = person.email if isinstance(person, Person) else getattr(person, "email", "")
        if email:
            notification_enqueue(idempotency_key=f"{key}:email:{email}", channel=Channel.EMAIL, recipient=email,
                                 template_key="index.assessment", context=ctx, recipient_user=user)
            sent += 1
        if user is not None:
            notification_enqueue(idempotency_key=f"{key}:in_app:{user.pk}", channel=Channel.IN_APP,
                                 recipient=user.get_username(), template_key="index.assessment", context=ctx,
                                 recipient_user=user)
            sent += 1
    return sent


def unit_people(unit: Unit) -> list[Person]:
    """Who answers for a unit's self-assessment: its active officials, and those of its own bodies
    (UBND, offices) when the unit is a commune or district."""
    people = list(Person.objects.filter(unit__path__startswith=unit.path, active=True).select_related("user")
                  .order_by("-is_head", "pk")[:20])
    return people


def assessors_of(unit: Unit) -> list[Any]:
    """Users holding a role that may appraise indices, on the unit or one of its ancestors."""
    roles = [r.value for r in Role if Action.INDEX_APPRAISE in ROLE_ACTIONS[r] and r is not Role.SYSTEM_ADMIN]
    ancestors = _ancestor_paths(unit.path)
    grants = (RoleGrant.objects.filter(role__in=roles, unit__path__in=ancestors).select_related("user")
              .order_by("user_id"))
    seen, users = set(), []
    for g in grants:
        if g.user_id not in seen and g.user.is_active:
            seen.add(g.user_id)
            users.append(g.user)
    return users


def _ancestor_paths(path: str) -> list[str]:
    """"/1/5/9/" → ["/1/", "/1/5/", "/1/5/9/"] (the materialised paths of a unit and its ancestors)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def _notify_unit(assessment: Assessment, *, event: str, note: str = "") -> int:
    return _send(unit_people(assessment.unit), key=f"index:{assessment.pk}:{event}:{assessment.row_version}",
                 ctx=_context(assessment, event, note))


def _notify_assessors(assessment: Assessment, *, event: str, note: str = "") -> int:
    return _send(assessors_of(assessment.unit), key=f"index:{assessment.pk}:{event}:{assessment.row_version}",
                 ctx=_context(assessment, event, note))


def assessment_reminders(*, today: dt.date | None = None) -> int:
    """Daily job: remind whoever holds an open round N working days before its deadline (and once
    when it is past). Idempotent per round, deadline and day count."""
    conf = workflow_config()
    today = today or timezone.localdate()
    cal = _cal()
    before = sorted({int(n) for n in conf.get("remind_before") or []})
    sent = 0
    qs = (Assessment.objects.exclude(state=State.PUBLISHED).select_related("unit", "version__framework"))
    for a in qs:
        if a.state in UNIT_TURN:
            deadline = a.answer_deadline if a.state == State.RETURNED else a.self_deadline
            people: list[Any] = unit_people(a.unit)
        elif a.state in ASSESSOR_TURN:
            deadline = a.appraisal_deadline
            people = assessors_of(a.unit)
        else:
            continue
        if deadline is None:
            continue
        left = cal.working_days_between(today, deadline) if today <= deadline else -1
        if today > deadline:
            if not conf.get("remind_overdue", True):
                continue
            event, tag = "overdue", "over"
        elif left in before:
            event, tag = "reminder", str(left)
        else:
            continue
        key = f"index:{a.pk}:{a.state}:{deadline:%Y%m%d}:{tag}"
        sent += _send(people, key=key, ctx=_context(a, event, deadline=deadline))
    return sent
