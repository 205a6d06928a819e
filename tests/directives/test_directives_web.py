"""Pages, API and exports of the directives module (Django test client)."""

from __future__ import annotations

import io

import pytest

from congvu.directives import importing
from congvu.directives.models import NoticeImport, Task
from factories import make_person, make_unit, make_user_with_role

pytestmark = pytest.mark.django_db

TEXT = "THÔNG BÁO KẾT LUẬN\n1. Phòng Nội vụ tham mưu kế hoạch cải cách hành chính năm 2024.\n"
RESULT = {"doc_type": "TB", "number": "05/TB-UBND", "issuer": "UBND huyện", "date": "2024-03-01",
          "title": "Kết luận của Chủ tịch UBND huyện",
          "tasks": [{"assignee": "Phòng Nội vụ", "co_assignees": [], "action": "Tham mưu kế hoạch CCHC năm 2024",
                     "deadline": "2024-03-29", "deadline_text": "trước 29/3/2024",
                     "source_text": "Phòng Nội vụ tham mưu kế hoạch cải cách hành chính năm 2024.",
                     "start": 22, "end": 83}],
          "reports": []}


@pytest.fixture
def world(district, settings, tmp_path, monkeypatch, client):
    settings.MEDIA_ROOT = tmp_path
    noi_vu = make_unit("Phòng Nội vụ", parent=district)
    make_person(noi_vu, "Trưởng phòng", is_head=True, email="h@nv.vn")
    clerk = make_user_with_role("office_clerk", district)
    leader = make_user_with_role("unit_leader", district)
    specialist = make_user_with_role("specialist", noi_vu)
    monkeypatch.setattr(importing, "run_extractor", lambda *, path=None, text=None: (TEXT, dict(RESULT)))
    return {"district": district, "noi_vu": noi_vu, "clerk": clerk, "leader": leader, "specialist": specialist}


def _confirmed(world):
    record = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    return importing.notice_import_confirm(actor=world["clerk"], record=record)


def test_import_review_confirm_through_pages(world, client):
    client.force_login(world["clerk"])
    r = client.post("/directives/import/", {"unit": world["district"].pk, "text": TEXT},
                    HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert r.status_code == 201
    review = client.get(r.json()["url"])
    html = review.content.decode()
    assert '<mark id="span-t1"' in html and "Tham mưu kế hoạch CCHC năm 2024" in html
    record = NoticeImport.objects.get()
    r = client.post(f"/directives/imports/{record.pk}/", {
        "version": record.version, "op": "confirm", "action_t1": "Tham mưu kế hoạch CCHC (đã sửa)",
        "unit_t1": world["noi_vu"].pk, "deadline_t1": "29/03/2024"})
    assert r.status_code == 302
    task = Task.objects.get()
    assert task.action == "Tham mưu kế hoạch CCHC (đã sửa)" and task.unit == world["noi_vu"]
    page = client.get(r.url).content.decode()
    assert "Tham mưu kế hoạch CCHC (đã sửa)" in page
    client.force_login(world["specialist"])
    assert client.get("/directives/?view=all").status_code == 200


def test_bad_upload_message_via_page(world, client):
    client.force_login(world["clerk"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post("/directives/import/", {"unit": world["district"].pk,
                                             "file": SimpleUploadedFile("x.docx", b"garbage")},
                    HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert r.status_code == 400 and "bị hỏng" in r.json()["message"]
    assert NoticeImport.objects.count() == 0


def test_task_page_transitions_and_stale_version(world, client):
    notice = _confirmed(world)
    task = notice.tasks.get()
    client.force_login(world["specialist"])
    r = client.post(f"/directives/tasks/{task.pk}/", {"op": "transition:report_done", "version": task.version})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.state == "reported_done"
    r = client.post(f"/directives/tasks/{task.pk}/", {"op": "transition:start", "version": task.version - 1},
                    follow=True)
    assert "người khác cập nhật" in r.content.decode()
    client.force_login(world["leader"])
    html = client.get(f"/directives/tasks/{task.pk}/").content.decode()
    assert "Chấp nhận kết quả" in html


def test_followup_docx_and_xlsx(world, client):
    import docx
    import openpyxl

    notice = _confirmed(world)
    client.force_login(world["leader"])
    r = client.get(f"/directives/notices/{notice.pk}/followup.docx")
    assert r.status_code == 200
    document = docx.Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells[1] or any("CỘNG HÒA" in c for c in cells)
    assert "BÁO CÁO" in text and "Tình hình thực hiện các nội dung kết luận" in text
    assert "Tham mưu kế hoạch CCHC năm 2024" in cells
    assert any(c.startswith("Đã giao — quá hạn") for c in cells)  # state and derived overdue
    assert any("Nơi nhận:" in c for c in cells)
    assert document.styles["Normal"].font.name == "Times New Roman"
    r = client.get(f"/directives/notices/{notice.pk}/followup.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Tham mưu kế hoạch CCHC năm 2024" in values
    assert any(str(v).startswith("Đã giao") for v in values)


def test_stats_page_and_api(world, client):
    notice = _confirmed(world)
    task = notice.tasks.get()
    client.force_login(world["leader"])
    assert "<svg" in client.get("/directives/stats/?start=01/01/2024&end=31/12/2024").content.decode()
    r = client.get("/api/directives/tasks", {"notice": notice.pk})
    assert r.status_code == 200 and r.json()["items"][0]["id"] == task.pk
    client.force_login(world["specialist"])
    r = client.post(f"/api/directives/tasks/{task.pk}/transitions",
                    {"name": "accept", "expected_version": task.version}, content_type="application/json")
    assert r.status_code in (400, 403)
    r = client.post(f"/api/directives/tasks/{task.pk}/transitions",
                    {"name": "start", "expected_version": task.version + 5}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "task.stale"
    r = client.get("/api/directives/stats/completion", {"start": "2024-01-01", "end": "2024-12-31"})
    assert r.status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert "/api/directives/tasks" in spec["paths"] and "/api/directives/imports/{import_id}/confirm" in spec["paths"]


def test_api_import_by_file_upload_and_progress_attachment(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["clerk"])
    r = client.post("/api/directives/imports", {
        "unit": world["district"].code,
        "file": SimpleUploadedFile("tb.txt", TEXT.encode("utf-8"), content_type="text/plain")})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["source_kind"] == "txt" and body["original_name"] == "tb.txt"
    task = _confirmed(world).tasks.get()
    client.force_login(world["specialist"])
    r = client.post(f"/api/directives/tasks/{task.pk}/progress", {
        "text": "Đã xong 50%", "percent": "50",
        "attachment": SimpleUploadedFile("bc.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf")})
    assert r.status_code == 201, r.content
    assert r.json()["attachment"]  # the file was received, not silently dropped
