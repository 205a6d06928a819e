"""Demo step (`congvu demo`, after `congvu.indices.demo.load`): the PAR INDEX rounds of the communes of
the former huyện Ba Tơ, so every index screen has something to show.

- **2023, published.** The province's completed version of the commune PAR template (`qng-2023`,
  demo data, effective 2023) is scored for the 19 communes and the township of Ba Tơ through the
  whole workflow (open → self-assessment with evidence → submit → appraisal with reasons → complete
  → publish). Xã Ba Bích's self-assessment and appraisal follow the weaknesses of its conclusion
  notice (seed 004: website, communication, initiative of officials) and its live leaves come from its
  376 dossiers of 2023 (on time, online, digitised). The seed says Ba Bích ranked **10/19**: the
  other communes' appraised points are *chosen* (the demo has no real data for them) so that nine
  score above and nine below it, 1.5 points of percentage apart — the rank is constructed, not
  measured, and the step says so.
- **The remediation plan** of seed 004 (Kế hoạch khắc phục, nâng cao Chỉ số CCHC năm 2024):
  Ba Bích's weakest leaves become tasks through the directives service.
- **2024, in progress.** Rounds under the commune template in several states (draft, submitted,
  returned, appraised) for the assessor's screen.
- Demo users get index roles on Ba Tơ: `thamdinh` appraises Ba Tơ's communes, `chuyenvien`
  self-assesses and `lanhdao` leads Xã Ba Bích.

Idempotent: a published Ba Bích 2023 result means the step has run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
from typing import Any

DISTRICT = "51-535"
BA_BICH = "51-535-21526"
PAR_CODE = "par-xa"
DEMO_VERSION = "qng-2023"
GAP = 1.5  # percentage points between consecutive communes around Ba Bích
OPENED_2023 = dt.date(2024, 1, 2)
OPENED_2024 = dt.date(2024, 12, 2)

# Ba Bích 2023: (self score, appraised score, explanation, appraisal reason). Appraisal / survey leaves:
# (None, score, "", reason).
BA_BICH_LEAVES: dict[str, tuple[float | None, float, str, str]] = {
    "1.1": (3, 3, "Kế hoạch CCHC năm 2023 ban hành tại Quyết định số 175/QĐ-UBND ngày 23/12/2022.",
            "Ban hành đúng hạn, đủ nội dung."),
    "1.2": (2, 1.5, "Đủ báo cáo quý I, 6 tháng, quý III và năm.", "Báo cáo quý III gửi chậm 5 ngày làm việc."),
    "1.4": (2, 1, "Có kế hoạch tuyên truyền CCHC năm 2023.",
            "Tuyên truyền chưa có bước đột phá, tiếp cận người dân chưa cao (Thông báo kết luận 01/2024)."),
    "2.1": (3, 2.5, "Có báo cáo theo dõi thi hành pháp luật.", "Chưa đánh giá đủ các lĩnh vực trọng tâm."),
    "2.2": (3, 3, "Đã rà soát, công bố danh mục văn bản hết hiệu lực.", "Đủ kết quả rà soát."),
    "3.1": (4, 3, "Công khai TTHC tại Bộ phận một cửa và trên trang thông tin điện tử xã.",
            "Trang thông tin điện tử xã cập nhật TTHC chậm."),
    "3.4": (3, 2.5, "Bộ phận một cửa bố trí đủ công chức.", "Thiếu trang thiết bị số hóa hồ sơ."),
    "4.1": (4, 3, "Công chức được bồi dưỡng theo kế hoạch.",
            "Một số công chức chuyên môn còn thiếu chủ động tham mưu CCHC."),
    "4.2": (3, 2.5, "Không có công chức bị kỷ luật.", "Còn trường hợp ứng xử chưa tốt với người dân."),
    "5.1": (4, 4, "Thực hiện tự chủ tài chính theo quy định.", "Đúng quy định."),
    "6.3": (4, 2, "Có trang thông tin điện tử xã.",
            "Trang thông tin điện tử cập nhật chậm, chưa đáp ứng yêu cầu chức năng, tính năng kỹ thuật."),
    "4.3": (None, 2.5, "", "Kiểm tra công vụ: còn chậm tiến độ một số nhiệm vụ CCHC."),
    "5.2": (None, 3.5, "", "Quản lý tài sản công đúng quy định, hồ sơ chưa đầy đủ."),
    "7.1": (None, 4, "", "Các chỉ tiêu kinh tế - xã hội cơ bản đạt."),
    "7.2": (None, 2.5, "", "Thu hút đầu tư còn hạn chế."),
    "8.1": (None, 24, "", "Kết quả điều tra xã hội học năm 2023 của huyện."),
}
REMEDIATION = ("6.2", "6.1", "3.2", "6.3", "1.4")


def _out(stdout: Any, text: str) -> None:
    (stdout or sys.stdout).write(text + "\n")


def _actor():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        user, _ = User.objects.get_or_create(username="congvu-demo", defaults={"is_superuser": True, "is_staff": True})
        user.set_unusable_password()
        user.save()
    return user


def demo_version(actor: Any):
    """The province's completed commune PAR version for 2023 (demo data), from the shipped template."""
    from congvu.indices.models import FrameworkVersion
    from congvu.indices.selectors import version_definition, version_for
    from congvu.indices.services import framework_load, frameworks_load_shipped

    found = FrameworkVersion.objects.filter(framework__code=PAR_CODE, version=DEMO_VERSION).first()
    if found is not None:
        return found
    try:
        template = version_for(code=PAR_CODE)
    except Exception:  # noqa: BLE001 - the frameworks step did not run: load the shipped files first
        frameworks_load_shipped()
        template = version_for(code=PAR_CODE)
    definition = dataclasses.replace(
        version_definition(version=template), version=DEMO_VERSION, template=False,
        effective_from=dt.date(2023, 1, 1), effective_to=dt.date(2023, 12, 31),
        source="Dữ liệu mẫu: tỉnh hoàn thiện khung chỉ số CCHC cấp xã cho năm 2023 (điểm như khung mẫu).")
    return framework_load(definition=definition, actor=actor)


