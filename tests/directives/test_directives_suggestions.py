"""The extractor's candidates are offered on the review screen and adopted with one click."""

from __future__ import annotations

import pytest

from congvu.directives import draft as drafts
from congvu.directives import importing
from factories import make_user_with_role

pytestmark = pytest.mark.django_db

TEXT = "Điều 2. Giao Sở Tài chính chủ trì.\nĐiều 3. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này./.\n"
RESULT = {
    "doc_type": "QĐ", "number": "711/QĐ-UBND", "issuer": "UBND tỉnh", "date": "2015-04-25", "meeting_date": None,
    "title": "Quyết định",
    "tasks": [{"assignee": "Sở Tài chính", "co_assignees": [], "action": "Giao Sở Tài chính chủ trì",
               "deadline": None, "deadline_text": None, "source_text": "Giao Sở Tài chính chủ trì.", "start": 8,
               "end": 34, "flags": [], "confidence": 0.85}],
    "candidates": [{"assignee": "Chánh Văn phòng UBND tỉnh", "co_assignees": [], "action": "Chánh Văn phòng ...",
                    "deadline": None, "deadline_text": None, "start": 43, "end": 70, "flags": [], "confidence": 0.85,
                    "source_text": "Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này",
                    "candidate_reason": "execution_clause"}],
    "reports": [],
}


def test_adopt_suggestion_is_pure_and_idempotent() -> None:
    d = {"meta": {}, "tasks": [{"id": "t1", "start": 8, "action": "a", "flags": []}], "next_id": 1,
         "suggestions": [{"id": "c1", "assignee": "X", "action": "b", "start": 2, "source_text": "b", "reason": "aims"}]}
    d2, tid = drafts.adopt_suggestion(d, "c1")
    assert d["suggestions"] and [t["id"] for t in d2["tasks"]] == [tid, "t1"] and d2["suggestions"] == []
    assert d2["tasks"][0]["assignee"] == "X"
    d3, none = drafts.adopt_suggestion(d2, "c1")
    assert none == "" and len(d3["tasks"]) == 2


def test_review_screen_offers_candidates_and_adopts_one(district, client, monkeypatch) -> None:
    clerk = make_user_with_role("office_clerk", district)
    monkeypatch.setattr(importing, "run_extractor", lambda *, path=None, text=None: (TEXT, dict(RESULT)))
    record = importing.notice_import_create(actor=clerk, unit=district, text=TEXT)
    assert [s["reason"] for s in record.draft["suggestions"]] == ["execution_clause"]
    client.force_login(clerk)
    body = client.get(f"/directives/imports/{record.pk}/").content.decode()
    assert "Câu có thể là nhiệm vụ" in body and "Điều khoản thi hành" in body and 'value="adopt:c1"' in body
    r = client.post(f"/directives/imports/{record.pk}/", {"op": "adopt:c1", "version": record.version})
    assert r.status_code == 302
    record.refresh_from_db()
    assert [t["assignee"] for t in record.draft["tasks"]] == ["Sở Tài chính", "Chánh Văn phòng UBND tỉnh"]
    assert record.draft["suggestions"] == []
