"""Import → review draft → confirm. Bad input is refused with nothing saved."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congvu.common.errors import Conflict, DomainError
from congvu.directives import draft as drafts
from congvu.directives import importing
from congvu.directives.models import ImportStatus, NoticeImport, Task
from factories import make_unit, make_user_with_role

pytestmark = pytest.mark.django_db

TEXT = "THÔNG BÁO\nKết luận của Chủ tịch UBND huyện\n1. Phòng Nội vụ huyện tham mưu kế hoạch CCHC.\n"
RESULT = {
    "doc_type": "TB", "number": "05/TB-UBND", "issuer": "UBND huyện Bình Sơn", "date": "2024-03-01",
    "meeting_date": None, "title": "Kết luận của Chủ tịch UBND huyện",
    "tasks": [
        {"assignee": "Phòng Nội vụ huyện", "co_assignees": ["Phòng Tài chính - Kế hoạch"],
         "action": "Tham mưu kế hoạch CCHC", "deadline": "2024-03-29", "deadline_text": "trước ngày 29/3/2024",
         "source_text": "Phòng Nội vụ huyện tham mưu kế hoạch CCHC.", "start": 45, "end": 87, "flags": []},
        {"assignee": "Ban Quản lý dự án XYZ", "co_assignees": [], "action": "Hoàn thành dự án",
         "deadline": "2024-01-15", "deadline_text": "trước 15/01/2024", "source_text": "", "start": None,
         "end": None, "flags": []},
        {"assignee": "Phòng Văn hóa", "co_assignees": [], "action": "Tuyên truyền", "deadline": None,
         "deadline_text": "đầu Xuân", "source_text": "", "start": None, "end": None},
        {"assignee": "Thủ trưởng các cơ quan, đơn vị, địa phương", "co_assignees": [], "action": "Quán triệt",
         "deadline": None, "deadline_text": None, "source_text": "", "start": None, "end": None},
    ],
    "reports": [{"name": "Báo cáo CCHC Quý I năm 2024", "assignee": "Phòng Nội vụ huyện", "recipient": "UBND huyện",
                 "due": "2024-03-10", "period_start": "2023-12-15", "period_end": "2024-03-14"}],
}


@pytest.fixture
def world(district, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.CONGVU_UPLOAD_MAX_BYTES = 50_000
    units = {
        "noi_vu": make_unit("Phòng Nội vụ", parent=district),
        "tckh": make_unit("Phòng Tài chính - Kế hoạch", parent=district),
        "vh1": make_unit("Phòng Văn hóa và Thông tin", parent=district),
        "vh2": make_unit("Phòng Văn hóa - Thể thao", parent=district),
    }
    clerk = make_user_with_role("office_clerk", district)
    calls = []

    def fake(*, path=None, text=None):
        calls.append(path or text)
        scanned = path is not None and b"image only" in open(path, "rb").read()
        return ("" if scanned else TEXT), dict(RESULT)

    monkeypatch.setattr(importing, "run_extractor", fake)
    return {"district": district, "clerk": clerk, "tmp": tmp_path, "calls": calls, **units}


def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _nothing_saved(world):
    assert NoticeImport.objects.count() == 0
    assert [p for p in world["tmp"].rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("name,data,code", [
    ("empty.docx", b"", "import.empty"),
    ("blank.txt", b"   \n ", "import.empty"),
    ("corrupt.docx", b"PK\x03\x04 this is not a zip", "import.corrupt"),
    ("notes.docx", b"plain text pretending", "import.corrupt"),
    ("locked.docx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, "import.encrypted"),
    ("broken.pdf", b"hello world", "import.corrupt"),
    ("image.png", b"\x89PNG....", "import.type"),
    ("huge.txt", b"a" * 60_000, "import.too_large"),
])
def test_bad_uploads_are_refused_with_nothing_saved(world, name, data, code):
    with pytest.raises(DomainError) as exc:
        importing.notice_import_create(actor=world["clerk"], unit=world["district"],
                                       upload=SimpleUploadedFile(name, data))
    assert exc.value.code == code
    assert "Hãy" in exc.value.message or "chỉ nhận" in exc.value.message
    _nothing_saved(world)


def test_scanned_pdf_without_text_layer_is_refused(world):
    with pytest.raises(DomainError) as exc:
        importing.notice_import_create(actor=world["clerk"], unit=world["district"],
                                       upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n% image only"))
    assert exc.value.code == "import.no_text" and "bản quét" in exc.value.message
    _nothing_saved(world)


def test_doc_without_libreoffice_is_refused(world, monkeypatch):
    monkeypatch.setattr(importing, "libreoffice", lambda: None)
    with pytest.raises(DomainError) as exc:
        importing.notice_import_create(actor=world["clerk"], unit=world["district"],
                                       upload=SimpleUploadedFile("old.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"x"))
    assert exc.value.code == "import.doc_unsupported" and ".docx" in exc.value.message
    _nothing_saved(world)


def test_upload_keeps_original_and_flags_problems(world):
    data = _docx_bytes(TEXT)
    record = importing.notice_import_create(actor=world["clerk"], unit=world["district"],
                                            upload=SimpleUploadedFile("tb05.docx", data))
    assert record.status == ImportStatus.DRAFT and record.source_kind == "docx"
    with record.original.open("rb") as fh:
        assert fh.read() == data
    assert Task.objects.count() == 0  # nothing becomes a task before confirmation
    tasks = record.draft["tasks"]
    assert tasks[0]["unit_id"] == world["noi_vu"].pk and tasks[0]["flags"] == []
    assert tasks[0]["co_unit_ids"] == [world["tckh"].pk]
    assert set(tasks[1]["flags"]) >= {"assignee_unmatched", "deadline_before_date"}
    assert "assignee_ambiguous" in tasks[2]["flags"] and len(tasks[2]["candidates"]) >= 2
    assert "deadline_vague" in tasks[2]["flags"]
    assert "assignee_generic" in tasks[3]["flags"]


def test_review_operations_and_confirm(world):
    record = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    d = record.draft
    d = drafts.update_task(d, "t3", unit_id=world["vh1"].pk)
    assert "assignee_ambiguous" not in d["tasks"][2]["flags"]
    d = drafts.update_task(d, "t2", deadline="2024-04-15", unit_id=world["tckh"].pk)
    assert d["tasks"][1]["flags"] == []
    d = drafts.split_task(d, "t1", ["Tham mưu kế hoạch CCHC", "Tổ chức kiểm tra CCHC"])
    assert len(d["tasks"]) == 5
    d = drafts.merge_tasks(d, [d["tasks"][0]["id"], d["tasks"][1]["id"]])
    assert d["tasks"][0]["action"] == "Tham mưu kế hoạch CCHC; Tổ chức kiểm tra CCHC"
    d = drafts.delete_tasks(d, ["t4"])
    d, new_id = drafts.add_task(d, action="Nhiệm vụ bổ sung", unit_id=world["noi_vu"].pk, deadline="2024-05-31")
    stale_version = record.version
    record = importing.notice_import_save_draft(actor=world["clerk"], record=record, expected_version=record.version,
                                                draft=d)
    with pytest.raises(Conflict):
        importing.notice_import_save_draft(actor=world["clerk"], record=record, expected_version=stale_version,
                                           draft=d)
    notice = importing.notice_import_confirm(actor=world["clerk"], record=record, expected_version=record.version)
    tasks = list(notice.tasks.order_by("ordinal"))
    assert [t.action for t in tasks[:4]] == ["Tham mưu kế hoạch CCHC; Tổ chức kiểm tra CCHC", "Hoàn thành dự án",
                                             "Tuyên truyền", "Nhiệm vụ bổ sung"]
    assert tasks[0].unit == world["noi_vu"] and list(tasks[0].co_assignees.all()) == [world["tckh"]]
    report = tasks[-1]
    assert report.kind == "report" and report.reporting_duty.period_end.isoformat() == "2024-03-14"
    assert notice.number == "05/TB-UBND" and notice.import_record.status == ImportStatus.CONFIRMED
    with pytest.raises(Conflict):
        importing.notice_import_confirm(actor=world["clerk"], record=record)


def test_confirm_is_all_or_nothing(world):
    record = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    d = drafts.update_task(record.draft, "t2", action="")
    record = importing.notice_import_save_draft(actor=world["clerk"], record=record, expected_version=None, draft=d)
    with pytest.raises(DomainError) as exc:
        importing.notice_import_confirm(actor=world["clerk"], record=record)
    assert "thứ 2" in exc.value.message
    assert Task.objects.count() == 0
    record.refresh_from_db()
    assert record.status == ImportStatus.DRAFT


def test_paste_needs_content_and_permission(world, district):
    with pytest.raises(DomainError):
        importing.notice_import_create(actor=world["clerk"], unit=district, text="  ")
    outsider = make_user_with_role("specialist", world["noi_vu"])
    with pytest.raises(DomainError):
        importing.notice_import_create(actor=outsider, unit=district, text=TEXT)


# -- issue 15: nothing counted that did not happen ---------------------------------------------------


def test_the_same_notice_imported_twice_is_stopped(world):
    first = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    notice = importing.notice_import_confirm(actor=world["clerk"], record=first)
    tasks = Task.objects.count()
    with pytest.raises(Conflict) as exc:  # same text
        importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    assert exc.value.code == "import.duplicate" and exc.value.details == {"notice_id": notice.pk}
    assert "05/TB-UBND" in exc.value.message and "phiên bản mới" in exc.value.message
    assert NoticeImport.objects.count() == 1 and Task.objects.count() == tasks
    # Same number, date and issuer with another text: still the same notice.
    world["calls"].clear()
    with pytest.raises(Conflict):
        importing.notice_import_create(actor=world["clerk"], unit=world["district"],
                                       upload=SimpleUploadedFile("tb05-ban-chup.docx", _docx_bytes(TEXT + "\n(bản sao)")))
    # Explicitly as a new version: imported, and the draft says which notice it supersedes.
    again = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT, as_new_version=True)
    assert again.draft["meta"]["supersedes"] == {"notice_id": notice.pk}
    importing.notice_import_confirm(actor=world["clerk"], record=again)
    assert Task.objects.count() == 2 * tasks


def test_two_drafts_of_one_notice_cannot_both_be_confirmed(world):
    a = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    b = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    importing.notice_import_confirm(actor=world["clerk"], record=a)
    with pytest.raises(Conflict) as exc:
        importing.notice_import_confirm(actor=world["clerk"], record=b)
    assert exc.value.code == "import.duplicate"
    b.refresh_from_db()
    assert b.status == ImportStatus.DRAFT


def test_duplicate_page_links_to_the_existing_notice(world, client):
    client.force_login(world["clerk"])
    first = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    notice = importing.notice_import_confirm(actor=world["clerk"], record=first)
    r = client.post("/directives/import/", {"unit": world["district"].pk, "text": TEXT})
    body = r.content.decode()
    assert r.status_code == 409 and f"/directives/notices/{notice.pk}/" in body and "as_new_version" in body
    assert "Kết luận của Chủ tịch UBND huyện" in body  # the pasted text is kept
    r = client.post("/directives/import/", {"unit": world["district"].pk, "text": TEXT},
                    HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert r.status_code == 409 and r.json()["url"] == f"/directives/notices/{notice.pk}/"
    r = client.post("/directives/import/", {"unit": world["district"].pk, "text": TEXT, "as_new_version": "1"})
    assert r.status_code == 302 and NoticeImport.objects.count() == 2


def test_review_states_missing_units_and_deadlines_before_confirming(world, client):
    client.force_login(world["clerk"])
    record = importing.notice_import_create(actor=world["clerk"], unit=world["district"], text=TEXT)
    body = client.get(f"/directives/imports/{record.pk}/").content.decode()
    gaps = [t for t in record.draft["tasks"] if not t.get("unit_id")], [t for t in record.draft["tasks"]
                                                                       if not t.get("deadline")]
    assert f"{len(gaps[0])} nhiệm vụ chưa có đơn vị chủ trì" in body
    assert f"{len(gaps[1])} nhiệm vụ chưa có thời hạn" in body
    r = client.post(f"/directives/imports/{record.pk}/", {"op": "confirm", "version": record.version}, follow=True)
    assert "Vẫn xác nhận" in r.content.decode() and Task.objects.count() == 0
    record.refresh_from_db()
    r = client.post(f"/directives/imports/{record.pk}/", {"op": "confirm", "version": record.version, "ack_gaps": "1"})
    assert r.status_code == 302 and Task.objects.count() == len(record.draft["tasks"]) + len(record.draft["reports"])