def _evidence(actor: Any, a: Any, leaf: Any, notice: Any = None) -> None:
    from congvu.indices import workflow as wf

    for i, req in enumerate(leaf.node.evidence_required or [], start=1):
        if notice is not None and i == 1 and leaf.node.code == "1.4":
            wf.evidence_add_link(actor=actor, assessment=a, code=leaf.node.code, record_type="directives.notice",
                                 record_id=notice.pk, requirement=req)
            continue
        wf.evidence_add_link(actor=actor, assessment=a, code=leaf.node.code, label=f"{req} ({a.unit.name})",
                             url=f"https://congvu.example/minh-chung/{a.unit.code}/{a.period}/{leaf.node.code}-{i}",
                             requirement=req)


def _round(actor: Any, unit: Any, version: Any, period: str, scores: dict[str, tuple[float | None, float, str, str]],
           *, today: dt.date, notice: Any = None, until: str = "published") -> Any:
    """Take one unit's round as far as `until` (draft, submitted, returned, appraised, published)."""
    from congvu.indices import workflow as wf
    from congvu.indices.models import Method

    a = wf.assessment_open(actor=actor, unit=unit, version=version, period=period, today=today)
    leaves = list(a.leaves.select_related("node").order_by("node__order"))
    for leaf in leaves:
        self_score, _, explanation, _ = scores[leaf.node.code]
        if leaf.node.method == Method.SELF_ASSESSMENT and self_score is not None:
            wf.leaf_self_assess(actor=actor, assessment=a, code=leaf.node.code, score=self_score,
                                explanation=explanation or "Đạt theo hồ sơ kèm theo.")
            _evidence(actor, a, leaf, notice)
    if until == "draft":
        return a
    a = wf.assessment_submit(actor=actor, assessment=a, today=today)
    if until == "submitted":
        return a
    if until == "returned":
        return wf.assessment_return(actor=actor, assessment=a, today=today,
                                    note="Bổ sung tài liệu kiểm chứng chỉ số 1.2 (báo cáo quý IV).")
    for leaf in leaves:
        self_score, appraised, _, reason = scores[leaf.node.code]
        if leaf.node.method == Method.SURVEY:
            wf.leaf_appraise(actor=actor, assessment=a, code=leaf.node.code, decision="adjust",
                             survey_score=appraised, reason=reason or "Kết quả điều tra xã hội học.")
        elif self_score is not None and abs(self_score - appraised) < 1e-9:
            wf.leaf_appraise(actor=actor, assessment=a, code=leaf.node.code, decision="accept",
                             reason=reason or "Đủ tài liệu kiểm chứng.")
        else:
            wf.leaf_appraise(actor=actor, assessment=a, code=leaf.node.code, decision="adjust", score=appraised,
                             reason=reason or "Điều chỉnh theo kết quả kiểm tra thực tế.")
    a = wf.assessment_complete(actor=actor, assessment=a, today=today)
    if until == "appraised":
        return a
    wf.assessment_publish(actor=actor, assessment=a)
    return a


