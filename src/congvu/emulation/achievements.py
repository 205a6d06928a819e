"""The draft achievement report (báo cáo thành tích) of a candidate, from its records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congvu.emulation.models import AwardRecord, Initiative, InitiativeStatus, ResearchProject
from congvu.emulation.rules import RATING_VI, TITLES
from congvu.emulation.scoring import reform_figures
from congvu.emulation.selectors import person_facts_many, unit_facts_many


def _vn(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else "—"


def achievement_report(*, candidate: Any) -> str:
    """A draft báo cáo thành tích from the records: ratings, initiatives, research, earlier titles, and
    for a collective its members and its reform figures (index results, tasks, satisfaction)."""
    from congvu.emulation.models import Candidate

    cand: Candidate = candidate
    year = cand.round.year
    title = TITLES[cand.title_code].name_vi if cand.title_code in TITLES else cand.title_code
    lines: list[str] = []
    if cand.person_id:
        p = cand.person
        facts = person_facts_many([p], year)[p.pk]
        lines.append(f"BÁO CÁO THÀNH TÍCH đề nghị tặng {title} năm {year}")
        lines.append(f"Họ và tên: {p.full_name}; chức vụ: {p.position or '—'}; đơn vị: {p.unit.name}.")
        if facts.get("recruited"):
            lines.append(f"Ngày tuyển dụng: {_vn(dt.date.fromisoformat(facts['recruited']))}.")
        lines.append("I. Kết quả đánh giá, xếp loại:")
        for y in sorted(facts["ratings"], reverse=True)[:5]:
            lines.append(f"- Năm {y}: {RATING_VI.get(facts['ratings'][y], facts['ratings'][y])}.")
        lines.append("II. Sáng kiến, đề tài:")
        items = [i for i in Initiative.objects.filter(authors=p, status=InitiativeStatus.RECOGNISED)
                 .order_by("-year")[:10]]
        for i in items:
            lines.append(f"- Sáng kiến “{i.title}” ({i.get_scope_display()}), công nhận theo QĐ "
                         f"{i.decision_number or '—'} ngày {_vn(i.recognised_on)}"
                         f"{', áp dụng hiệu quả' if i.applied_effectively else ''}.")
        for r in ResearchProject.objects.filter(authors=p).order_by("-year")[:10]:
            lines.append(f"- Đề tài “{r.title}” ({r.get_scope_display()}), nghiệm thu {_vn(r.accepted_on)}.")
        if not items and not facts["research"]:
            lines.append("- Không có.")
        awards = AwardRecord.objects.filter(person=p, revoked_on__isnull=True).order_by("-year")[:10]
    else:
        u = cand.unit
        facts = unit_facts_many([u], year)[u.pk]
        lines.append(f"BÁO CÁO THÀNH TÍCH đề nghị tặng {title} năm {year}")
        lines.append(f"Tập thể: {u.name}; số thành viên: {facts['members']}.")
        if facts.get("rating"):
            lines.append(f"Xếp loại năm {year}: {RATING_VI.get(facts['rating'], facts['rating'])}.")
        lines.append(f"Thành viên đạt Lao động tiên tiến: {facts['members_ldtt']}; Chiến sĩ thi đua cơ sở: "
                     f"{facts['members_cstdcs']}.")
        lines.append("I. Kết quả cải cách hành chính, thực hiện nhiệm vụ, sự hài lòng:")
        for f in reform_figures(unit=u, year=year).values():
            lines.append(f"- {f.label}: {f.status}.")
        lines.append("II. Sáng kiến của đơn vị:")
        items = list(Initiative.objects.filter(unit=u, year=year, status=InitiativeStatus.RECOGNISED))
        for i in items:
            lines.append(f"- “{i.title}” ({i.get_scope_display()}), QĐ {i.decision_number or '—'}.")
        if not items:
            lines.append("- Không có.")
        awards = AwardRecord.objects.filter(unit=u, revoked_on__isnull=True).order_by("-year")[:10]
    lines.append("III. Danh hiệu, hình thức khen thưởng đã được tặng:")
    awards = list(awards)
    for a in awards:
        name = TITLES[a.title_code].name_vi if a.title_code in TITLES else a.title_code
        lines.append(f"- Năm {a.year}: {name}, QĐ {a.decision_number or '—'} ngày {_vn(a.decision_date)}.")
    if not awards:
        lines.append("- Chưa có.")
    return "\n".join(lines)
