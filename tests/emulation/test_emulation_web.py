"""Emulation pages: officer launches, unit pledges and nominates, every page renders."""

from __future__ import annotations

import pytest
from django.test import Client
from emu_factories import launched_movement, leader, make_tree, officer, staffed_person

from congvu.emulation import services as es
from congvu.emulation.models import Candidate, Movement, Pledge

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_officer_launches_unit_pledges_and_nominates():
    root, a, b = make_tree()
    star = staffed_person(a, name="Lê Thị Sao", ratings={2023: "excellent", 2024: "excellent"})
    off = login(officer(root))
    r = off.get("/emulation/")
    assert r.status_code == 200 and "Phát động phong trào" in r.content.decode()
    r = off.post("/emulation/movements/new/", {"unit": root.pk, "name": "Thi đua CCHC", "year": 2024,
                                               "kind": "thematic", "theme": "Cải cách hành chính",
                                               "period_start": "01/01/2024", "period_end": "31/12/2024",
                                               "scope": "subtree", "pledge_titles": ["TTLDTT", "TTLDXS"]})
    m = Movement.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/emulation/movements/{m.pk}/")
    off.post(f"/emulation/movements/{m.pk}/", {"op": "criterion", "name": "PAR INDEX", "weight": "40",
                                               "measure": "index_result", "framework": "par"})
    off.post(f"/emulation/movements/{m.pk}/", {"op": "launch"})
    m.refresh_from_db()
    assert m.state == "launched" and m.criteria.get().metric_name == "index.par.percent"
    unit_leader = login(leader(a))
    page = unit_leader.get(f"/emulation/movements/{m.pk}/").content.decode()
    assert "pledge-form" in page and "Phòng Tư pháp" in page  # b is listed as not registered
    unit_leader.post(f"/emulation/movements/{m.pk}/", {"op": "pledge", "subject": "unit", "unit": a.pk,
                                                       "titles": ["TTLDXS"], "targets": "Không hồ sơ trễ hạn"})
    pledge = Pledge.objects.get()
    unit_leader.post(f"/emulation/movements/{m.pk}/", {"op": "sign", "pledge": pledge.pk, "signed_by": "Trưởng phòng"})
    pledge.refresh_from_db()
    assert pledge.signed_at and pledge.signed_by == "Trưởng phòng"

    off.post("/emulation/rounds/new/", {"unit": root.pk, "year": 2024})
    cand = Candidate.objects.get(person=star, title_code="CSTDCS")
    r = unit_leader.get(f"/emulation/rounds/{cand.round_id}/?kind=person&title=CSTDCS")
    assert "Lê Thị Sao" in r.content.decode()
    unit_leader.post(f"/emulation/rounds/{cand.round_id}/?kind=person", {"op": "nominate", "candidate": cand.pk})
    cand.refresh_from_db()
    assert cand.nominated and "BÁO CÁO THÀNH TÍCH" in cand.report
    page = unit_leader.get(f"/emulation/candidates/{cand.pk}/").content.decode()
    assert "dossier-form" in page and "Luật TĐKT 2022" in page
    unit_leader.post(f"/emulation/candidates/{cand.pk}/", {"op": "update", "report": cand.report,
                                                           "items": ["to_trinh"]})
    cand.refresh_from_db()
    assert cand.checklist["to_trinh"]["done"]


def test_pages_render_and_refusals_show_reasons():
    root, a, b = make_tree()
    p = staffed_person(a)
    ini = es.initiative_propose(actor=None, unit=a, title="Sổ tay số", authors=[p], year=2024)
    es.award_record_create(actor=None, person=p, title_code="LDTT", year=2023, decision_number="7/QĐ")
    m = launched_movement(root)
    off = login(officer(root))
    for url in ("/emulation/", "/emulation/initiatives/", f"/emulation/initiatives/{ini.pk}/", "/emulation/awards/",
                "/emulation/awards/?q=nguyen&title=LDTT&year=2023", "/emulation/import/",
                f"/emulation/evidence/?unit={a.pk}&year=2024", f"/emulation/movements/{m.pk}/",
                "/emulation/movements/new/"):
        assert off.get(url).status_code == 200, url
    assert "7/QĐ" in off.get("/emulation/awards/?year=2023").content.decode()
    r = off.post(f"/emulation/initiatives/{ini.pk}/", {"op": "review", "recommends": "yes", "score": "90",
                                                       "reviewed_on": "2024-11-01"}, follow=True)
    assert "Hội đồng sáng kiến đã xét" in r.content.decode()
    r = off.post(f"/emulation/initiatives/{ini.pk}/", {"op": "recognise", "decision_number": "9/QĐ",
                                                       "recognised_on": "2024-10-01"}, follow=True)
    assert "trước ngày Hội đồng xét" in r.content.decode()
    stranger = login(leader(b))
    assert stranger.get(f"/emulation/initiatives/{ini.pk}/").status_code == 404
    assert login(leader(a)).get("/emulation/import/").status_code == 403


def test_english_translations_ship_with_the_app():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Phát động phong trào") == "Launch a movement"
        assert translation.gettext("Sổ khen thưởng") == "Awards register"