def _scores_for_target(version: Any, unit: Any, period: str, target: float) -> dict[str, tuple[float | None, float, str, str]]:
    """Assessed points that bring `unit` to `target` % of what is scored, given its live leaves."""
    from congvu.indices.models import Method, Node
    from congvu.indices.selectors import units_scored

    live = units_scored(version=version, units=[unit], period=period)[unit.pk].answer
    live_points, live_max = float(live["points"] or 0), float(live.get("scored_max") or 0)
    nodes = list(Node.objects.filter(version=version, method__in=(Method.SELF_ASSESSMENT, Method.APPRAISAL,
                                                                   Method.SURVEY)))
    assessed_max = sum(float(n.max_points) for n in nodes)
    wanted = target / 100.0 * (live_max + assessed_max) - live_points
    f = min(1.0, max(0.0, wanted / assessed_max)) if assessed_max else 0.0
    out: dict[str, tuple[float | None, float, str, str]] = {}
    for n in nodes:
        m = float(n.max_points)
        appraised = round(m * f, 2)
        self_score = min(m, round(m * min(1.0, f + 0.06), 2)) if n.method == Method.SELF_ASSESSMENT else None
        out[n.code] = (self_score, appraised, "", "")
    return out


def _grants(stdout: Any) -> None:
    from django.contrib.auth import get_user_model

    from congvu.org.models import Unit
    from congvu.org.services import role_grant

    User = get_user_model()
    done = []
    for username, role, code in (("thamdinh", "home_affairs_assessor", DISTRICT), ("chuyenvien", "specialist", BA_BICH),
                                 ("lanhdao", "unit_leader", BA_BICH)):
        user, unit = User.objects.filter(username=username).first(), Unit.objects.filter(code=code).first()
        if user is None or unit is None:
            continue
        if not user.role_grants.filter(role=role, unit=unit).exists():
            role_grant(user=user, role=role, unit=unit)
        done.append(f"{username} → {role} @ {unit.name}")
    if done:
        _out(stdout, "Chỉ số: phân quyền mẫu " + "; ".join(done) + ".")


