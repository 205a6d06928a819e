"""The council pages: a member votes, the officer closes, publishes, decides; downloads; the public page."""

from __future__ import annotations

import datetime as dt

import pytest
from council_helpers import make_setup
from django.test import Client

from congvu.emulation.models import AwardRecord
from congvu.emulation.models_council import Decision, Exemplar

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_through_a_session():
    setup = make_setup(n_members=3)
    session = setup["session"]
    officer = _client(setup["officer"])
    base = f"/emulation/council/{session.pk}"
    assert session.name in officer.get("/emulation/council/").content.decode()
    page = officer.get(f"{base}/").content.decode()
    assert "Bắt đầu bỏ phiếu" in page and "Bỏ phiếu kín" in page
    officer.post(f"{base}/start/")
    items = list(session.items.order_by("order"))
    member_page = _client(setup["members"][0]).get(f"{base}/").content.decode()
    assert 'name="item_' in member_page and "không lưu lựa chọn" in member_page
    for user in setup["members"]:
        r = _client(user).post(f"{base}/ballot/", {f"item_{i.pk}": "yes" for i in items})
        assert r.status_code == 302
    again = _client(setup["members"][0]).post(f"{base}/ballot/", {f"item_{items[0].pk}": "no"}, follow=True)
    assert "đã bỏ phiếu" in again.content.decode()
    officer.post(f"{base}/close/")
    officer.post(f"{base}/publish/", {"minutes_number": "01/BB"})
    page = officer.get(f"{base}/").content.decode()
    assert "Đạt" in page and "Ban hành quyết định" in page
    minutes = officer.get(f"{base}/minutes.docx")
    assert minutes.status_code == 200 and minutes["Content-Type"].startswith("application/vnd.openxmlformats")
    # a refused decision (authority) shows the reason and creates nothing
    r = officer.post(f"{base}/decide/", {"items": [items[0].pk], "number": "5/QĐ-UBND", "decided_on": "20/12/2024",
                                         "authority": "chu_tich_ubnd_xa", "issuer": setup["province"].pk,
                                         "signer_title": "Chủ tịch", "signer_name": "Đặng Văn Minh"}, follow=True)
    assert "không có thẩm quyền" in r.content.decode() and not AwardRecord.objects.exists()
    r = officer.post(f"{base}/decide/", {"items": [items[0].pk], "number": "5/QĐ-UBND", "decided_on": "20/12/2024",
                                         "authority": "chu_tich_ubnd_tinh", "issuer": setup["province"].pk,
                                         "signer_title": "Chủ tịch", "signer_name": "Đặng Văn Minh"})
    decision = Decision.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/emulation/decisions/{decision.pk}/")
    page = officer.get(f"/emulation/decisions/{decision.pk}/").content.decode()
    assert "7020000" in page.replace(".", "") and "Giấy chứng nhận (PDF)" in page
    assert officer.get(f"/emulation/decisions/{decision.pk}/decision.docx").status_code == 200
    award = AwardRecord.objects.get()
    assert officer.get(f"/emulation/awards/{award.pk}/certificate.pdf").content.startswith(b"%PDF")
    register = officer.get("/emulation/awards/", {"q": "tran thi lan 0"}).content.decode()
    assert "Trần Thị Lan 0" in register
    officer.post(f"/emulation/awards/{award.pk}/revoke/", {"revoked_on": "01/02/2025", "reason": "Khai man"})
    award.refresh_from_db()
    assert award.revoked_on == dt.date(2025, 2, 1)


def test_member_without_manage_cannot_close():
    setup = make_setup(n_members=3)
    member = _client(setup["members"][0])
    r = member.post(f"/emulation/council/{setup['session'].pk}/start/", follow=True)
    assert "không được phép" in r.content.decode()


def test_exemplar_pages_and_public_page_without_login():
    setup = make_setup(n_members=1)
    officer = _client(setup["officer"])
    officer.post("/emulation/exemplars/", {"action": "propose", "unit": setup["dept"].pk, "kind": "advanced",
                                           "subject_name": "Tổ một cửa", "headline": "Giải quyết hồ sơ trước hạn",
                                           "story": "Cả năm không có hồ sơ trễ hạn."})
    ex = Exemplar.objects.get()
    officer.post("/emulation/exemplars/", {"action": "approve", "exemplar": ex.pk})
    officer.post("/emulation/exemplars/", {"action": "publish", "exemplar": ex.pk})
    public = Client().get("/emulation/exemplars/public/", {"q": "ho so truoc han"})
    assert public.status_code == 200 and "Giải quyết hồ sơ trước hạn" in public.content.decode()
