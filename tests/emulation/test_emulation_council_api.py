"""The council API: the whole cycle through HTTP, refusals with their codes, the public exemplar list."""

from __future__ import annotations

import datetime as dt

import pytest
from council_helpers import make_setup
from django.test import Client

from congvu.emulation.models import AwardRecord
from congvu.emulation.models_council import BallotParticipation

pytestmark = pytest.mark.django_db
BASE = "/api/emulation"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_cycle_over_the_api():
    setup = make_setup(n_members=3)
    officer = _client(setup["officer"])
    sid = setup["session"].pk
    got = officer.get(f"{BASE}/council/sessions/{sid}").json()
    assert got["state"] == "open" and [i["ballot"] for i in got["items"]] == ["secret", "open"]
    assert officer.post(f"{BASE}/council/sessions/{sid}/start").json()["state"] == "voting"
    items = [i["id"] for i in got["items"]]
    for user in setup["members"]:
        r = _client(user).post(f"{BASE}/council/sessions/{sid}/ballot",
                               {"choices": {str(items[0]): "yes", str(items[1]): "yes"}}, content_type="application/json")
        assert r.status_code == 200, r.content
        body = r.json()
        # no tally while voting: a running secret count would reveal who chose what
        assert all(i["yes"] is None for i in body["items"]) and all(i["voted_by_me"] for i in body["items"])
    second = _client(setup["members"][0]).post(f"{BASE}/council/sessions/{sid}/ballot",
                                               {"choices": {str(items[0]): "no"}}, content_type="application/json")
    assert second.status_code == 400 and second.json()["code"] == "emulation.council.second_vote"
    assert BallotParticipation.objects.count() == 6
    closed = officer.post(f"{BASE}/council/sessions/{sid}/close").json()
    assert [i["approved"] for i in closed["items"]] == [True, True]
    late = _client(setup["members"][1]).post(f"{BASE}/council/sessions/{sid}/ballot",
                                             {"choices": {str(items[0]): "no"}}, content_type="application/json")
    assert late.status_code == 400 and late.json()["code"] == "emulation.council.closed"
    assert officer.post(f"{BASE}/council/sessions/{sid}/publish", {"minutes_number": "05/BB-HĐTĐKT"},
                        content_type="application/json").json()["state"] == "published"
    minutes = officer.get(f"{BASE}/council/sessions/{sid}/minutes.docx")
    assert minutes.status_code == 200 and minutes.content[:2] == b"PK"

    payload = {"session_id": sid, "item_ids": [items[0]], "number": "99/QĐ-UBND", "decided_on": "2024-12-20",
               "authority": "chu_tich_ubnd_xa", "issuer_unit": "51", "signer_name": "Đặng Văn Minh",
               "signer_title": "Chủ tịch"}
    refused = officer.post(f"{BASE}/decisions", payload, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "emulation.decision.authority"
    assert not AwardRecord.objects.exists()
    payload["authority"] = "chu_tich_ubnd_tinh"
    made = officer.post(f"{BASE}/decisions", payload, content_type="application/json")
    assert made.status_code == 201, made.content
    d = made.json()
    # CSTĐ cấp tỉnh 3.0 × 2,340,000 = 7,020,000
    assert (d["amount_each"], d["base_salary"], d["rule_set"]) == (7_020_000, 2_340_000, "nd98-2023")
    award_id = d["awards"][0]["id"]
    assert officer.get(f"{BASE}/decisions/{d['id']}/decision.docx").content[:2] == b"PK"
    pdf = officer.get(f"{BASE}/awards/{award_id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = officer.get(f"{BASE}/awards/register", {"q": "tran thi lan"}).json()
    assert page["total"] == 1 and page["items"][0]["title_code"] == "CSTD_TINH"
    revoked = officer.post(f"{BASE}/awards/{award_id}/revoke", {"revoked_on": "2025-02-01", "reason": "Khai man"},
                           content_type="application/json").json()
    assert revoked["clawback_amount"] == 7_020_000
    assert officer.get(f"{BASE}/awards/{award_id}/certificate.pdf").status_code == 400


def test_member_cannot_manage_and_outsider_sees_nothing():
    setup = make_setup(n_members=3)
    member = _client(setup["members"][0])
    sid = setup["session"].pk
    assert member.post(f"{BASE}/council/sessions/{sid}/start").status_code == 403
    outsider = Client()
    assert outsider.get(f"{BASE}/council/sessions/{sid}").status_code == 401


def test_exemplars_proposed_reviewed_published_and_public():
    setup = make_setup(n_members=1)
    officer = _client(setup["officer"])
    month = dt.date.today().replace(day=1).isoformat()
    r = officer.post(f"{BASE}/exemplars", {"unit": "51-SNV", "month": month, "kind": "good_deed",
                                           "subject_name": "Phạm Thị Hoa", "headline": "Trả lại ví cho người đánh rơi",
                                           "story": "Chị Hoa nhặt được ví ..."}, content_type="application/json")
    assert r.status_code == 201, r.content
    ex = r.json()["id"]
    assert Client().get(f"{BASE}/exemplars/public").json() == []
    bad = officer.post(f"{BASE}/exemplars/{ex}/publish")
    assert bad.status_code == 400
    officer.post(f"{BASE}/exemplars/{ex}/review", {"approve": True}, content_type="application/json")
    assert officer.post(f"{BASE}/exemplars/{ex}/publish").json()["state"] == "published"
    public = Client().get(f"{BASE}/exemplars/public", {"q": "pham thi hoa"}).json()
    assert [e["headline"] for e in public] == ["Trả lại ví cho người đánh rơi"]
    empty = officer.post(f"{BASE}/exemplars", {"unit": "51-SNV", "month": month, "kind": "good_deed",
                                               "subject_name": "", "headline": "x", "story": "y"},
                         content_type="application/json")
    assert empty.status_code == 400 and empty.json()["code"] == "emulation.exemplar.subject_name"
