"""End to end: a citizen files online a procedure whose fee must be paid before processing, an officer
accepts it at the desk, the citizen looks it up, pays through the demo provider, the officer processes
and returns it, the notification worker delivers the citizen's messages to the fake SMS / Zalo gateway
once each, and the citizen rates the handling. Then: the gateway down for a dossier's whole flow."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from congvu.citizen import services as cs
from congvu.citizen.models import OnlineSubmission, Rating, SubmissionStatus
from congvu.notifications.models import OutboxMessage, OutboxStatus
from congvu.notifications.providers import provider_message_id
from congvu.notifications.services import notifications_dispatch
from congvu.onestop import services as s
from congvu.onestop.models import Dossier
from congvu.org.roles import Role
from congvu.payments import services as ps
from congvu.payments.models import EReceipt, Fee, Payment
from congvu.payments.providers import get_provider
from factories import make_unit, make_user_with_role
from notifications.notif_helpers import drain

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PHONE, PHONE_AT_GATEWAY = "0905 123 456", "84905123456"


def fee_world():
    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    commune = make_unit("Xã Ba Bích", kind="commune", parent=province, code="51-BB")
    desk = make_unit("Bộ phận một cửa xã Ba Bích", kind="onestop_desk", parent=commune, code="H55.08.26")
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(
        code="1.000893", name="Đăng ký kết hôn có yếu tố nước ngoài", field=field, level="commune",
        processing_time=5, online_level="full", fee_amount=50000, fee_note="Lệ phí đăng ký kết hôn",
        components=[{"name": "Tờ khai đăng ký kết hôn", "originals": 1}],
        steps=[{"name": "Thẩm định", "share": "1"}])
    ps.fee_policy_set(procedure=proc, pay_before_processing=True)
    return desk, proc


def delivered_events(gateway, dossier: Dossier, phone: str = PHONE_AT_GATEWAY) -> Counter:
    """Template keys of the messages the gateway received for `phone`, counted once per delivery."""
    by_id = {provider_message_id(m, ch): m.template_key
             for m in OutboxMessage.objects.filter(group_key=f"dossier:{dossier.pk}") for ch in ("zalo", "sms")}
    got = [m for m in gateway.messages() if m["to"] == phone]
    assert all(m["id"] in by_id for m in got), got  # nothing the outbox did not send
    return Counter(by_id[m["id"]] for m in got)


def shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("CONGVU_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_accept_lookup_pay_process_notify_rate(live_server, chromium_browser, notify, gateway, settings,
                                                    tmp_path):
    from playwright.sync_api import expect

    settings.CONGVU_SITE_URL = live_server.url
    desk, proc = fee_world()
    make_user_with_role(Role.ONESTOP_OFFICER, desk, "motcua")
    url = live_server.url

    citizen = chromium_browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = citizen.new_page()

    # (a) online filing with an upload on the public page
    page.goto(f"{url}{reverse('citizen:procedure', args=[proc.code])}")
    expect(page.get_by_text("Tờ khai đăng ký kết hôn")).to_be_visible()
    page.click("#file-online")
    page.fill("#applicant_name", "Trần Thị Lan")
    page.fill("#applicant_id_number", "051190000123")
    page.fill("#applicant_phone", PHONE)
    page.locator("input[type=file]").first.set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("#submit-filing")
    expect(page.locator("#receipt-number")).to_have_text(re.compile(r"^TT-\d{6}-[A-Z0-9]{6}$"))
    receipt_number = page.locator("#receipt-number").inner_text()
    sub = OnlineSubmission.objects.get(receipt_number=receipt_number)
    assert sub.status == SubmissionStatus.SUBMITTED and sub.files.count() == 1 and sub.dossier_id is None

    # (b) the officer signs in through the login form and accepts at the citizen desk
    officer = chromium_browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    desk_page = officer.new_page()
    desk_page.goto(f"{url}{reverse('citizen:desk')}")
    desk_page.fill("#id_username", "motcua")
    desk_page.fill("#id_password", "secret-pass-123")
    desk_page.click("button[type=submit].primary")
    desk_page.get_by_role("link", name=receipt_number).click()
    desk_page.click("#accept")
    expect(desk_page.locator(".messages")).to_contain_text("Đã tiếp nhận hồ sơ H55.08.26-")
    sub.refresh_from_db()
    d = sub.dossier
    assert sub.status == SubmissionStatus.ACCEPTED and d.state == "received" and d.channel == "online"
    assert int(d.fee_amount) == 50000

    # Not paid yet: the transfer to processing is refused (payments' guard), the dossier stays received.
    dossier_url = f"{url}{reverse('onestop:dossier', args=[d.code])}"
    desk_page.goto(dossier_url)
    desk_page.click("#action-transfer summary")
    desk_page.locator("#action-transfer button[type=submit]").click()
    expect(desk_page.locator("#action-error")).to_contain_text("chờ thanh toán")
    d.refresh_from_db()
    assert d.state == "received"

    # (c) lookup: a wrong second factor gets the generic "not found"; the right one shows "awaiting payment"
    page.goto(f"{url}{reverse('citizen:lookup')}?code={d.code}")
    page.fill("#phone4", "0000")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-not-found")).to_contain_text("Không tìm thấy hồ sơ")
    assert d.code not in page.content()
    page.fill("#code", d.code)
    page.fill("#phone4", "3456")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-status")).to_contain_text("đã được tiếp nhận")
    expect(page.locator("#payment-status")).to_contain_text("Chờ thanh toán phí, lệ phí")
    expect(page.locator("#payment-status")).to_contain_text("50.000 đồng")
    expect(page.locator("#pay-online")).to_have_text("Thanh toán trực tuyến")
    shot(page, "lookup-awaiting-payment.png", tmp_path)

    # (d) pay through the demo provider: lookup button → fees page → demo gateway → return page
    page.click("#pay-online")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    expect(page.get_by_role("heading", name="Cổng thanh toán thử nghiệm")).to_be_visible()
    expect(page.get_by_text("50.000 đồng")).to_be_visible()
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "succeeded")
    receipt = EReceipt.objects.get(payment__dossier=d)
    expect(page.get_by_text(f"số {receipt.number_display}")).to_be_visible()
    payment = Payment.objects.get(dossier=d)
    assert payment.state == "succeeded" and payment.method == "online" and payment.amount == 50000
    assert list(Fee.objects.filter(dossier=d).values_list("state", flat=True)) == ["paid"]
    page.get_by_role("link", name="xem, in biên lai").click()
    expect(page.get_by_text(receipt.number_display).first).to_be_visible()

    page.goto(f"{url}{reverse('citizen:lookup')}?code={d.code}")
    page.fill("#phone4", "3456")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#payment-status")).to_contain_text("Đã thanh toán")
    expect(page.locator("#pay-online")).to_have_count(0)
    expect(page.locator("a.receipt-link")).to_have_count(1)

    # (e) the officer processes it to the result and returns it, on the dossier page
    desk_page.goto(dossier_url)
    for name, fill, done in (("transfer", None, "Đã chuyển hồ sơ"), ("step_complete", None, "Đã hoàn thành bước"),
                             ("record_result", ("#id_record_result-result_code", "12/2025/KH"),
                              "Đã ghi nhận kết quả"),
                             ("return_result", None, "Đã trả kết quả")):
        desk_page.click(f"#action-{name} summary")
        if fill:
            desk_page.fill(*fill)
        desk_page.locator(f"#action-{name} button[type=submit]").click()
        expect(desk_page.locator(".messages")).to_contain_text(done)
    d.refresh_from_db()
    assert d.state == "returned" and d.result_code == "12/2025/KH" and d.returned_at is not None
    assert Rating.objects.filter(dossier=d, used_at__isnull=True).count() == 1

    drain()  # the notification worker, until idle
    events = delivered_events(gateway, d)
    result_event = "ready_early" if "ready_early" in events else "ready"
    assert events == Counter({"dossier_received": 1, "payment_received": 1, result_event: 1,
                              "rating_invitation": 1}), events
    assert gateway.duplicates == 0
    outbox = OutboxMessage.objects.filter(group_key=f"dossier:{d.pk}")
    assert set(outbox.values_list("status", flat=True)) == {OutboxStatus.SENT}
    invitation = outbox.get(template_key="rating_invitation")
    assert invitation.context["code"] == d.code and invitation.context["url"].startswith(f"{url}/citizen/danh-gia/")

    # (f) the citizen follows the invitation, rates, and the link is then used up
    page.goto(invitation.context["url"])
    for key in ("contacts", "agencies", "one_stop", "publicity", "attitude"):
        page.locator(f"input[name={key}][value='2']").check()
    page.locator("input[name=overall][value='2']").check()
    page.click("#submit-rating")
    expect(page.locator("#rating-thanks")).to_contain_text(d.code)
    rating = Rating.objects.get(dossier=d)
    assert rating.used_at is not None and rating.overall == 2
    page.goto(f"{url}{reverse('citizen:lookup')}?code={d.code}")
    page.fill("#phone4", "3456")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-status")).to_contain_text("Đã trả kết quả")
    expect(page.get_by_text("Ông/bà đã đánh giá hồ sơ này")).to_be_visible()

    citizen.close()
    officer.close()


@pytest.mark.django_db
def test_gateway_down_for_a_whole_dossier_flow_then_back_every_message_once(notify, gateway):
    """Every message of one dossier (received, paid, result, rating invitation) meets a gateway that
    answers 503 on both channels for 40 minutes, then loses answers once, then recovers."""
    desk, proc = fee_world()
    gateway.set_mode("fail")
    sub = cs.submission_create(procedure=proc, unit=desk, applicant_name="Trần Thị Lan", applicant_phone=PHONE,
                               applicant_id_number="051190000123",
                               files={c.pk: _upload() for c in proc.components.all()})
    d = cs.submission_accept(actor=None, submission=sub)
    p, _start = ps.payment_start(dossier=d, return_url="http://x/{txn}", callback_url="http://x/cb")
    assert ps.payment_callback_receive(provider=p.provider,
                                       data=get_provider(p.provider).build_callback(p, status="succeeded")).ok
    d = s.dossier_transfer(dossier=Dossier.objects.get(pk=d.pk))
    d = s.dossier_step_complete(dossier=d)
    d = s.dossier_record_result(dossier=d, result_code="7/2025/KH")
    d = s.dossier_return(dossier=d)
    outbox = OutboxMessage.objects.filter(group_key=f"dossier:{d.pk}").order_by("id")
    keys = list(outbox.values_list("template_key", flat=True))
    assert keys[0] == "dossier_received" and keys[1] == "payment_received" and keys[-1] == "rating_invitation"
    assert len(keys) == 4

    start = now = timezone.now()
    while now < start + dt.timedelta(minutes=40):
        notifications_dispatch(now=now, batch=500)
        now += dt.timedelta(minutes=1)
    assert gateway.messages() == [] and gateway.state.errors > 0
    assert not outbox.filter(status=OutboxStatus.FAILED).exists()  # still retrying (SMS after Zalo)
    gateway.set_mode("drop")  # delivered, but the answer is lost: the retry must not deliver twice
    now = outbox.filter(next_attempt_at__gt=now).earliest("next_attempt_at").next_attempt_at
    notifications_dispatch(now=now, batch=500)
    gateway.set_mode("ok")
    drain(now)

    assert set(outbox.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert delivered_events(gateway, d) == Counter(keys)  # each once
    got = [m for m in gateway.messages() if m["to"] == PHONE_AT_GATEWAY]
    assert len({m["id"] for m in got}) == len(got) == 4 and gateway.duplicates >= 1
    order = {provider_message_id(m, ch): i for i, m in enumerate(outbox) for ch in ("zalo", "sms")}
    assert [order[m["id"]] for m in got] == [0, 1, 2, 3]  # in the order of the events


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("to-khai.pdf", PDF)
