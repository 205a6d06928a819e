"""Citizen site: catalogue, online filing and upload checks, acceptance and the clock, lookup with a
second factor and its rate limit, rating tokens, PAKN deadlines, satisfaction figures, officer desk."""

import datetime as dt
import io
import logging
import os

import pytest
from citizen_data import EXE, PDF, PNG, VN, ZIP, T
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congvu.audit.models import AuditEntry
from congvu.citizen import selectors as sel
from congvu.citizen import services as cs
from congvu.citizen.models import Complaint, OnlineSubmission, Rating, SubmissionFile
from congvu.citizen.views import form_token_new
from congvu.common.errors import DomainError, NotAllowed
from congvu.common.uploads import check_file, docx_bytes
from congvu.onestop import services as s
from congvu.onestop.models import DailyRollup
from congvu.onestop.selectors import onestop_stats
from congvu.org.roles import Role
from factories import make_unit, make_user_with_role

pytestmark = pytest.mark.django_db


def up(name, content):
    return SimpleUploadedFile(name, content)


def file_post(client, procedure, desk, files, **fields):
    comps = list(procedure.components.all())
    data = {"applicant_name": "Nguyễn Thị Hoa", "applicant_phone": "0905 123 456", "applicant_id_number": "051190000123",
            "unit": str(desk.pk), "form_token": form_token_new(), **fields}
    for comp, f in zip(comps, files, strict=False):
        if f is not None:
            data[f"file_{comp.pk}"] = f
    return client.post(reverse("citizen:file", args=[procedure.code]), data)


def submit(procedure, desk, at=None, phone="0905123456"):
    comps = list(procedure.components.all())
    return cs.submission_create(procedure=procedure, unit=desk, applicant_name="Nguyễn Thị Hoa", applicant_phone=phone,
                                applicant_id_number="051190000123", at=at,
                                files={c.pk: up(f"giay{c.pk}.pdf", PDF) for c in comps})


def media_files(settings):
    return [os.path.join(d, f) for d, _, fs in os.walk(settings.MEDIA_ROOT) for f in fs]


# ------------------------------------------------------------------------------------------------


