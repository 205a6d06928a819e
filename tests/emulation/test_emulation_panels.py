"""Start-page panels of the emulation officer and the council member (`emulation/panels.py`): what they
show, and a constant number of queries however many movements, rounds and sessions there are."""

from __future__ import annotations

import datetime as dt

import pytest
from council_helpers import make_setup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from emu_factories import launched_movement, make_tree, staffed_person

from congvu.emulation import services as es
from congvu.emulation import services_council as svc
from congvu.emulation.models import Candidate, Movement, Round
from congvu.emulation.selectors import movement_registration, movements_missing_pledges
from congvu.org.services import emulation_group_create
from factories import make_person, make_unit

pytestmark = pytest.mark.django_db


def _queries(user) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    client.get("/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_missing_pledges_in_bulk_match_the_registration_list():
    root, a, b = make_tree()
    c = make_unit("Phòng Văn hóa", parent=root)
    make_unit("Phòng đã giải thể", parent=root, valid_to=dt.date(2023, 12, 31))  # not on a 2024 list
    subtree = launched_movement(root)
    es.pledge_register(actor=None, movement=subtree, subject="unit", unit=a, titles=["TTLDTT"])
    chosen = launched_movement(root, scope="units", scope_units=[b, c])
    es.pledge_register(actor=None, movement=chosen, subject="unit", unit=c, titles=["TTLDTT"])
    group = emulation_group_create(year=2024, kind="block", name="Khối Nội chính", owner=root, members=[a, b, c])
    block = launched_movement(root, scope="block", scope_block=group)
    movements = [subtree, chosen, block]
    with CaptureQueriesContext(connection) as ctx:
        counts = movements_missing_pledges(movements=movements)
    assert len(ctx.captured_queries) <= 4
    for m in movements:
        status = movement_registration(movement=m)
        assert counts[m.pk] == (len(status.registered) + len(status.missing), len(status.missing)), m.scope
    assert counts[subtree.pk] == (3, 2) and counts[chosen.pk] == (2, 1) and counts[block.pk] == (3, 3)


def _council_round(setup, n: int):
    """A further round of the province submitted to the council, with a convened session."""
    person = make_person(setup["dept"], f"Nguyễn Văn Thêm {n}", position="Chuyên viên")
    rnd = Round.objects.create(year=2024, unit=setup["province"], name=f"Bình xét chuyên đề {n}", rule_set="nd98-2023",
                               titles=["LDTT"], state="council")
    Candidate.objects.create(round=rnd, person=person, unit=setup["dept"], title_code="LDTT", verdict="eligible",
                             rule_set="nd98-2023", nominated=True)
    return svc.council_session_create(actor=setup["officer"], round=rnd, name=f"Họp Hội đồng chuyên đề {n}",
                                      held_on=dt.date(2024, 12, 20),
                                      members=[{"name": f"Thành viên {i}", "user": u}
                                               for i, u in enumerate(setup["members"])])


def _vote_all(setup, session, *, close: bool):
    svc.council_voting_start(actor=setup["officer"], session=session)
    for user in setup["members"]:
        for item in session.items.all():
            svc.council_vote_cast(actor=user, item=item, choice="yes")
    if close:
        svc.council_close(actor=setup["officer"], session=session)


def _more_work(setup, n: int):
    """More of everything the panels count: movements short of pledges, rounds taking nominations, a
    session voting, a session closed with approved items."""
    province = setup["province"]
    extra = [make_unit(f"Sở thêm {n}-{i}", parent=province) for i in range(3)]
    for i in range(3):
        m = launched_movement(province, titles=("TTLDTT",))
        Movement.objects.filter(pk=m.pk).update(name=f"Phong trào thêm {n}-{i}")
        es.pledge_register(actor=None, movement=m, subject="unit", unit=extra[i], titles=["TTLDTT"])
    for i in range(2):
        Round.objects.create(year=2024, unit=extra[i], name=f"Bình xét sở {n}-{i}", rule_set="nd98-2023",
                             titles=["LDTT"], state="open", nomination_deadline=dt.date(2024, 11, 30))
    voting = _council_round(setup, 10 * n + 1)
    svc.council_voting_start(actor=setup["officer"], session=voting)
    _vote_all(setup, _council_round(setup, 10 * n + 2), close=True)


def test_officer_and_council_member_panels_show_the_work_in_constant_queries():
    setup = make_setup()
    officer, member = setup["officer"], setup["members"][0]
    province = setup["province"]
    movement = launched_movement(province)
    Movement.objects.filter(pk=movement.pk).update(name="Thi đua cải cách hành chính 2024",
                                                   pledge_deadline=dt.date(2024, 3, 31))
    staffed_person(setup["dept"])
    Round.objects.create(year=2024, unit=setup["dept"], name="Bình xét Sở Nội vụ 2024", rule_set="nd98-2023",
                         titles=["LDTT"], state="open", nomination_deadline=dt.date(2024, 11, 30))
    _vote_all(setup, _council_round(setup, 1), close=True)  # approved, no decision yet

    n_officer, html = _queries(officer)
    assert "Phong trào còn đơn vị chưa đăng ký" in html and "Đăng ký thi đua: Thi đua cải cách hành chính 2024" in html
    assert "1/1 đơn vị chưa đăng ký" in html and "31/03/2024" in html
    assert "Bình xét: Bình xét Sở Nội vụ 2024" in html and "hạn 30/11/2024" in html
    assert "Hội đồng đang xét: Bình xét năm 2024" in html and "2 đề nghị đã trình Hội đồng" in html  # convened
    assert "Đợt bình xét chờ Hội đồng bỏ phiếu" in html
    assert "Ra quyết định khen thưởng: Họp Hội đồng chuyên đề 1" in html and "1 kết quả đạt chưa có quyết định" in html
    assert "Không có phong trào, đợt bình xét" not in html

    n_member, html = _queries(member)
    assert "Phiên họp đã triệu tập" in html and "Họp Hội đồng: Họp Hội đồng TĐKT xét khen thưởng năm 2024" in html
    assert "ngày họp 15/12/2024 · 2 nội dung" in html
    svc.council_voting_start(actor=officer, session=setup["session"])
    _n, html = _queries(member)
    assert "Bỏ phiếu: Họp Hội đồng TĐKT xét khen thưởng năm 2024" in html and "còn 2 nội dung chưa bỏ phiếu" in html
    svc.council_vote_cast(actor=member, item=setup["session"].items.first(), choice="yes")
    assert "còn 1 nội dung chưa bỏ phiếu" in _queries(member)[1]

    for n in (2, 3):
        _more_work(setup, n)
    big_officer, html = _queries(officer)
    assert "Ra quyết định khen thưởng: Họp Hội đồng chuyên đề 32" in html and "Kết quả Hội đồng chờ ra quyết định" in html
    big_member, html = _queries(member)
    assert "Bỏ phiếu: Họp Hội đồng chuyên đề 21" in html
    assert (big_officer, big_member) == (n_officer, n_member)
    assert n_officer <= 25 and n_member <= 20, (n_officer, n_member)


def test_a_decision_clears_the_result_and_other_provinces_stay_out():
    setup = make_setup(titles=("LDTT",))
    officer = setup["officer"]
    _vote_all(setup, setup["session"], close=True)
    assert "1 kết quả đạt chưa có quyết định" in _queries(officer)[1]
    svc.decision_create(actor=officer, session=setup["session"], items=list(setup["session"].items.all()),
                        number="12/QĐ-SNV", decided_on=dt.date(2024, 12, 20), authority="thu_truong_co_quan",
                        issuer=setup["dept"], signer_name="Lê Văn Ký", signer_title="Giám đốc")
    html = _queries(officer)[1]
    assert "chưa có quyết định" not in html and "Không có phong trào, đợt bình xét hay kết quả nào chờ bạn." in html
    # an officer of another province sees none of it
    from factories import make_user_with_role

    other = make_user_with_role("emulation_officer", make_unit("Tỉnh Kon Tum", kind="province", code="62"), "khac")
    launched_movement(setup["province"])
    html = _queries(other)[1]
    assert "Đăng ký thi đua" not in html and "Không có phong trào, đợt bình xét hay kết quả nào chờ bạn." in html
