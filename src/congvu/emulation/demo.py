"""Demo step (`CONGVU_DEMO_STEPS` entry "congvu.emulation.demo.load"): a year's emulation cycle in
huyện Bình Sơn, as seeds 000 and 003 describe it.

- recruitment dates (from each person's first position) and yearly ratings 2021–2024 of the
  district's people (illustrative, deterministic), one disciplined person;
- earlier titles (CSTĐCS 2022–2023, LĐTT, TTLĐTT) imported as history with decision numbers;
- an initiative proposed by a department, reviewed by the initiative council and recognised;
- the thematic movement "Đẩy mạnh cải cách hành chính…" launched by UBND huyện (seed 003 theme) with
  weighted criteria (manual, PAR INDEX result, on-time tasks, satisfaction), pledges of part of the
  units (the others show as not registered), one signed;
- the 2024 round of the district, pre-filled by the engine, with a few nominations.

The round is submitted to the council; the vote and the award decision are added by the council
part's demo (`demo_council`). Idempotent: a second
run changes nothing (everything is looked up by its natural key first).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from typing import Any

DISTRICT = "51-524"
YEAR = 2024
RATINGS = ("excellent", "good", "good", "good", "complete")


def _rating(code: str, year: int) -> str:
    h = int(hashlib.sha256(f"{code}:{year}".encode()).hexdigest(), 16)
    return RATINGS[h % len(RATINGS)]


def load(stdout: Any = None) -> dict[str, int]:
    from django.db import transaction

    from congvu.emulation import services as es
    from congvu.emulation.models import (
        AwardRecord,
        EmulationProfile,
        Initiative,
        Movement,
        PersonYearRecord,
        Pledge,
        Round,
    )
    from congvu.org.models import Person, PositionHistory, Unit

    out = stdout or sys.stdout
    district = Unit.objects.filter(code=DISTRICT).first()
    if district is None:
        out.write("emulation: chưa có huyện Bình Sơn (51-524) trong danh mục; bỏ qua.\n")
        return {}
    counts = {"profiles": 0, "ratings": 0, "awards": 0, "initiatives": 0, "movements": 0, "pledges": 0, "rounds": 0}
    people = list(Person.objects.filter(unit__path__startswith=district.path, active=True).select_related("unit")
                  .order_by("staff_code"))
    with transaction.atomic():
        for p in people:
            if not EmulationProfile.objects.filter(person=p).exists():
                first = PositionHistory.objects.filter(person=p).order_by("start").values_list("start", flat=True).first()
                es.profile_set(actor=None, person=p, recruited_on=first or dt.date(2015, 1, 1))
                counts["profiles"] += 1
            profile = p.emulation_profile
            for year in range(2021, YEAR + 1):
                if profile.recruited_on and year < profile.recruited_on.year:
                    continue
                if PersonYearRecord.objects.filter(person=p, year=year).exists():
                    continue
                code = p.staff_code or str(p.pk)
                rating = "excellent" if (p.is_head and year >= 2023) else _rating(code, year)
                discipline = "khien_trach" if (code.endswith("5") and year == YEAR) else ""
                es.person_year_record_set(actor=None, person=p, year=year, rating=rating, discipline=discipline,
                                          source="import", note="Dữ liệu minh họa")
                counts["ratings"] += 1
        heads = [p for p in people if p.is_head]
        star = heads[0] if heads else (people[0] if people else None)
        if star is not None:
            for year, number in ((2022, "15/QĐ-UBND"), (2023, "22/QĐ-UBND")):
                if not AwardRecord.objects.filter(person=star, title_code="CSTDCS", year=year).exists():
                    es.award_record_create(actor=None, person=star, title_code="CSTDCS", year=year,
                                           decision_number=f"{number} (minh họa)",
                                           decision_date=dt.date(year + 1, 1, 15),
                                           authority="Chủ tịch UBND huyện Bình Sơn", source="import")
                    counts["awards"] += 1
        for p in people[1:6]:
            if not AwardRecord.objects.filter(person=p, title_code="LDTT", year=2023).exists():
                es.award_record_create(actor=None, person=p, title_code="LDTT", year=2023,
                                       decision_number="21/QĐ-UBND (minh họa)", decision_date=dt.date(2024, 1, 15),
                                       authority="Chủ tịch UBND huyện Bình Sơn", source="import")
                counts["awards"] += 1
        pnv = Unit.objects.filter(code=f"{DISTRICT}-PNV").first()
        if pnv is not None and star is not None:
            authors = [p for p in people if p.unit_id == pnv.pk] or [star]
            title = "Số hóa quy trình tiếp nhận hồ sơ thi đua, khen thưởng tại Phòng Nội vụ"
            if not Initiative.objects.filter(title=title).exists():
                ini = es.initiative_propose(actor=None, unit=pnv, title=title, authors=authors[:2], year=YEAR,
                                            summary="Dữ liệu minh họa: tiếp nhận, theo dõi hồ sơ đề nghị khen thưởng "
                                                    "trên hệ thống, giảm thời gian xử lý.",
                                            applied_on=dt.date(YEAR, 4, 1))
                es.initiative_review(actor=None, initiative=ini, recommends=True, score=86,
                                     note="Có tính mới, áp dụng hiệu quả tại cơ sở", reviewed_on=dt.date(YEAR, 11, 5))
                es.initiative_recognise(actor=None, initiative=ini, decision_number="105/QĐ-UBND (minh họa)",
                                        recognised_on=dt.date(YEAR, 11, 20), recognised_by="Chủ tịch UBND huyện")
                counts["initiatives"] += 1
            if not Initiative.objects.filter(title__startswith="Tổ công nghệ số").exists():
                es.initiative_propose(actor=None, unit=pnv, title="Tổ công nghệ số cộng đồng hỗ trợ dịch vụ công",
                                      authors=authors[:1], year=YEAR)
                counts["initiatives"] += 1
        name = "Thi đua đẩy mạnh cải cách hành chính, chuyển đổi số năm 2024"
        movement = Movement.objects.filter(unit=district, name=name).first()
        if movement is None:
            movement = es.movement_create(
                actor=None, unit=district, name=name, year=YEAR, kind="thematic",
                theme="Đẩy mạnh cải cách hành chính; nâng cao hiệu lực, hiệu quả hoạt động của các cấp ủy, chính "
                      "quyền (chủ đề theo seed 003)",
                period_start=dt.date(YEAR, 1, 19), period_end=dt.date(YEAR, 12, 31),
                pledge_titles=["TTLDTT", "TTLDXS", "GIAY_KHEN", "BK_TINH", "CSTDCS", "LDTT"],
                document_number="Phát động tại Hội nghị ngày 19/01/2024 (seed 000)", document_date=dt.date(YEAR, 1, 19))
            es.criterion_add(actor=None, movement=movement, name="Hoàn thành chỉ tiêu, nhiệm vụ được giao", weight=40)
            es.criterion_add(actor=None, movement=movement, name="Kết quả Chỉ số cải cách hành chính (PAR INDEX)",
                             weight=20, measure="index_result", parameters={"framework": "par-xa"})
            es.criterion_add(actor=None, movement=movement, name="Nhiệm vụ được giao hoàn thành đúng hạn", weight=20,
                             measure="task_completion")
            es.criterion_add(actor=None, movement=movement, name="Mức độ hài lòng của người dân, doanh nghiệp",
                             weight=20, measure="satisfaction")
            movement = es.movement_launch(actor=None, movement=movement, launched_on=dt.date(YEAR, 1, 19))
            counts["movements"] += 1
            from congvu.emulation.selectors import movement_participants

            participants = movement_participants(movement=movement)
            manual = movement.criteria.get(measure="manual")
            for i, unit in enumerate(participants):
                if i % 3 == 2:
                    continue  # a third have not registered yet
                titles = ["TTLDXS"] if i % 3 == 0 else ["TTLDTT"]
                pledge = es.pledge_register(actor=None, movement=movement, subject="unit", unit=unit, titles=titles,
                                            targets="100% hồ sơ TTHC giải quyết đúng hạn; hoàn thành nhiệm vụ được giao")
                counts["pledges"] += 1
                if i % 2 == 0:
                    es.pledge_sign(actor=None, pledge=pledge, signed_by=f"Thủ trưởng {unit.name}")
                es.criterion_score_set(actor=None, criterion=manual, unit=unit, score=80 + (i * 7) % 20)
            if star is not None and not Pledge.objects.filter(movement=movement, person=star).exists():
                es.pledge_register(actor=None, movement=movement, subject="person", person=star, titles=["CSTDCS"])
                counts["pledges"] += 1
        if not Round.objects.filter(unit=district, year=YEAR).exists():
            rnd = es.round_open(actor=None, unit=district, year=YEAR,
                                titles=["LDTT", "CSTDCS", "CSTD_TINH", "TTLDTT", "TTLDXS", "BK_TINH", "GIAY_KHEN"],
                                name="Bình xét thi đua, khen thưởng năm 2024 — huyện Bình Sơn")
            counts["rounds"] += 1
            nominated = 0
            for cand in rnd.candidates.filter(verdict="eligible", title_code__in=("CSTDCS", "TTLDTT"))[:4]:
                cand = es.candidate_nominate(actor=None, candidate=cand)
                es.candidate_update(actor=None, candidate=cand, checklist={k: True for k in cand.checklist})
                nominated += 1
            counts["nominated"] = nominated
            if nominated:
                es.round_submit(actor=None, round=rnd)  # the council part's demo takes it from here
    out.write("emulation: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
    return counts
