"""The full emulation cycle in headless chromium: launch → pledge → nominate → vote → decide → certificate.

The movement is launched, the unit pledges and nominates, and the round goes through its public
disclosure to the council with the emulation services (their pages belong to the emulation officer's
and units' screens); then, in the browser: the officer convenes the council, three members sign in
and vote (a secret ballot for CSTĐ cấp tỉnh, an open one for LĐTT), the officer closes, publishes,
issues the award decision and downloads the certificate PDF.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from emu_factories import staffed_person

from browser.conftest import chromium_browser  # noqa: F401  (the shared Debian chromium fixture)
from congvu.emulation import services as es
from congvu.emulation.models import AwardRecord, Candidate, RoundState
from congvu.emulation.models_council import BallotParticipation, CouncilItem
from congvu.emulation.rules import reward
from congvu.org.roles import Role
from factories import make_unit, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-pass-123"


def _cycle_until_council():
    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    dept = make_unit("Sở Nội vụ", parent=province, code="51-SNV")
    officer = make_user_with_role(Role.EMULATION_OFFICER, province, "thiduakt")
    leader = make_user_with_role(Role.UNIT_LEADER, dept, "lanhdao")
    members = [make_user_with_role(Role.COUNCIL_MEMBER, province, f"hoidong{i}") for i in range(3)]
    star = staffed_person(dept, name="Lê Thị Sao", ratings={2022: "excellent", 2023: "excellent", 2024: "excellent"})
    for _ in range(2):
        staffed_person(dept, ratings={2024: "good"})
    es.unit_year_record_set(actor=officer, unit=dept, year=2024, rating="excellent")
    for year in (2022, 2023, 2024):
        es.award_record_create(actor=officer, person=star, title_code="CSTDCS", year=year)
    ini = es.initiative_propose(actor=officer, unit=dept, title="Tra cứu hồ sơ bằng mã QR", authors=[star], year=2024)
    es.initiative_review(actor=officer, initiative=ini, recommends=True, reviewed_on=dt.date(2024, 11, 1))
    es.initiative_recognise(actor=officer, initiative=ini, decision_number="88/QĐ-UBND",
                            recognised_on=dt.date(2024, 11, 15), scope="tinh", replicable=True)

    # launch
    movement = es.movement_create(actor=officer, unit=province, name="Thi đua đẩy mạnh cải cách hành chính năm 2024",
                                  year=2024, period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
                                  kind="thematic", theme="Đẩy mạnh cải cách hành chính",
                                  pledge_titles=["LDTT", "CSTD_TINH", "TTLDTT"])
    es.criterion_add(actor=officer, movement=movement, name="Hoàn thành nhiệm vụ chuyên môn", weight=100)
    movement = es.movement_launch(actor=officer, movement=movement, launched_on=dt.date(2024, 2, 1))
    # pledge
    pledge = es.pledge_register(actor=leader, movement=movement, subject="unit", unit=dept, titles=["TTLDTT"])
    es.pledge_sign(actor=leader, pledge=pledge, signed_by="Giám đốc Sở Nội vụ")
    # nominate
    rnd = es.round_open(actor=officer, unit=province, year=2024, titles=["LDTT", "CSTD_TINH"])
    for title in ("CSTD_TINH", "LDTT"):
        cand = Candidate.objects.get(round=rnd, person=star, title_code=title)
        assert cand.verdict != "not_eligible", cand.verdict_detail
        cand = es.candidate_nominate(actor=leader, candidate=cand)
        es.candidate_update(actor=officer, candidate=cand, checklist={k: True for k in cand.checklist})
    rnd = es.round_disclose(actor=officer, round=rnd, start=dt.date(2024, 12, 2))
    rnd = es.round_submit(actor=officer, round=rnd, on=rnd.disclosure_end + dt.timedelta(days=3))
    assert rnd.state == RoundState.COUNCIL
    return {"province": province, "officer": officer, "members": members, "round": rnd, "star": star}


def _login(browser, base: str, username: str):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/login/?next=/emulation/council/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    return context, page


def test_full_cycle_in_the_browser(live_server, chromium_browser):  # noqa: F811
    from playwright.sync_api import expect

    setup = _cycle_until_council()
    base = live_server.url
    external: list[str] = []

    # the officer convenes the council for the round
    officer_ctx, page = _login(chromium_browser, base, "thiduakt")
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
    expect(page).to_have_url(re.compile(r"/emulation/council/$"))
    page.get_by_role("link", name="Triệu tập hội đồng").click()
    expect(page.locator("#convene-form")).to_be_visible()
    page.fill("#id_location", "Hội trường UBND tỉnh")
    page.click("#convene-form button[type=submit]")
    expect(page.locator("#session-state")).to_have_text("Đã triệu tập")
    session_url = page.url
    expect(page.locator("#item-table")).to_contain_text("Bỏ phiếu kín")
    expect(page.locator("#item-table")).to_contain_text("Biểu quyết công khai")
    page.click("#start-voting")
    expect(page.locator("#session-state")).to_have_text("Đang bỏ phiếu")

    # three members vote from their own accounts
    for i, user in enumerate(setup["members"]):
        ctx, mpage = _login(chromium_browser, base, user.get_username())
        mpage.goto(session_url)
        rows = mpage.locator("#item-table tbody tr")
        expect(rows).to_have_count(2)
        for r in range(2):
            choice = "no" if (i == 2 and r == 1) else "yes"  # one "no" on the open LĐTT vote
            rows.nth(r).locator(f"input[type=radio][value={choice}]").check()
        mpage.click("#submit-ballot")
        expect(mpage.locator(".messages")).to_contain_text("Đã ghi nhận phiếu")
        expect(mpage.locator("#item-table")).to_contain_text("Bạn đã bỏ phiếu")
        ctx.close()
    assert BallotParticipation.objects.count() == 6

    # the officer closes and publishes
    page.goto(session_url)
    expect(page.locator("#item-table")).to_contain_text("3/3")
    page.click("#close-voting")
    expect(page.locator("#session-state")).to_have_text("Đã kết thúc bỏ phiếu")
    expect(page.locator("#item-table")).to_contain_text("3/3 thành viên đồng ý")
    page.fill("#id_minutes_number", "05/BB-HĐTĐKT")
    page.click("#publish-results")
    expect(page.locator("#session-state")).to_have_text("Đã công bố kết quả")
    with page.expect_download() as minutes:
        page.click("#minutes-docx")
    assert minutes.value.suggested_filename.endswith(".docx")
    secret = CouncilItem.objects.get(title_code="CSTD_TINH")
    assert (secret.yes, secret.approved) == (3, True)

    # decide: CSTĐ cấp tỉnh by the provincial chairman
    form = page.locator("form.decision-form[data-title=CSTD_TINH]")
    form.locator("input[name=number]").fill("1234/QĐ-UBND")
    form.locator("select[name=authority]").select_option("chu_tich_ubnd_tinh")
    form.locator("select[name=issuer]").select_option(label="Tỉnh Quảng Ngãi")
    form.locator("input[name=signer_name]").fill("Đặng Văn Minh")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("1234/QĐ-UBND")
    amount = reward("CSTD_TINH", dt.date.today()).amount
    expect(page.locator("#amount-each")).to_contain_text(str(amount))
    award = AwardRecord.objects.get(title_code="CSTD_TINH", decision_number="1234/QĐ-UBND")
    assert award.person_id == setup["star"].pk and int(award.amount) == amount

    # certificate and decision downloads
    with page.expect_download() as cert:
        page.locator(".certificate-link").first.click()
    path = cert.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    with page.expect_download() as docx:
        page.click("#decision-docx")
    assert docx.value.suggested_filename.endswith(".docx")
    officer_ctx.close()
    assert external == [], external
