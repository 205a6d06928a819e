"""Forms that respect the user (issue 15): every error at once beside its field, attached files kept
across a failed submit, the lookup keeps the typed code (in the browser: the answer stays identical)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congvu.citizen.models import OnlineSubmission, SubmissionFile
from congvu.citizen.views import form_token_new

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, procedure, token, files, **fields):
    data = {"applicant_name": "Nguyễn Thị Hoa", "applicant_phone": "0905123456", "applicant_id_number": "051190000123",
            "form_token": token, **fields}
    data.update(files)
    return client.post(reverse("citizen:file", args=[procedure.code]), data)


def test_every_error_at_once_and_files_kept_across_a_failed_submit(client, procedure, desk, commune):
    from factories import make_unit

    make_unit("Bộ phận một cửa khác", kind="onestop_desk", parent=commune, code="H55.01.13")  # two desks: must choose
    a, b = list(procedure.components.all())
    token = form_token_new()
    r = _post(client, procedure, token, {f"file_{a.pk}": SimpleUploadedFile("to-khai.pdf", PDF),
                                         f"file_{b.pk}": SimpleUploadedFile("chung-sinh.pdf", PDF)},
              applicant_phone="12", unit="")
    body = r.content.decode()
    assert r.status_code == 400
    # Both problems at once, each beside its field; the valid files are kept and said so.
    assert "Số điện thoại không hợp lệ" in body and "Hãy chọn nơi nộp hồ sơ." in body
    assert body.count('class="field-error"') == 2 and "có 2 mục cần sửa" in body
    assert "Đã giữ tệp «to-khai.pdf»" in body and "Đã giữ tệp «chung-sinh.pdf»" in body
    assert OnlineSubmission.objects.count() == 0
    # Second submit of the same form: no file attached again, the kept ones are filed.
    r = _post(client, procedure, token, {}, unit=str(desk.pk))
    assert r.status_code == 302
    sub = OnlineSubmission.objects.get()
    assert sorted(SubmissionFile.objects.filter(submission=sub).values_list("original_name", flat=True)) == [
        "chung-sinh.pdf", "to-khai.pdf"]
    from congvu.citizen import stash

    assert stash.stash_names(token) == {}


def test_kept_files_belong_to_their_form_only(client, procedure, desk):
    a, b = list(procedure.components.all())
    token = form_token_new()
    _post(client, procedure, token, {f"file_{a.pk}": SimpleUploadedFile("to-khai.pdf", PDF)})
    r = _post(client, procedure, form_token_new(), {f"file_{b.pk}": SimpleUploadedFile("chung-sinh.pdf", PDF)})
    assert r.status_code == 400 and "Chưa đính kèm" in r.content.decode() and "to-khai.pdf" not in r.content.decode()


def test_lookup_page_restores_the_typed_code_in_the_browser(client):
    r = client.post(reverse("citizen:lookup"), {"code": "H55.01.12-240304-0001", "phone4": "0000"})
    body = r.content.decode()
    assert r.status_code == 404 and 'id="lookup-form"' in body and "citizen/lookup.js" in body
    from django.contrib.staticfiles import finders

    script = open(finders.find("citizen/lookup.js"), encoding="utf-8").read()
    assert "sessionStorage" in script and "phone4" in script
