"""Components, result files and reuse of digitised data: files stored through Django's storage API,
checked by content (pdf / jpg / png) and size, nothing half-saved; reuse of an earlier digitised
result of the same citizen; the flags and the roll-ups follow."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congvu.api.models import ApiToken
from congvu.common.errors import DomainError
from congvu.onestop import services as s
from congvu.onestop.models import Dossier, DossierComponent, DossierResultFile
from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows, reusable_results_for
from factories import make_unit, make_user_with_role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 200

ID_NUMBER = "051190000123"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def stored_files(settings) -> list[str]:
    return [os.path.join(d, f) for d, _, fs in os.walk(settings.MEDIA_ROOT) for f in fs]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


@pytest.fixture
def procedure(desk):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune", processing_time=3,
        components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1},
                    {"name": "Giấy chứng sinh", "copies": 1, "must_digitize": True}],
        steps=[{"name": "Thẩm định", "share": "1", "unit": desk}],
    )


@pytest.fixture
def officer(desk):
    return make_user_with_role("onestop_officer", desk, "motcua_comp")


@pytest.fixture
def web(client, officer):
    client.force_login(officer)
    return client


def receive(procedure, desk, *, name="Nguyễn Thị Hoà", phone="0905123456", id_number=ID_NUMBER):
    return s.dossier_receive(procedure=procedure, unit=desk, applicant_name=name, applicant_phone=phone,
                             applicant_id_number=id_number, channel="in_person")


def stats(desk):
    today = timezone.localdate()
    return onestop_stats(unit=desk, date_from=today, date_to=today)


def comps(procedure):
    return list(procedure.components.order_by("order"))


def test_recorded_components_with_files(procedure, desk, officer, settings):
    d = receive(procedure, desk)
    tk, cs = comps(procedure)
    rows = s.dossier_components_record(actor=officer, dossier=d, items=[
        {"component_id": tk.pk, "received": True, "file": upload("to-khai.pdf", PDF)},
        {"component_id": cs.pk, "received": True, "digitized": True, "file": upload("chung-sinh.png", PNG)},
    ])
    assert [(r.name, r.kind, r.received, r.digitized, r.file_kind) for r in rows] == [
        ("Tờ khai đăng ký khai sinh", "original", True, True, "pdf"),
        ("Giấy chứng sinh", "copy", True, True, "png")]
    assert rows[0].file.name.startswith(f"onestop/dossiers/{d.pk}/components/")
    assert rows[0].file.open("rb").read() == PDF
    assert len(stored_files(settings)) == 2
    d.refresh_from_db()
    assert d.digitized_components and not d.reused_data and d.version == 2
    # Recorded again with a tick only: the row is updated in place and keeps its file.
    s.dossier_components_record(actor=officer, dossier=d, items=[{"component_id": tk.pk, "received": True}])
    assert DossierComponent.objects.filter(dossier=d).count() == 2
    assert DossierComponent.objects.get(dossier=d, component=tk).file_kind == "pdf"


def test_exe_renamed_pdf_is_refused_and_nothing_is_saved(procedure, desk, officer, settings):
    d = receive(procedure, desk)
    tk, cs = comps(procedure)
    with pytest.raises(DomainError) as exc:
        s.dossier_components_record(actor=officer, dossier=d, items=[
            {"component_id": tk.pk, "file": upload("to-khai.pdf", PDF)},
            {"component_id": cs.pk, "file": upload("giay-chung-sinh.pdf", EXE)},
        ])
    assert exc.value.code == "dossier.files_invalid"
    assert list(exc.value.details["files"].values()) == [
        "Tệp “giay-chung-sinh.pdf” là tệp chạy Windows (.exe, .dll); không nhận tệp chạy được."]
    assert not DossierComponent.objects.exists() and stored_files(settings) == []
    d.refresh_from_db()
    assert d.version == 1 and not d.digitized_components


def test_exe_on_the_receipt_form_refuses_the_receipt(web, procedure, desk, settings):
    tk, cs = comps(procedure)
    form = {"unit": desk.pk, "procedure": procedure.pk, "channel": "in_person", "applicant_name": "Hồ Văn Tiếp",
            "applicant_phone": "0988777666", "components": [tk.pk, cs.pk], "digitized": [tk.pk, cs.pk],
            f"file_{tk.pk}": upload("to-khai.pdf", PDF), f"file_{cs.pk}": upload("chung-sinh.pdf", EXE)}
    r = web.post("/onestop/receive/", form)
    assert r.status_code == 400
    assert "không nhận tệp chạy được" in r.content.decode()
    assert not Dossier.objects.exists() and stored_files(settings) == []

    form[f"file_{tk.pk}"], form[f"file_{cs.pk}"] = upload("to-khai.pdf", PDF), upload("chung-sinh.png", PNG)
    r = web.post("/onestop/receive/", form, follow=True)
    d = Dossier.objects.get()
    assert d.digitized_components and d.component_rows.exclude(file="").count() == 2
    assert r.redirect_chain[-1][0] == f"/onestop/d/{d.code}/?slip=1"
    row = d.component_rows.get(component=tk)
    assert f"/onestop/d/{d.code}/files/{row.pk}/" in r.content.decode()


def test_too_large_file_is_refused(procedure, desk, officer, settings):
    settings.CONGVU_ONESTOP_UPLOAD_MAX_BYTES = 1024 * 1024
    d = receive(procedure, desk)
    tk, _cs = comps(procedure)
    big = upload("to-khai.pdf", PDF + b"0" * (2 * 1024 * 1024))
    with pytest.raises(DomainError) as exc:
        s.dossier_components_record(actor=officer, dossier=d, items=[{"component_id": tk.pk, "file": big}])
    assert "vượt quá giới hạn 1 MB" in exc.value.message
    with pytest.raises(DomainError):
        s.dossier_result_file_attach(actor=officer, dossier=d, file=upload("kq.pdf", PDF + b"0" * (2 * 1024 * 1024)))
    assert not DossierComponent.objects.exists() and not DossierResultFile.objects.exists()
    assert stored_files(settings) == []


def _earlier_with_result(procedure, desk, officer, **kw):
    first = receive(procedure, desk, **kw)
    tk, cs = comps(procedure)
    s.dossier_components_record(actor=officer, dossier=first, items=[
        {"component_id": tk.pk, "received": True, "file": upload("to-khai.pdf", PDF)},
        {"component_id": cs.pk, "received": True, "file": upload("chung-sinh.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40)},
    ])
    s.dossier_transfer(dossier=first)
    s.dossier_record_result(dossier=first, result_code="KS-12")
    s.dossier_result_file_attach(actor=officer, dossier=first, file=upload("giay-khai-sinh.pdf", PDF))
    return first


def test_reuse_by_id_number_sets_reused_data_and_the_reuse_figure(procedure, desk, officer, settings):
    first = _earlier_with_result(procedure, desk, officer)
    second = receive(procedure, desk, name="Nguyễn Thị Hòa", phone="")  # other spelling, no phone: ID decides
    found = reusable_results_for(id_number=ID_NUMBER, exclude_dossier=second)
    assert [(r["type"], r["dossier"]) for r in found] == [("result", first.code), ("component", first.code),
                                                          ("component", first.code)]
    assert reusable_results_for(id_number="000000000000") == []
    before = stats(desk)["reuse"]
    files_before = len(stored_files(settings))
    tk, cs = comps(procedure)
    rows = s.dossier_components_record(actor=officer, dossier=second, items=[
        {"component_id": tk.pk, "received": True, "file": upload("to-khai.pdf", PDF)},
        {"component_id": cs.pk, "received": True, "reuse_result_id": first.pk},
    ])
    second.refresh_from_db()
    assert second.reused_data and second.digitized_components
    assert rows[1].reused_result_of == first and rows[1].file.name == first.result_file.file.name  # reference
    assert len(stored_files(settings)) == files_before + 1  # only the new tờ khai
    after = stats(desk)
    assert after["reuse"] == before + 1
    today = timezone.localdate()
    rows_figures = onestop_stats_from_rows(unit=desk, date_from=today, date_to=today)
    assert (after["reuse"], after["digitized"]) == (rows_figures["reuse"], rows_figures["digitized"])
    # Recording a fresh file instead of the reused one takes the reuse back, figures included.
    s.dossier_components_record(actor=officer, dossier=second, items=[
        {"component_id": cs.pk, "file": upload("chung-sinh.pdf", PDF)}])
    second.refresh_from_db()
    assert not second.reused_data and stats(desk)["reuse"] == before


def test_reuse_by_name_and_phone_and_not_of_another_citizen(procedure, desk, officer):
    first = _earlier_with_result(procedure, desk, officer, id_number="")
    other = receive(procedure, desk, name="Trần Văn Khác", phone="0911000111", id_number="")
    comp_row = first.component_rows.first()
    found = reusable_results_for(name="nguyen thi hoa", phone="0905 123 456")
    assert {r["dossier"] for r in found} == {first.code}
    assert reusable_results_for(name="Nguyễn Thị Hoà", phone="0905000000") == []
    tk, _cs = comps(procedure)
    with pytest.raises(DomainError) as exc:
        s.dossier_components_record(actor=officer, dossier=other, items=[
            {"component_id": tk.pk, "reuse_from_id": comp_row.pk}])
    assert exc.value.code == "dossier.reuse_not_found"
    same = receive(procedure, desk, name="NGUYỄN THỊ HOÀ", phone="0905123456", id_number="")
    [row] = s.dossier_components_record(actor=officer, dossier=same, items=[
        {"component_id": tk.pk, "reuse_from_id": comp_row.pk}])
    assert row.reused_from == comp_row and row.file.name == comp_row.file.name
    same.refresh_from_db()
    assert same.reused_data


def test_reuse_from_the_receipt_form(web, procedure, desk, officer):
    first = _earlier_with_result(procedure, desk, officer)
    tk, cs = comps(procedure)
    r = web.get("/onestop/procedures/components/", {"procedure": procedure.pk, "applicant_id_number": ID_NUMBER})
    assert f'name="reuse_{cs.pk}"' in r.content.decode() and f'value="r:{first.pk}"' in r.content.decode()
    form = {"unit": desk.pk, "procedure": procedure.pk, "channel": "in_person", "applicant_name": "Nguyễn Thị Hoà",
            "applicant_phone": "0905123456", "applicant_id_number": ID_NUMBER, "components": [tk.pk, cs.pk],
            "digitized": [tk.pk], f"reuse_{cs.pk}": f"r:{first.pk}"}
    r = web.post("/onestop/receive/", form)  # "Đã số hóa" ticked for the declaration without its file
    assert r.status_code == 400 and "Chưa có tệp: " in r.content.decode()
    form[f"file_{tk.pk}"] = upload("to-khai.pdf", PDF)
    r = web.post("/onestop/receive/", form, follow=True)
    assert r.status_code == 200
    d = Dossier.objects.exclude(pk=first.pk).get()
    assert d.reused_data and d.digitized_components
    assert d.component_rows.get(component=cs).reused_result_of == first
    assert f"tái sử dụng kết quả của hồ sơ {first.code}" in r.content.decode()


def test_result_file_attach(procedure, desk, officer, web, settings):
    d = receive(procedure, desk)
    tk, cs = comps(procedure)
    s.dossier_components_record(actor=officer, dossier=d, items=[
        {"component_id": c.pk, "received": True, "file": upload("a.pdf", PDF)} for c in (tk, cs)])
    assert stats(desk)["digitized"] == 0  # a written result is due: not digitised yet (766 indicator 4.2)
    s.dossier_transfer(dossier=d)
    row = s.dossier_result_file_attach(actor=officer, dossier=d, file=upload("ket-qua.pdf", PDF))
    assert row.file_kind == "pdf" and row.file.name.startswith(f"onestop/dossiers/{d.pk}/result/")
    d.refresh_from_db()
    assert d.digitized_result and d.digitized
    assert stats(desk)["digitized"] == 1
    s.dossier_record_result(dossier=d, result_code="KS-1")  # no e-result, but the file stays digitised
    d.refresh_from_db()
    assert d.digitized_result and stats(desk)["digitized"] == 1
    r = web.get(f"/onestop/d/{d.code}/result-file/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF and r["Content-Type"] == "application/pdf"
    # From the dossier page: a bad file is refused with its message.
    r = web.post(f"/onestop/d/{d.code}/result-file/upload/", {"result_file": upload("kq.pdf", EXE)})
    assert r.status_code == 400 and "không nhận tệp chạy được" in r.content.decode()
    r = web.post(f"/onestop/d/{d.code}/result-file/upload/", {"result_file": upload("kq.png", PNG)})
    assert r.status_code == 302
    assert DossierResultFile.objects.get(dossier=d).file_kind == "png"


def test_file_view_forbidden_out_of_scope(client, procedure, desk, officer, web):
    d = receive(procedure, desk)
    tk, _cs = comps(procedure)
    [row] = s.dossier_components_record(actor=officer, dossier=d, items=[
        {"component_id": tk.pk, "file": upload("to-khai.pdf", PDF)}])
    url = f"/onestop/d/{d.code}/files/{row.pk}/"
    r = web.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["X-Content-Type-Options"] == "nosniff"
    outsider = make_user_with_role("onestop_officer", make_unit("Một cửa xã khác", kind="onestop_desk"), "ngoai")
    client.force_login(outsider)
    assert client.get(url).status_code == 404  # out of scope reads like not found
    assert client.get(f"/onestop/d/{d.code}/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    with pytest.raises(DomainError):
        s.dossier_components_record(actor=outsider, dossier=d, items=[
            {"component_id": tk.pk, "file": upload("x.pdf", PDF)}])


def test_api_component_upload_and_reusable(client, procedure, desk, officer, settings):
    first = _earlier_with_result(procedure, desk, officer)
    d = receive(procedure, desk)
    tk, cs = comps(procedure)
    _, token = ApiToken.issue(user=officer, name="desk")
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = client.get("/api/onestop/reusable", {"id_number": ID_NUMBER}, **h)
    assert r.status_code == 200, r.content
    assert {i["dossier"] for i in r.json()} == {first.code} and r.json()[0]["key"] == f"r:{first.pk}"
    r = client.post(f"/api/onestop/dossiers/{d.code}/components",
                    {"component_id": tk.pk, "file": upload("to-khai.pdf", PDF)}, **h)
    assert r.status_code == 200, r.content
    assert r.json()[0]["file_kind"] == "pdf" and r.json()[0]["url"].endswith(f"/files/{r.json()[0]['id']}/")
    r = client.post(f"/api/onestop/dossiers/{d.code}/components",
                    {"component_id": cs.pk, "file": upload("chung-sinh.pdf", EXE)}, **h)
    assert r.status_code == 400 and "không nhận tệp chạy được" in r.json()["message"]
    r = client.post(f"/api/onestop/dossiers/{d.code}/components",
                    {"component_id": cs.pk, "reuse_result_id": first.pk}, **h)
    assert r.status_code == 200, r.content
    d.refresh_from_db()
    assert d.reused_data and d.digitized_components
    r = client.post(f"/api/onestop/dossiers/{d.code}/result-file", {"file": upload("kq.pdf", PDF)}, **h)
    assert r.status_code == 201 and r.json()["digitized_result"] is True


def test_cross_unit_reuse_is_audited_and_shown_to_the_citizen(client, procedure, desk, officer, commune):
    """Issue 13: an officer of another desk types the citizen's ID number and reuses a document that
    another unit received. Allowed (TT 01/2023), but audited and shown on the citizen's lookup page."""
    from congvu.audit.models import AuditEntry

    first = _earlier_with_result(procedure, desk, officer)
    other_desk = make_unit("Trung tâm PVHCC xã khác", kind="onestop_desk", parent=commune, code="H55.01.99")
    other_officer = make_user_with_role("onestop_officer", other_desk, "motcua_khac")
    found = reusable_results_for(id_number=ID_NUMBER)
    from congvu.onestop.reuse import reuse_search_audit

    reuse_search_audit(actor=other_officer, items=found, id_number=ID_NUMBER, unit=other_desk)
    assert AuditEntry.objects.filter(action="dossier:reuse_search").count() == 1
    second = s.dossier_receive(procedure=procedure, unit=other_desk, applicant_name="Nguyễn Thị Hoà",
                               applicant_phone="0911000111", applicant_id_number=ID_NUMBER, channel="in_person")
    tk, cs = comps(procedure)
    from congvu.audit.context import acting_as

    with acting_as(other_officer):  # as the web request (AuditActorMiddleware) or an API token sets it
        s.dossier_components_record(actor=other_officer, dossier=second, items=[
            {"component_id": cs.pk, "received": True, "reuse_result_id": first.pk}])
    entry = AuditEntry.objects.get(action="dossier:reuse")
    assert entry.after["cross_unit"] is True and entry.after["source_dossier"] == first.code
    assert entry.after["source_unit"] == desk.name and entry.actor_label == "motcua_khac"
    page = client.post("/citizen/tra-cuu/", {"code": first.code, "phone4": "3456"}).content.decode()
    assert 'id="reuses"' in page and other_desk.name in page and "đơn vị khác" in page
    page2 = client.post("/citizen/tra-cuu/", {"code": second.code, "phone4": "0111"}).content.decode()
    assert desk.name in page2 and 'id="reuses"' in page2


def test_digitised_without_file_is_refused_by_the_service(procedure, desk, officer):
    """A tick alone never counts as digitised (it would inflate the published 766 figure)."""
    d = receive(procedure, desk)
    tk, cs = comps(procedure)
    with pytest.raises(DomainError) as exc:
        s.dossier_components_record(actor=officer, dossier=d, items=[
            {"component_id": tk.pk, "received": True, "digitized": True},
            {"component_id": cs.pk, "received": True, "file": upload("cs.pdf", PDF)}])
    assert exc.value.code == "dossier.digitized_without_file" and tk.name in exc.value.message
    d.refresh_from_db()
    assert not d.component_rows.exists() and stats(desk)["digitized"] == 0
