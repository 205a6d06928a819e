"""Issue 13 probes on directives: zip bomb on the import, checked progress attachments served only
through a scoped view, comments need a write permission."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congvu.common.errors import DomainError, NotAllowed
from congvu.directives import importing, services
from congvu.directives.importing import notice_create
from factories import make_unit, make_user_with_role

pytestmark = pytest.mark.django_db


def bomb_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types>wordprocessingml</Types>")
        zf.writestr("word/document.xml", b"<w:document>" + b"0" * (1024 * 1024) + b"</w:document>")
        zf.writestr(zipfile.ZipInfo("word/media/image1.png"), os.urandom(1000 * 1024))
    data = bytearray(buf.getvalue())
    offset = 0
    while (i := data.find(b"PK\x01\x02", offset)) >= 0:
        n = int.from_bytes(data[i + 28:i + 30], "little")
        if bytes(data[i + 46:i + 46 + n]) == b"word/document.xml":
            data[i + 24:i + 28] = (0xFFFFFFFF).to_bytes(4, "little")  # inflates to 4 GB
        offset = i + 4
    return bytes(data)


@pytest.fixture
def world(district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    noi_vu = make_unit("Phòng Nội vụ", parent=district)
    other = make_unit("Huyện Khác", kind="district", parent=district.parent)
    clerk = make_user_with_role("office_clerk", district)
    specialist = make_user_with_role("specialist", noi_vu)
    council = make_user_with_role("council_member", district)
    outsider = make_user_with_role("specialist", other)
    notice = notice_create(actor=clerk, issuer_unit=district, title="Kết luận", number="05/TB-UBND",
                           date="2024-03-01", tasks=[{"action": "Tham mưu kế hoạch", "unit_id": noi_vu.pk,
                                                      "deadline": "2024-03-29"}])
    return {"clerk": clerk, "specialist": specialist, "council": council, "outsider": outsider,
            "district": district, "task": notice.tasks.get()}


def test_zip_bomb_notice_import_refused_fast(world):
    data = bomb_docx()
    assert len(data) < 1.2 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(DomainError) as exc:
        importing.notice_import_create(actor=world["clerk"], unit=world["district"], upload=data,
                                       filename="ket-luan.docx")
    assert time.perf_counter() - started < 1.0  # refused from the ZIP directory, nothing inflated
    assert exc.value.code == "upload.zip_bomb" and "bom nén" in exc.value.message


def test_zip_bomb_through_the_page(world, client):
    client.force_login(world["clerk"])
    r = client.post(reverse("directives:import_new"), {
        "unit": world["district"].pk, "file": SimpleUploadedFile("kl.docx", bomb_docx())})
    assert r.status_code == 200 and "bom nén" in r.content.decode()  # the form again, with the message


def test_elf_renamed_pdf_refused_as_attachment(world):
    elf = SimpleUploadedFile("bao-cao.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200)
    with pytest.raises(DomainError) as exc:
        services.progress_report_create(actor=world["specialist"], task=world["task"], text="x", attachment=elf)
    assert exc.value.code == "upload.executable"


def test_attachment_served_only_through_scoped_view(world, client):
    report = services.progress_report_create(
        actor=world["specialist"], task=world["task"], text="Dự thảo", percent=50,
        attachment=SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    url = reverse("directives:report_attachment", args=[report.pk])
    client.force_login(world["specialist"])
    page = client.get(reverse("directives:task_detail", args=[world["task"].pk])).content.decode()
    assert url in page and "/media/" not in page
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert "attachment" in r["Content-Disposition"]
    client.force_login(world["outsider"])
    missing = client.get(reverse("directives:report_attachment", args=[report.pk + 999]))
    refused = client.get(url)
    assert refused.status_code == missing.status_code == 404
    assert client.get("/media/" + report.attachment.name).status_code == 404


def test_council_member_cannot_comment(world, client):
    with pytest.raises(NotAllowed):
        services.task_comment_create(actor=world["council"], task=world["task"], text="Góp ý")
    assert services.task_comment_create(actor=world["specialist"], task=world["task"], text="Đã nhận").pk
    client.force_login(world["council"])
    page = client.get(reverse("directives:task_detail", args=[world["task"].pk])).content.decode()
    assert 'value="comment"' not in page


def test_patch_deadline_2101_is_refused_and_not_saved(world, client):
    """Issue 13: it answered 500 *and* saved, and then every directive page of that scope was a 500."""
    from congvu.api.models import ApiToken

    _, token = ApiToken.issue(user=world["clerk"], name="t")
    task = world["task"]
    r = client.patch(f"/api/directives/tasks/{task.pk}", {"expected_version": task.version, "deadline": "2101-01-01"},
                     content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 400 and "1900" in r.json()["message"]
    task.refresh_from_db()
    assert task.deadline.year == 2024


def test_a_bad_stored_deadline_cannot_break_the_pages(world, client):
    import datetime as dt

    from congvu.directives.models import Task

    Task.objects.filter(pk=world["task"].pk).update(deadline=dt.date(2150, 1, 1))  # e.g. an old import
    client.force_login(world["clerk"])
    for url in ("/directives/", "/directives/?view=all", f"/directives/tasks/{world['task'].pk}/", "/directives/stats/"):
        assert client.get(url).status_code == 200, url
