"""Shared set-up for the council tests: a province, a round with nominated candidates, a council."""

from __future__ import annotations

import datetime as dt

from congvu.emulation.models import Candidate, Round
from congvu.emulation.services_council import council_session_create
from congvu.org.roles import Role
from factories import make_person, make_unit, make_user_with_role


def make_setup(n_members: int = 5, titles: tuple[str, ...] = ("CSTD_TINH", "LDTT")) -> dict:
    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    dept = make_unit("Sở Nội vụ", parent=province, code="51-SNV")
    officer = make_user_with_role(Role.EMULATION_OFFICER, province, "thiduakt")
    members = [make_user_with_role(Role.COUNCIL_MEMBER, province, f"hoidong{i}") for i in range(n_members)]
    people = [make_person(dept, f"Trần Thị Lan {i}", position="Chuyên viên") for i in range(len(titles))]
    rnd = Round.objects.create(year=2024, unit=province, name="Bình xét năm 2024", rule_set="nd98-2023",
                               titles=list(titles), state="council")
    candidates = [Candidate.objects.create(round=rnd, person=p, unit=dept, title_code=t, verdict="eligible",
                                           rule_set="nd98-2023", nominated=True)
                  for p, t in zip(people, titles, strict=True)]
    session = council_session_create(
        actor=officer, round=rnd, name="Họp Hội đồng TĐKT xét khen thưởng năm 2024", held_on=dt.date(2024, 12, 15),
        location="Hội trường UBND tỉnh",
        members=[{"name": f"Thành viên {i}", "role": "Chủ tịch Hội đồng" if i == 0 else "Ủy viên", "user": u,
                  "chair": i == 0, "secretary": i == n_members - 1} for i, u in enumerate(members)])
    return {"province": province, "dept": dept, "officer": officer, "members": members, "round": rnd,
            "candidates": candidates, "session": session, "people": people}