def load(stdout: Any = None) -> dict[str, Any]:
    from congvu.directives.models import Notice
    from congvu.indices import board, remediation
    from congvu.indices.models import Result, ResultStatus
    from congvu.indices.selectors import rank_peers, version_for
    from congvu.org.models import Unit

    ba_bich = Unit.objects.filter(code=BA_BICH).first()
    if ba_bich is None:
        _out(stdout, "Chỉ số: chưa có Xã Ba Bích (chạy demo một cửa trước); bỏ qua các kỳ đánh giá mẫu.")
        return {"rounds": 0}
    actor = _actor()
    _grants(stdout)
    version = demo_version(actor)
    if Result.objects.filter(unit=ba_bich, version=version, period="2023", status=ResultStatus.PUBLISHED).exists():
        _out(stdout, "Chỉ số: các kỳ đánh giá mẫu đã có, bỏ qua.")
        return {"rounds": 0}
    notice = Notice.objects.filter(title__icontains="Ba Bích").order_by("pk").first() or \
        Notice.objects.filter(issuer_unit__path__startswith=ba_bich.path).order_by("pk").first()
    communes = rank_peers(unit=ba_bich, period="2023", scope="parent").units  # the communes of huyện Ba Tơ
    # Ba Bích first: its percent is the anchor the others are placed around.
    _round(actor, ba_bich, version, "2023", BA_BICH_LEAVES, today=OPENED_2023, notice=notice)
    anchor = board.sheets_for(version, [ba_bich], "2023")[ba_bich.pk].percent or 70.0
    others = [u for u in communes if u.pk != ba_bich.pk]
    rng = random.Random(2023)
    order = others[:]
    rng.shuffle(order)
    above = min(9, len(order) // 2 + len(order) % 2)
    targets = {}
    for i, unit in enumerate(order):
        k = i + 1 if i < above else i - above + 1
        targets[unit.pk] = anchor + GAP * k if i < above else anchor - GAP * k
    for unit in others:
        _round(actor, unit, version, "2023", _scores_for_target(version, unit, "2023", targets[unit.pk]),
               today=OPENED_2023)
    sheet = board.unit_sheet(version, ba_bich, "2023", peers="parent")  # seed 004: 10th in its district
    _out(stdout, f"Chỉ số CCHC cấp xã 2023 (dữ liệu mẫu) đã công bố cho {len(communes)} xã, thị trấn huyện Ba Tơ; "
                 f"Xã Ba Bích {sheet.percent} %, xếp loại {sheet.band}, hạng {sheet.rank}/{sheet.of} trong huyện "
                 "(điểm các xã khác được chọn để Ba Bích đứng thứ 10 như Thông báo 01/2024).")
    # Remediation plan of seed 004 from the points within reach.
    codes = {o["code"] for o in board.opportunities(sheet)}
    items = [{"code": c} for c in REMEDIATION if c in codes]
    plan = None
    if items:
        plan = remediation.remediation_create(
            actor=actor, unit=ba_bich, version=version, period="2023", items=items, today=dt.date(2024, 1, 2),
            title="Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số CCHC (PAR INDEX) năm 2024 của UBND xã Ba Bích")
        _out(stdout, f"Chỉ số: kế hoạch khắc phục của Xã Ba Bích giao {plan.tasks.count()} nhiệm vụ.")
    # 2024 rounds in progress under the template, in several states.
    template = version_for(code=PAR_CODE, day=dt.date(2024, 12, 31))
    rounds = 0
    states = {ba_bich.pk: "draft"}
    for unit, until in zip(others, ("submitted", "submitted", "returned", "appraised", "draft"), strict=False):
        states[unit.pk] = until
    for unit in communes:
        until = states.get(unit.pk)
        if until is None:
            continue
        target = 72.0 + (unit.pk % 7) * 3
        scores = _scores_for_target(template, unit, "2024", target)
        _round(actor, unit, template, "2024", scores, today=OPENED_2024, notice=plan, until=until)
        rounds += 1
    _out(stdout, f"Chỉ số: {rounds} kỳ tự đánh giá năm 2024 đang thực hiện (nháp, đã gửi, trả lại, đã thẩm định).")
    return {"rounds": len(communes) + rounds, "ba_bich_rank": f"{sheet.rank}/{sheet.of}", "ba_bich_percent": sheet.percent}
