"""Desk screens of the one-stop app (pytest-django client): queue tabs, search, receipt form,
dossier page actions with refusals and conflicts, bulk return, "my steps", dashboard."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congvu.onestop import services as s
from congvu.onestop.models import Dossier
from factories import make_unit, make_user_with_role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


@pytest.fixture
def procedure(desk):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune", processing_time=3,
        components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1},
                    {"name": "Giấy chứng sinh", "originals": 1}],
        steps=[{"name": "Thẩm định", "share": "0.6", "unit": desk}, {"name": "Ký duyệt", "share": "0.4"}],
    )


@pytest.fixture
def long_procedure(db):
    field = s.field_get_or_create(code="DD", name="Đất đai")
    return s.procedure_create(code="1.000001", name="Cấp giấy chứng nhận quyền sử dụng đất", field=field,
                              level="district", processing_time=30)


@pytest.fixture
def officer(desk):
    return make_user_with_role("onestop_officer", desk, "motcua")


@pytest.fixture
def web(client, officer):
    client.force_login(officer)
    return client


def receive(procedure, desk, name="Nguyễn Thị Hoà", phone="0905123456", at=None, **kw):
    return s.dossier_receive(procedure=procedure, unit=desk, applicant_name=name, applicant_phone=phone,
                             channel=kw.pop("channel", "in_person"), received_at=at, **kw)


def result_ready(procedure, desk, name, at=None):
    d = receive(procedure, desk, name=name, phone="", at=at)
    s.dossier_transfer(dossier=d)
    s.dossier_record_result(dossier=d, result_code="KS-1")
    return d


def codes(response):
    return {d.code for d in Dossier.objects.all() if f'data-code="{d.code}"' in response.content.decode()}


# ------------------------------------------------------------------------------------------------


def test_queue_tabs_list_the_right_dossiers(web, procedure, long_procedure, desk):
    past = timezone.now() - dt.timedelta(days=40)
    overdue = receive(procedure, desk, name="Trần Văn Quá", at=past)
    soon = receive(procedure, desk, name="Lê Thị Sớm")
    later = receive(long_procedure, desk, name="Phạm Văn Xa")
    paused = receive(procedure, desk, name="Đỗ Văn Chờ", at=past)
    s.dossier_request_supplement(dossier=paused, items="Bản sao giấy chứng sinh")
    ready = result_ready(procedure, desk, "Võ Thị Xong", at=past)
    other_desk = make_unit("Bộ phận một cửa xã khác", kind="onestop_desk")
    elsewhere = receive(procedure, other_desk, name="Ngoài Phạm Vi")

    r = web.get("/onestop/")
    assert r.status_code == 200
    assert codes(r) == {overdue.code, soon.code, later.code, paused.code}  # default tab: in process
    assert codes(web.get("/onestop/?tab=overdue")) == {overdue.code}
    assert codes(web.get("/onestop/?tab=due_soon")) == {soon.code}
    assert codes(web.get("/onestop/?tab=supplement")) == {paused.code}
    r = web.get("/onestop/?tab=to_return")
    assert codes(r) == {ready.code}
    assert "Trả kết quả các hồ sơ đã chọn" in r.content.decode()
    assert codes(web.get("/onestop/?tab=to_receive")) == set()
    body = web.get("/onestop/?tab=overdue").content.decode()
    assert "Quá hạn" in body and overdue.due_at.astimezone(timezone.get_current_timezone()).strftime(
        "%d/%m/%Y %H:%M") in body
    assert elsewhere.code not in web.get("/onestop/?q=ngoai pham vi").content.decode()


def test_search_without_diacritics_by_name_and_phone(web, procedure, desk):
    hoa = receive(procedure, desk, name="Nguyễn Thị Hoà", phone="0905123456")
    other = receive(procedure, desk, name="Trần Văn Bình", phone="0912000111")
    r = web.get("/onestop/", {"q": "nguyen thi hoa"})
    assert codes(r) == {hoa.code}
    r = web.get("/onestop/", {"q": "0912000"}, HTTP_HX_REQUEST="true")  # htmx: only the results fragment
    body = r.content.decode()
    assert codes(r) == {other.code} and "<html" not in body and 'id="queue"' in body
    assert codes(web.get("/onestop/", {"q": hoa.code[-11:]})) == {hoa.code}


def test_receive_via_form_shows_appointment_slip(web, procedure, desk):
    comps = list(procedure.components.values_list("pk", flat=True))
    form = {"unit": desk.pk, "procedure": procedure.pk, "channel": "in_person", "applicant_name": "Hồ Văn Tiếp",
            "applicant_phone": "0988777666", "components": [comps[0]]}
    r = web.post("/onestop/receive/", form)
    assert r.status_code == 400 and "Hồ sơ chưa đủ thành phần: Giấy chứng sinh" in r.content.decode()
    assert not Dossier.objects.exists()
    # "Đã số hóa" without the file is refused beside the field, nothing saved (issue 15).
    r = web.post("/onestop/receive/", {**form, "components": comps, "digitized": comps})
    assert r.status_code == 400 and "Chưa có tệp: Tờ khai đăng ký khai sinh; Giấy chứng sinh" in r.content.decode()
    assert not Dossier.objects.exists()
    files = {f"file_{pk}": SimpleUploadedFile(f"tp-{pk}.pdf", PDF) for pk in comps}
    r = web.post("/onestop/receive/", {**form, "components": comps, "digitized": comps, **files}, follow=True)
    d = Dossier.objects.get()
    assert d.applicant_name == "Hồ Văn Tiếp" and d.digitized_components and d.state == "received"
    body = r.content.decode()
    assert r.redirect_chain[-1][0] == f"/onestop/d/{d.code}/?slip=1"
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in body and d.code in body
    assert d.receipt_slip.content["due"] in body
    # The picker helpers (htmx).
    r = web.get("/onestop/procedures/", {"proc_q": "khai sinh"})
    assert "1.001193" in r.content.decode()
    r = web.get("/onestop/procedures/components/", {"procedure": procedure.pk})
    assert "Giấy chứng sinh" in r.content.decode()


def test_out_of_scope_dossier_reads_like_not_found(client, procedure, desk):
    """Issue 13: a refusal must not name the unit that owns an out-of-scope dossier."""
    d = receive(procedure, desk)
    outsider = make_user_with_role("onestop_officer", make_unit("Xã Tịnh Khê", kind="commune"))
    client.force_login(outsider)
    r = client.get(f"/onestop/d/{d.code}/")
    missing = client.get(f"/onestop/d/{d.code[:-4]}9999/")
    import re

    def bare(page, code):  # only the CSRF token and the typed address may differ
        text = page.content.decode().replace(code, "CODE")
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", text)

    assert r.status_code == missing.status_code == 404 and bare(r, d.code) == bare(missing, d.code[:-4] + "9999")
    assert desk.name not in r.content.decode() and "phạm vi" not in r.content.decode()
    r = client.post(f"/onestop/d/{d.code}/transfer/", {"transfer-version": d.version})
    assert r.status_code == 404
    d.refresh_from_db()
    assert d.state == "received"
    viewer = make_user_with_role("unit_leader", desk)
    client.force_login(viewer)
    r = client.get(f"/onestop/d/{d.code}/")
    assert r.status_code == 200 and "Bạn chỉ có quyền xem hồ sơ này." in r.content.decode()


def test_actions_follow_the_workflow_and_clock_pauses(web, procedure, desk):
    d = receive(procedure, desk)
    body = web.get(f"/onestop/d/{d.code}/").content.decode()
    assert 'id="action-transfer"' in body and 'id="action-return_result"' not in body
    r = web.post(f"/onestop/d/{d.code}/transfer/", {"transfer-version": 1}, follow=True)
    assert "Đã chuyển hồ sơ đến bước xử lý." in r.content.decode()
    r = web.post(f"/onestop/d/{d.code}/request_supplement/",
                 {"request_supplement-version": 2, "request_supplement-items": "Bản sao giấy chứng sinh"}, follow=True)
    body = r.content.decode()
    assert 'id="clock-paused"' in body and "tạm dừng" in body and "Bản sao giấy chứng sinh" in body
    assert 'id="action-supplement_received"' in body and 'id="action-request_supplement"' not in body


def test_stale_version_conflict_keeps_input(web, procedure, desk):
    d = receive(procedure, desk)
    s.dossier_transfer(dossier=d)  # someone else acted: version 2
    r = web.post(f"/onestop/d/{d.code}/request_supplement/",
                 {"request_supplement-version": 1, "request_supplement-items": "Giấy chứng sinh bản chính",
                  "request_supplement-reason": "Thiếu bản chính"})
    assert r.status_code == 409
    body = r.content.decode()
    assert "vừa được người khác xử lý" in body
    assert "Giấy chứng sinh bản chính" in body and 'value="Thiếu bản chính"' in body
    assert 'name="request_supplement-version" value="2"' in body  # a second submit is a deliberate retry
    d.refresh_from_db()
    assert d.state == "transferred" and d.supplement_count == 0


def test_conflict_when_action_no_longer_possible_still_shows_input(web, procedure, desk):
    d = receive(procedure, desk)
    s.dossier_withdraw(dossier=d, reason="Công dân rút")
    r = web.post(f"/onestop/d/{d.code}/stop/", {"stop-version": 1, "stop-reason": "Hồ sơ giả mạo"})
    assert r.status_code == 409
    body = r.content.decode()
    assert 'id="lost-input"' in body and "Hồ sơ giả mạo" in body


def test_refused_transition_shows_vietnamese_reason(web, procedure, desk):
    d = receive(procedure, desk)
    s.dossier_transfer(dossier=d)
    r = web.post(f"/onestop/d/{d.code}/return_result/", {"return_result-version": d.version,
                                                          "return_result-method": "desk"})
    assert r.status_code == 400
    assert "Hồ sơ chưa có kết quả giải quyết nên chưa thể trả kết quả." in r.content.decode()
    r = web.post(f"/onestop/d/{d.code}/stop/", {"stop-version": d.version, "stop-reason": ""})
    assert r.status_code == 400 and "Cần nêu rõ lý do." in r.content.decode()
    s.dossier_request_supplement(dossier=d, items="Giấy chứng sinh")
    s.dossier_supplement_received(dossier=d)
    r = web.post(f"/onestop/d/{d.code}/request_supplement/",
                 {"request_supplement-version": d.version, "request_supplement-items": "Thêm nữa"})
    assert r.status_code == 400 and "chỉ được yêu cầu bổ sung, hoàn thiện hồ sơ một lần" in r.content.decode()
    assert "Thêm nữa" in r.content.decode()


def test_full_path_through_the_page(web, procedure, desk):
    d = receive(procedure, desk)
    v = 1
    for name, extra in [("transfer", {}), ("step_complete", {"note": "Đủ điều kiện"}), ("step_complete", {}),
                        ("record_result", {"result_code": "123/GKS", "e_result": "on"}),
                        ("return_result", {"method": "post"}), ("close", {})]:
        data = {f"{name}-version": v, **{f"{name}-{k}": val for k, val in extra.items()}}
        r = web.post(f"/onestop/d/{d.code}/{name}/", data)
        assert r.status_code == 302, (name, r.content.decode()[:2000])
        v += 1
    d.refresh_from_db()
    assert d.state == "closed" and d.result_code == "123/GKS" and d.e_result
    body = web.get(f"/onestop/d/{d.code}/").content.decode()
    assert "Hoàn thành bước xử lý" in body and "Đủ điều kiện" in body and 'id="result-slip"' in body


def test_bulk_return_partial_success(web, procedure, desk):
    a = result_ready(procedure, desk, "Một")
    b = result_ready(procedure, desk, "Hai")
    c = result_ready(procedure, desk, "Ba")
    s.dossier_return(dossier=c)  # already returned by a colleague
    stale = result_ready(procedure, desk, "Bốn")
    r = web.post("/onestop/bulk-return/", {"method": "desk", "pick": [
        f"{a.code}:{a.version}", f"{b.code}:{b.version}", f"{c.code}:{c.version - 1}",
        f"{stale.code}:{stale.version - 1}", "KHONG-CO:1"]})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Đã trả 2 hồ sơ, không trả được 3 hồ sơ." in body
    assert "vừa được người khác xử lý" in body and "Không tìm thấy hồ sơ KHONG-CO." in body
    assert set(Dossier.objects.filter(state="returned").values_list("code", flat=True)) == {a.code, b.code, c.code}
    r = web.post("/onestop/bulk-return/", {"method": "desk"})
    assert r.status_code == 302


def test_return_method_is_recorded_and_invalid_refused(web, procedure, desk):
    from congvu.common.errors import DomainError

    posted = result_ready(procedure, desk, "Gửi bưu điện")
    r = web.post("/onestop/bulk-return/", {"method": "post", "pick": [f"{posted.code}:{posted.version}"]})
    assert r.status_code == 200
    posted.refresh_from_db()
    assert posted.state == "returned" and posted.return_method == "post"
    other = result_ready(procedure, desk, "Sai hình thức")
    with pytest.raises(DomainError) as exc:
        s.dossier_return(dossier=other, method="fax")
    assert exc.value.code == "dossier.return_method_invalid"
    other.refresh_from_db()
    assert other.state != "returned" and other.return_method == ""


def test_my_steps_lists_dossiers_at_steps_of_my_units(web, procedure, desk, long_procedure):
    mine = receive(procedure, desk)
    s.dossier_transfer(dossier=mine)  # step 1 (Thẩm định) belongs to the desk
    second = receive(procedure, desk, name="Bước hai")
    s.dossier_transfer(dossier=second)
    s.dossier_step_complete(dossier=second)  # step 2 has no responsible unit
    r = web.get("/onestop/my-steps/")
    assert r.status_code == 200 and codes(r) == {mine.code}
    assert "Thẩm định" in r.content.decode()


def test_dashboard_shows_figures_and_chart_data(web, procedure, desk):
    receive(procedure, desk, channel="online")
    receive(procedure, desk)
    today = timezone.localdate()
    r = web.get("/onestop/stats/", {"from": f"01/01/{today.year}", "to": today.strftime("%d/%m/%Y")})
    assert r.status_code == 200
    body = r.content.decode()
    assert 'data-kpi="received">2<' in body and 'data-kpi="online">1<' in body
    assert 'id="onestop-charts"' in body and "chart.umd.min.js" in body
    assert f"{today.month:02d}/{today.year}" in body
    r = web.get("/onestop/stats/", {"from": "khong-phai-ngay"})
    assert r.status_code == 200 and "Ngày không hợp lệ" in r.content.decode()


def test_navigation_shows_the_one_stop_entry(web):
    body = web.get("/").content.decode()
    assert 'data-module="onestop"' in body and 'href="/onestop/"' in body


def test_printable_forms_are_linked_and_downloadable(web, procedure, desk):
    d = receive(procedure, desk)
    body = web.get(f"/onestop/d/{d.code}/").content.decode()
    assert f'href="/onestop/d/{d.code}/forms/01.pdf"' in body
    r = web.get(f"/onestop/d/{d.code}/forms/01.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert f"mau-01-{d.code}.pdf" in r["Content-Disposition"]
    r = web.get(f"/onestop/d/{d.code}/forms/01.docx")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    r = web.get(f"/onestop/d/{d.code}/forms/03.pdf")  # no refusal: the reason, not a blank form
    assert r.status_code == 400