def test_person_records_page_enters_a_rating_and_refuses_outside_employment():
    import datetime as dt

    from congvu.emulation.models import PersonYearRecord

    root, a, b = make_tree()
    p = staffed_person(a, recruited=dt.date(2022, 5, 1))
    off = login(officer(root))
    assert off.get(f"/emulation/people/{p.pk}/").status_code == 200
    off.post(f"/emulation/people/{p.pk}/", {"op": "year", "year": "2024", "rating": "excellent", "leave_counts": "yes"})
    assert PersonYearRecord.objects.get(person=p, year=2024).rating == "excellent"
    r = off.post(f"/emulation/people/{p.pk}/", {"op": "year", "year": "2020", "rating": "good"}, follow=True)
    assert "được tuyển dụng" in r.content.decode()
    assert not PersonYearRecord.objects.filter(person=p, year=2020).exists()
    assert login(leader(b)).get(f"/emulation/people/{p.pk}/").status_code == 404
    head = staffed_person(a)
    head.is_head = True
    head.save()
    assert "head-evidence" in off.get(f"/emulation/people/{head.pk}/").content.decode()


def test_awards_register_spans_a_merger():
    import datetime as dt

    from congvu.org.services import unit_lineage_create
    from factories import make_unit

    root, a, b = make_tree()
    merged = make_unit("Phòng Nội vụ - Tư pháp", parent=root)
    unit_lineage_create(predecessor=a, successor=merged, effective_on=dt.date(2025, 7, 1))
    es.award_record_create(actor=None, unit=a, title_code="TTLDXS", year=2023, decision_number="12/QĐ-TRƯỚC")
    off = login(officer(root))
    page = off.get(f"/emulation/awards/?unit={merged.code}").content.decode()
    assert "12/QĐ-TRƯỚC" in page


def test_one_awards_register_sub_units_actions_by_policy_and_the_old_address_redirects():
    from congvu.emulation.models import AwardRecord
    from factories import make_unit

    root, a, b = make_tree()
    team = make_unit("Tổ Cải cách", parent=a)  # a sub-unit of a
    award = es.award_record_create(actor=None, person=staffed_person(team, name="Phan Văn Tổ"), title_code="LDTT",
                                   year=2023, decision_number="8/QĐ-TỔ", source="decision")
    es.award_record_create(actor=None, unit=b, title_code="TTLDTT", year=2023, decision_number="9/QĐ-TP")
    off = login(officer(root))
    page = off.get(f"/emulation/awards/?unit={a.code}").content.decode()
    assert "8/QĐ-TỔ" in page and "9/QĐ-TP" not in page  # a's register includes its sub-unit, not its sibling
    assert f"/emulation/awards/{award.pk}/revoke/" in page and f"/emulation/awards/{award.pk}/certificate.pdf" in page
    assert "8/QĐ-TỔ" in off.get("/emulation/awards/", {"q": "phan van to"}).content.decode()
    # the council's old address answers 301 to the one register, the query kept
    r = off.get("/emulation/awards/register/?q=phan&year=2023")
    assert r.status_code == 301 and r["Location"] == "/emulation/awards/?q=phan&year=2023"
    assert "8/QĐ-TỔ" in off.get(r["Location"]).content.decode()
    # a unit leader sees the register of the unit (certificate link) but may not revoke
    lead = login(leader(a))
    page = lead.get("/emulation/awards/").content.decode()
    assert "8/QĐ-TỔ" in page and "9/QĐ-TP" not in page and "certificate.pdf" in page and "/revoke/" not in page
    lead.post(f"/emulation/awards/{award.pk}/revoke/", {"revoked_on": "01/02/2025", "reason": "Khai man"})
    assert AwardRecord.objects.get(pk=award.pk).revoked_on is None
    assert "không tìm thấy đơn vị" in lead.get(f"/emulation/awards/?unit={b.code}").content.decode().lower()
    outsider = staffed_person(b, name="Đỗ Thị Ngoài")
    page = lead.get(f"/emulation/awards/?person={outsider.pk}").content.decode()
    assert "Đỗ Thị Ngoài" not in page and "8/QĐ-TỔ" not in page  # a person out of scope: not named, no rows
    assert "8/QĐ-TỔ" in lead.get(f"/emulation/awards/?person={award.person_id}").content.decode()
    # the officer revokes from the register and comes back to it, the row struck through
    r = off.post(f"/emulation/awards/{award.pk}/revoke/", {"revoked_on": "01/02/2025", "reason": "Khai man",
                                                           "next": f"/emulation/awards/?unit={a.code}"})
    assert r.status_code == 302 and r["Location"] == f"/emulation/awards/?unit={a.code}"
    assert 'class="revoked"' in off.get(r["Location"]).content.decode()
    r = off.post(f"/emulation/awards/{award.pk}/revoke/", {"revoked_on": "02/02/2025", "reason": "x",
                                                           "next": "https://evil.example/"})
    assert r["Location"] == "/emulation/awards/"  # no redirect off the site


def test_person_and_block_pledges_from_the_movement_page():
    from congvu.org.services import emulation_group_create

    root, a, b = make_tree()
    m = launched_movement(root)
    p = staffed_person(a)
    group = emulation_group_create(year=2024, kind="block", name="Khối Nội chính", owner=root, members=[a, b],
                                   leader_unit=a)
    unit_leader = login(leader(a))
    page = unit_leader.get(f"/emulation/movements/{m.pk}/").content.decode()
    assert "person-pledge-form" in page and "block-pledge-form" in page
    unit_leader.post(f"/emulation/movements/{m.pk}/", {"op": "pledge", "subject": "person", "person": p.pk,
                                                       "titles": ["CSTDCS"]})
    unit_leader.post(f"/emulation/movements/{m.pk}/", {"op": "pledge", "subject": "block", "block": group.pk,
                                                       "titles": ["TTLDXS"], "targets": "Cùng nhau"})
    assert set(Pledge.objects.values_list("subject", flat=True)) == {"person", "block"}