def test_catalogue_search_without_diacritics(client, procedure, paper_only):
    r = client.get(reverse("citizen:catalogue"), {"q": "dang ky KHAI sinh"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Thủ tục đăng ký khai sinh" in body and "Đăng ký kết hôn" not in body
    assert "<nav class=\"sidenav\"" not in body  # public base: no officer navigation
    page = client.get(reverse("citizen:procedure", args=[procedure.code])).content.decode()
    assert "Tờ khai đăng ký khai sinh" in page and "5 ngày làm việc" in page and "Nộp trực tuyến" in page
    paper = client.get(reverse("citizen:procedure", args=[paper_only.code])).content.decode()
    assert "Nộp trực tuyến</a>" not in paper
    assert client.get(reverse("citizen:file", args=[paper_only.code])).status_code == 302


def test_upload_checks_by_content():
    kw = {"max_bytes": 1000, "allowed": ("pdf", "jpg", "png", "docx")}
    assert check_file("a.pdf", len(PDF), io.BytesIO(PDF), **kw).kind == "pdf"
    assert check_file("a.PNG", len(PNG), io.BytesIO(PNG), **kw).kind == "png"
    docx = docx_bytes()
    assert check_file("don.docx", len(docx), io.BytesIO(docx), max_bytes=10**6, allowed=kw["allowed"]).kind == "docx"
    assert "tệp chạy Windows" in check_file("scan.pdf", len(EXE), io.BytesIO(EXE), **kw).error
    assert "tệp nén (ZIP)" in check_file("hoso.pdf", len(ZIP), io.BytesIO(ZIP), **kw).error
    assert "tệp nén (RAR)" in check_file("a.rar", 20, io.BytesIO(b"Rar!\x1a\x07\x00" + b"0" * 13), **kw).error
    assert "vượt quá" in check_file("a.pdf", 5000, io.BytesIO(PDF), **kw).error
    assert "phần mở rộng" in check_file("a.png", len(PDF), io.BytesIO(PDF), **kw).error
    assert "tệp lệnh" in check_file("a.pdf", 30, io.BytesIO(b"#!/bin/sh\nrm -rf /\n" + b" " * 11), **kw).error


def test_filing_good_files_gives_receipt(client, procedure, desk, settings):
    r = file_post(client, procedure, desk, [up("to-khai.pdf", PDF), up("chung-sinh.png", PNG)])
    assert r.status_code == 302
    receipt = client.get(r["Location"])
    sub = OnlineSubmission.objects.get()
    assert sub.status == "submitted" and sub.applicant_phone == "0905123456"
    assert sub.receipt_number in receipt.content.decode() and "…3456" in receipt.content.decode()
    assert sorted(SubmissionFile.objects.values_list("kind", flat=True)) == ["pdf", "png"]
    stored = media_files(settings)
    assert len(stored) == 2 and all("to-khai" not in p for p in stored)  # names are ours, not the client's
    assert list(sel.submissions_pending(desk)) == [sub]


@pytest.mark.parametrize("bad,message", [
    (up("scan.pdf", EXE), "tệp chạy Windows"),
    (up("hoso.zip", ZIP), "không nhận tệp nén"),
    (up("giay.pdf", PDF + b"x" * 3000), "vượt quá giới hạn"),
])
def test_filing_bad_file_refused_nothing_saved(client, procedure, desk, settings, bad, message):
    settings.CONGVU_CITIZEN_UPLOAD_MAX_BYTES = 2048
    r = file_post(client, procedure, desk, [up("to-khai.pdf", PDF), bad])
    assert r.status_code == 400
    body = r.content.decode()
    assert message in body and body.count('class="field-error"') == 1  # one message, on that file
    assert "Chưa có gì được lưu" in body
    assert OnlineSubmission.objects.count() == 0 and SubmissionFile.objects.count() == 0
    # Only the valid file, held for this form so the citizen need not attach it again (issue 15).
    assert [f for f in media_files(settings) if "/citizen/stash/" not in f] == []


def test_filing_missing_file_and_bad_fields(client, procedure, desk):
    r = file_post(client, procedure, desk, [up("to-khai.pdf", PDF), None], applicant_phone="12",
                  applicant_id_number="abc")
    body = r.content.decode()
    assert r.status_code == 400 and "Chưa đính kèm" in body and "Số điện thoại không hợp lệ" in body
    assert OnlineSubmission.objects.count() == 0


def test_acceptance_starts_the_clock(procedure, desk):
    sub = submit(procedure, desk, at=T(2024, 3, 1, 10, 0))  # Fri
    d = cs.submission_accept(actor=None, submission=sub, at=T(2024, 3, 11, 9, 0))  # Mon, ten days later
    assert d.channel == "online" and d.sync_channel == 2 and d.digitized_components
    assert d.submitted_at == T(2024, 3, 1, 10, 0) and d.received_at == T(2024, 3, 11, 9, 0)
    assert d.due_at == T(2024, 3, 18, 17, 0)  # 5 working days from acceptance, not from 01/03
    sub.refresh_from_db()
    assert sub.status == "accepted" and sub.dossier == d
    with pytest.raises(DomainError):
        cs.submission_accept(actor=None, submission=sub)
    assert AuditEntry.objects.filter(action="transition:accept", object_id=str(sub.pk)).exists()


def test_acceptance_policy_and_desk_pages(client, procedure, desk, province):
    sub = submit(procedure, desk)
    other = make_unit("Xã khác", kind="commune", parent=province)
    outsider = make_user_with_role(Role.ONESTOP_OFFICER, other, "ngoai")
    with pytest.raises(NotAllowed):
        cs.submission_accept(actor=outsider, submission=sub)
    officer = make_user_with_role(Role.ONESTOP_OFFICER, desk, "motcua")
    client.force_login(outsider)
    assert sub.receipt_number not in client.get(reverse("citizen:desk")).content.decode()
    assert client.post(reverse("citizen:desk_submission", args=[sub.pk]), {"action": "accept"}).status_code == 403
    client.force_login(officer)
    assert sub.receipt_number in client.get(reverse("citizen:desk")).content.decode()
    # the one-stop desk's "to receive" tab lists it too, with a link to check and accept it
    session = client.session
    session["congvu.selected_unit"] = desk.pk
    session.save()
    queue = client.get(reverse("onestop:index"), {"tab": "to_receive"}).content.decode()
    assert sub.receipt_number in queue and reverse("citizen:desk_submission", args=[sub.pk]) in queue
    f = sub.files.first()
    assert client.get(reverse("citizen:desk_file", args=[f.pk]))["Content-Type"] == "application/pdf"
    r = client.post(reverse("citizen:desk_submission", args=[sub.pk]), {"action": "accept"})
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "accepted" and sub.dossier.events.get().actor == officer
    sub2 = submit(procedure, desk)
    client.post(reverse("citizen:desk_submission", args=[sub2.pk]), {"action": "supplement", "reason": "Thiếu trang 2"})
    sub2.refresh_from_db()
    assert sub2.status == "returned_for_supplement" and sub2.reason == "Thiếu trang 2"


def _lookup(client, code, phone4):
    return client.post(reverse("citizen:lookup"), {"code": code, "phone4": phone4})


def test_lookup_second_factor_and_identical_not_found(client, procedure, desk):
    sub = submit(procedure, desk, at=T(2024, 3, 4, 8, 0))
    r = _lookup(client, sub.receipt_number, "3456")
    assert r.status_code == 200 and "chờ cán bộ một cửa" in r.content.decode()
    d = cs.submission_accept(actor=None, submission=sub, at=T(2024, 3, 4, 9, 0))
    s.dossier_transfer(dossier=d, at=T(2024, 3, 4, 10, 0))
    s.dossier_request_supplement(dossier=d, items="Bản sao giấy chứng sinh", at=T(2024, 3, 5, 9, 0))
    s.dossier_supplement_received(dossier=d, at=T(2024, 3, 5, 15, 0))
    s.dossier_apologise(dossier=d, reason="Chờ xác minh thông tin", new_due_at=T(2024, 3, 20, 17, 0),
                        at=T(2024, 3, 8, 9, 0))
    ok = _lookup(client, d.code.lower(), "3456")
    body = ok.content.decode()
    assert ok.status_code == 200 and "đã được chuyển đến cơ quan có thẩm quyền" in body
    assert "Chờ xác minh thông tin" in body and "20/03/2024" in body  # apology letter and new date
    assert "Nộp trực tuyến" in body and "Đã nhận đủ giấy tờ bổ sung" in body
    wrong = _lookup(client, d.code, "0000")
    unknown = _lookup(client, d.code[:-4] + "9999", "3456")
    garbage = _lookup(client, "<script>", "3456")
    assert wrong.status_code == unknown.status_code == garbage.status_code == 404
    assert wrong.content == unknown.content == garbage.content
    assert dict(wrong.items()).keys() == dict(unknown.items()).keys()
    assert d.code not in wrong.content.decode()


def test_lookup_shows_missing_items(client, procedure, desk):
    d = cs.submission_accept(actor=None, submission=submit(procedure, desk))
    s.dossier_request_supplement(dossier=d, items="Bản sao giấy chứng sinh")
    body = _lookup(client, d.code, "3456").content.decode()
    assert "Giấy tờ cần bổ sung" in body and "Bản sao giấy chứng sinh" in body


def test_lookup_rate_limit_429_and_logged(client, procedure, desk, settings, caplog):
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 3
    d = cs.submission_accept(actor=None, submission=submit(procedure, desk))
    for _ in range(3):
        assert _lookup(client, d.code, "1111").status_code == 404
    with caplog.at_level(logging.WARNING, logger="congvu.security"):
        r = _lookup(client, d.code, "3456")  # even the right pair is refused now
        assert r.status_code == 429 and r["Retry-After"] == "600"
        assert _lookup(client, d.code, "3456").status_code == 429
    entries = AuditEntry.objects.filter(action="security:lookup_flood")
    assert entries.count() == 1 and entries.get().object_id == "127.0.0.1"  # first refusal only
    assert any("lookup flood from 127.0.0.1" in m for m in caplog.messages)
    other = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def _returned(procedure, desk, at=None, phone="0905123456"):
    at = at or T(2024, 3, 4, 8, 0)
    d = cs.submission_accept(actor=None, submission=submit(procedure, desk, phone=phone), at=at)
    s.dossier_transfer(dossier=d, at=at + dt.timedelta(hours=1))
    s.dossier_record_result(dossier=d, at=at + dt.timedelta(days=1))
    s.dossier_return(dossier=d, at=at + dt.timedelta(days=1, hours=2))
    return d


def _answers(**over):
    base = {"contacts": "2", "agencies": "2", "one_stop": "2", "publicity": "1", "attitude": "2", "overall": "2"}
    return {**base, **over}


def test_rating_invitation_on_return_and_single_use(client, procedure, desk):
    d = _returned(procedure, desk, at=dt.datetime.now(tz=VN) - dt.timedelta(days=2))
    rating = Rating.objects.get(dossier=d)  # created by the return, through post_save
    assert rating.expires_at == rating.created_at + dt.timedelta(days=30)
    url = cs.rating_url(rating, absolute=False)
    assert url in _lookup(client, d.code, "3456").content.decode()
    assert client.get(url).status_code == 200
    r = client.post(url, _answers(overall="0", comment="Phải đi lại nhiều lần"))
    assert r.status_code == 200 and "đã được ghi nhận" in r.content.decode()
    rating.refresh_from_db()
    assert rating.used_at and rating.overall == 0 and rating.scores["processing_time"] == 2
    assert rating.scores["contacts"] == 2 and rating.scores["pakn"] is None
    row = DailyRollup.objects.get(unit=desk, day=rating.used_at.astimezone(VN).date())
    assert (row.rating_count, row.rating_satisfied, row.rating_dissatisfied) == (1, 0, 1)
    day = row.day
    assert onestop_stats(unit=desk, date_from=day, date_to=day)["rating_dissatisfied"] == 1
    again = client.post(url, _answers())
    assert again.status_code == 410 and "chỉ dùng một lần" in again.content.decode()
    assert AuditEntry.objects.filter(action="security:rating_token_used").exists()
    assert client.get(reverse("citizen:rate", args=["x" * 40])).status_code == 410
    assert AuditEntry.objects.filter(action="security:rating_token_invalid").exists()
    assert cs.rating_invitation_create(d) == cs.rating_url(rating)  # idempotent


def test_rating_token_expired(client, procedure, desk):
    d = _returned(procedure, desk)  # returned in March 2024: the 30-day invitation has expired
    rating = Rating.objects.get(dossier=d)
    r = client.post(cs.rating_url(rating, absolute=False), _answers())
    assert r.status_code == 410 and "đã hết hạn" in r.content.decode()
    rating.refresh_from_db()
    assert rating.used_at is None
    assert AuditEntry.objects.filter(action="security:rating_token_expired", object_id=str(rating.pk)).exists()
    assert not DailyRollup.objects.filter(rating_count__gt=0).exists()


def test_rating_missing_answer(client, procedure, desk):
    d = _returned(procedure, desk, at=dt.datetime.now(tz=VN) - dt.timedelta(days=2))
    url = cs.rating_url(Rating.objects.get(dossier=d), absolute=False)
    r = client.post(url, _answers(attitude=""))
    assert r.status_code == 400 and "Thái độ" in r.content.decode()
    assert Rating.objects.get(dossier=d).used_at is None


def test_complaint_due_dates_in_working_days_across_holiday(procedure, desk):
    # Fri 30/8/2024; 31/8–3/9 is the National Day break (Mon 2/9 and Tue 3/9 off)
    c = cs.complaint_create(kind="complaint", text="Cán bộ hẹn nhiều lần mà chưa trả kết quả", contact_name="Lê Văn An",
                            unit=desk, at=T(2024, 8, 30, 10, 0))
    assert c.refuse_due_date == dt.date(2024, 9, 5)
    assert c.due_date == dt.date(2024, 9, 24)
    assert c.state == "received"
    leader = make_user_with_role(Role.UNIT_LEADER, desk.parent, "chutich")
    officer = make_user_with_role(Role.ONESTOP_OFFICER, desk, "motcua2")
    with pytest.raises(NotAllowed):
        cs.complaint_answer(actor=officer, complaint=c, answer="Đã xử lý")
    cs.complaint_review_start(actor=leader, complaint=c, at=T(2024, 9, 4, 8, 0))
    cs.complaint_answer(actor=leader, complaint=c, answer="Đã chấn chỉnh cán bộ", at=T(2024, 9, 24, 16, 0))
    assert c.state == "answered" and c.on_time is True
    late = cs.complaint_create(kind="recommendation", text="Đề nghị bổ sung máy lấy số", contact_name="B", unit=desk,
                               at=T(2024, 8, 30, 10, 0))
    cs.complaint_answer(actor=leader, complaint=late, answer="Không thuộc thẩm quyền", refuse=True,
                        at=T(2024, 9, 6, 9, 0))
    assert late.state == "closed" and late.on_time is False  # refusal after 2 working days


def test_complaint_form_about_a_dossier(client, procedure, desk):
    d = cs.submission_accept(actor=None, submission=submit(procedure, desk))
    body = _lookup(client, d.code, "3456").content.decode()
    ref = body.split("?ref=")[1].split('"')[0]
    page = client.get(reverse("citizen:complaint") + "?ref=" + ref)
    assert d.code in page.content.decode()
    from urllib.parse import unquote

    r = client.post(reverse("citizen:complaint"), {"ref": unquote(ref), "kind": "complaint", "contact_name": "Hoa",
                                                   "text": "Hồ sơ bị yêu cầu nộp thêm giấy tờ không có trong danh mục"})
    assert r.status_code == 200 and "Hạn trả lời" in r.content.decode()
    c = Complaint.objects.get()
    assert c.dossier == d and c.unit == desk


def test_satisfaction_figure(procedure, desk):
    now = T(2024, 3, 29, 12, 0)
    late = cs.submission_accept(actor=None, submission=submit(procedure, desk), at=T(2024, 3, 4, 8, 0))
    s.dossier_transfer(dossier=late, at=T(2024, 3, 4, 9, 0))
    s.dossier_record_result(dossier=late, at=T(2024, 3, 15, 9, 0))  # due 11/03: late
    complained = _returned(procedure, desk, at=T(2024, 3, 5, 8, 0))
    disliked = _returned(procedure, desk, at=T(2024, 3, 6, 8, 0))
    _returned(procedure, desk, at=T(2024, 3, 7, 8, 0))
    cs.complaint_create(kind="complaint", text="Thái độ cán bộ chưa tốt", contact_name="X", dossier=complained,
                        at=T(2024, 3, 8, 9, 0))
    Rating.objects.filter(dossier=disliked).update(expires_at=T(2024, 12, 1, 0, 0))
    rating = Rating.objects.get(dossier=disliked)
    cs.rating_submit(token=cs.rating_token(rating), overall=0, at=T(2024, 3, 10, 9, 0),
                     scores={"contacts": 0, "agencies": 1, "one_stop": 0, "publicity": 1, "attitude": 0})
    st = sel.satisfaction_stats([desk.pk], dt.date(2024, 3, 1), dt.date(2024, 3, 31), now=now)
    assert st["dossiers_received"] == 4 and st["dossiers_overdue"] == 1 and st["overdue_rate"] == 25.0
    assert st["dossiers_complained_or_disliked"] == 2 and st["complained_or_disliked_rate"] == 50.0
    assert st["satisfaction_rate"] == 25.0 and st["satisfaction_points"] == 1.67
    assert (st["rating_count"], st["rating_dissatisfied"]) == (1, 1)
    assert (st["pakn_received"], st["pakn_handled"], st["pakn_open_overdue"]) == (1, 0, 0)
    # PAKN open past its 15 working days counts against indicator 5.2
    st = sel.satisfaction_stats([desk.pk], dt.date(2024, 3, 1), dt.date(2024, 3, 31), now=T(2024, 5, 1, 0, 0))
    assert st["pakn_open_overdue"] == 1 and st["pakn_on_time_rate"] == 0.0


def test_rollup_rebuild_keeps_rating_counters(procedure, desk):
    d = _returned(procedure, desk, at=T(2024, 3, 4, 8, 0))
    Rating.objects.filter(dossier=d).update(expires_at=T(2024, 12, 1, 0, 0))
    cs.rating_submit(token=cs.rating_token(Rating.objects.get(dossier=d)), overall=1, at=T(2024, 3, 10, 9, 0),
                     scores={"contacts": 2, "agencies": 2, "one_stop": 2, "publicity": 2, "attitude": 2})
    before = DailyRollup.objects.get(unit=desk, day=dt.date(2024, 3, 10))
    s.onestop_rollups_rebuild()  # asks the contributors registered in onestop.hooks, ratings included
    row = DailyRollup.objects.get(unit=desk, day=dt.date(2024, 3, 10))
    assert (row.rating_count, row.rating_satisfied) == (before.rating_count, before.rating_satisfied)
    assert (row.rating_count, row.rating_satisfied) == (1, 1)


def test_filing_flood_refused(client, procedure, desk, settings):
    settings.CONGVU_CITIZEN_FORM_LIMIT = 1
    assert file_post(client, procedure, desk, [up("a.pdf", PDF), up("b.pdf", PDF)]).status_code == 302
    assert file_post(client, procedure, desk, [up("a.pdf", PDF), up("b.pdf", PDF)]).status_code == 429
    assert OnlineSubmission.objects.count() == 1


def test_same_filing_posted_five_times_is_one_dossier(client, procedure, desk):
    """Issue 13: the same online filing posted twice (five times) → one submission; every later answer
    points at the first receipt."""
    token = form_token_new()
    answers = [file_post(client, procedure, desk, [up("to-khai.pdf", PDF), up("chung-sinh.png", PNG)],
                         form_token=token) for _ in range(5)]
    assert OnlineSubmission.objects.count() == 1 and SubmissionFile.objects.count() == 2
    assert {a.status_code for a in answers} == {302}
    # Each answer signs the same receipt (the signature carries a timestamp, so compare what it signs).
    from django.core import signing
    from django.urls import resolve

    from congvu.citizen.views import _RECEIPT_SALT
    signed = {signing.loads(resolve(a["Location"]).kwargs["token"], salt=_RECEIPT_SALT) for a in answers}
    assert signed == {OnlineSubmission.objects.get().pk}
    page = client.get(answers[-1]["Location"]).content.decode()
    assert OnlineSubmission.objects.get().receipt_number in page and "đã được nộp" in page


def test_filing_without_a_valid_form_token_is_refused_nothing_saved(client, procedure, desk):
    r = file_post(client, procedure, desk, [up("to-khai.pdf", PDF), up("chung-sinh.png", PNG)], form_token="forged")
    assert r.status_code == 400 and "hết hạn" in r.content.decode()
    assert OnlineSubmission.objects.count() == 0
    assert 'name="form_token" value="' in r.content.decode()  # a fresh token to submit again


def test_sixty_guesses_at_one_code_from_three_addresses_cannot_break_the_second_factor(client, procedure, desk,
                                                                                         settings):
    """Issue 13: the 4-digit second factor is limited per dossier code too: after 5 wrong guesses from any
    addresses the code is locked for an hour (for every answer, so the lock reveals nothing)."""
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 20
    d = cs.submission_accept(actor=None, submission=submit(procedure, desk))
    answers = []
    for i in range(60):
        guess = f"{i:04d}" if i != 59 else "3456"  # the right one comes last
        r = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": guess},
                        REMOTE_ADDR=f"203.0.113.{i % 3 + 1}")
        answers.append(r.status_code)
    assert answers[:5] == [404] * 5 and set(answers[5:]) == {429}  # the right pair too, while locked
    assert AuditEntry.objects.filter(action="security:lookup_code_locked", object_id=d.code).count() == 1
    other = _lookup(client, "H55.01.12-990101-0001", "0000")  # other codes are not affected
    assert other.status_code == 404
