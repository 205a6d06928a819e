"""The full emulation cycle in headless chromium: launch → pledge → nominate → vote → decide → certificate.

The records the rules need (ratings, earlier titles, a recognised initiative) are set up with the
services; everything else happens in the browser: the officer launches a movement, the department's
leader pledges and signs, the officer opens the round (engine verdicts), the leader nominates and
completes the dossiers, the officer discloses the list and submits it to the council, convenes the
council; three members sign in and vote (a secret ballot for CSTĐ cấp tỉnh, an open one for LĐTT);
the officer closes, publishes, issues the award decision and downloads the minutes, the decision and
the certificate PDF.
"""

from __future__ import annotations

import datetime as dt

import pytest
from emu_factories import staffed_person

from browser.conftest import chromium_browser  # noqa: F401  (the shared Debian chromium fixture)
from congvu.emulation import services as es
from congvu.emulation.models import AwardRecord, Candidate
from congvu.emulation.models_council import BallotParticipation, CouncilItem
from congvu.emulation.rules import reward
from congvu.org.roles import Role
from factories import make_unit, make_user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-pass-123"


def _records():
    """What the rules need and the officer would have imported: ratings, earlier CSTĐCS, a provincial initiative."""
    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")
    dept = make_unit("Sở Nội vụ", parent=province, code="51-SNV")
    officer = make_user_with_role(Role.EMULATION_OFFICER, province, "thiduakt")
    make_user_with_role(Role.UNIT_LEADER, dept, "lanhdao")
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
    return {"province": province, "dept": dept, "officer": officer, "members": members, "star": star}


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

    setup = _records()
    base = live_server.url
    external: list[str] = []

    # launch: the officer creates the movement, adds a criterion and launches it
    officer_ctx, page = _login(chromium_browser, base, "thiduakt")
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
    page.goto(f"{base}/emulation/")
    page.click("#new-movement")
    page.fill("#m-name", "Thi đua đẩy mạnh cải cách hành chính năm 2024")
    page.select_option("#m-kind", "thematic")
    page.fill("#m-theme", "Đẩy mạnh cải cách hành chính")
    page.fill("#m-year", "2024")
    page.fill("#m-start", "2024-01-01")
    page.fill("#m-end", "2024-12-31")
    page.locator("#movement-form input[name=pledge_titles][value=TTLDTT]").check()
    page.click("#movement-form button[type=submit]")
    expect(page.locator("#movement-state")).to_have_text("Dự thảo")
    movement_url = page.url
    page.fill("#c-name", "Hoàn thành nhiệm vụ chuyên môn")
    page.fill("#c-weight", "100")
    page.click("#add-criterion")
    expect(page.locator("#criteria")).to_contain_text("Hoàn thành nhiệm vụ chuyên môn")
    page.click("#launch")
    expect(page.locator("#movement-state")).to_have_text("Đã phát động")

    # pledge: the department's leader registers and signs
    leader_ctx, lpage = _login(chromium_browser, base, "lanhdao")
    lpage.goto(movement_url)
    lpage.select_option("#p-unit", label="Sở Nội vụ")
    lpage.locator("#pledge-form input[name=titles][value=TTLDTT]").check()
    lpage.click("#pledge-submit")
    lpage.locator("form.sign-form input[name=signed_by]").fill("Giám đốc Sở Nội vụ")
    lpage.locator("form.sign-form button[type=submit]").click()
    expect(lpage.locator("#registered")).to_contain_text("đã ký")

    # the officer opens the round: the engine pre-fills every verdict
    page.goto(f"{base}/emulation/")
    page.select_option("#round-unit", label="Tỉnh Quảng Ngãi")
    page.fill("#round-year", "2024")
    page.click("#round-form button[type=submit]")
    expect(page.locator("#round-state")).to_have_text("Đang bình xét")
    round_url = page.url

    # nominate: the leader proposes Lê Thị Sao for CSTĐ cấp tỉnh and LĐTT and completes the dossiers
    for title in ("CSTD_TINH", "LDTT"):
        cand = Candidate.objects.get(person=setup["star"], title_code=title)
        assert cand.verdict != "not_eligible", cand.verdict_detail
        lpage.goto(f"{base}/emulation/candidates/{cand.pk}/")
        lpage.click("#nominate")
        boxes = lpage.locator("#dossier-form input[name=items]")
        for i in range(boxes.count()):
            boxes.nth(i).check()
        lpage.click("#dossier-form button[type=submit]")
    leader_ctx.close()

    # public disclosure (10 working days for CSTĐ cấp tỉnh), then submission to the council
    page.goto(round_url)
    page.fill("input[name=start]", "2024-12-02")
    page.get_by_role("button", name="Công khai danh sách").click()
    expect(page.locator("#round-state")).to_have_text("Đang công khai")
    page.click("#submit-council")
    expect(page.locator("#round-state")).to_have_text("Trình Hội đồng")
    assert Candidate.objects.filter(nominated=True).count() == 2

    # the officer convenes the council for the round
    page.goto(f"{base}/emulation/council/")
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
