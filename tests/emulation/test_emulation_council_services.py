"""Council session, votes (open and secret, written votes of absent members), close, publish, minutes,
decision with money, revocation, register; every refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from council_helpers import make_setup
from docx import Document

from congvu.audit.models import AuditEntry
from congvu.common.errors import DomainError
from congvu.emulation import services_council as s
from congvu.emulation.documents import certificate_pdf, decision_docx, minutes_docx
from congvu.emulation.models import AwardRecord
from congvu.emulation.models_council import BallotParticipation, CouncilItem, OpenVote, SessionState
from congvu.emulation.selectors_council import awards_register, session_turnout
from congvu.org.services import unit_create, unit_lineage_create

pytestmark = pytest.mark.django_db


def _items(session):
    items = list(session.items.order_by("order"))
    return items[0], items[1]  # CSTD_TINH (secret), LDTT (open)


def _vote_all(setup, choices_secret, choices_open):
    secret, open_ = _items(setup["session"])
    for user, cs, co in zip(setup["members"], choices_secret, choices_open, strict=True):
        s.council_ballot_submit(actor=user, session=setup["session"], choices={secret.pk: cs, open_.pk: co})


def _text(blob: bytes) -> str:
    doc = Document(io.BytesIO(blob))
    parts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def test_items_take_ballot_and_threshold_from_the_rule_set():
    setup = make_setup()
    secret, open_ = _items(setup["session"])
    assert (secret.ballot, secret.approval_ratio, secret.approval_strict) == ("secret", "9/10", False)
    assert (open_.ballot, open_.approval_ratio, open_.approval_strict) == ("open", "1/2", True)
    assert setup["session"].quorum == "2/3"


def test_voting_needs_a_quorum():
    setup = make_setup(n_members=5)
    members = list(setup["session"].members.all())
    for m in members[:2]:
        s.council_member_presence(actor=setup["officer"], member=m, present=False)
    s.council_member_presence(actor=setup["officer"], member=members[2], present=False)  # 2/5 present
    with pytest.raises(DomainError, match="chưa đủ điều kiện họp"):
        s.council_voting_start(actor=setup["officer"], session=setup["session"])
    setup["session"].refresh_from_db()
    assert setup["session"].state == SessionState.OPEN


def test_full_vote_close_publish_and_minutes():
    setup = make_setup(n_members=5)
    session = s.council_voting_start(actor=setup["officer"], session=setup["session"])
    _vote_all(setup, ["yes"] * 5, ["yes", "yes", "yes", "no", "abstain"])
    assert session_turnout(session) == {i.pk: 5 for i in session.items.all()}
    s.council_close(actor=setup["officer"], session=session)
    secret, open_ = _items(session)
    assert (secret.yes, secret.no, secret.abstain, secret.approved) == (5, 0, 0, True)
    assert (open_.yes, open_.no, open_.abstain, open_.approved) == (3, 1, 1, True)
    s.council_publish(actor=setup["officer"], session=session, minutes_number="05/BB-HĐTĐKT")
    session.refresh_from_db()
    assert session.state == SessionState.PUBLISHED
    text = _text(minutes_docx(s.council_minutes_data(session)))
    assert "Số: 05/BB-HĐTĐKT" in text and "Bỏ phiếu kín" in text and "Biểu quyết công khai" in text
    assert "Trần Thị Lan 0" in text and "5/5 thành viên đồng ý" in text
    # open ballot names the voters; the secret one does not
    assert "Thành viên 3: Không đồng ý" in text.replace("+ ", "")


def test_secret_item_fails_below_ninety_percent_of_all_members_with_absent_written_votes():
    setup = make_setup(n_members=10)
    members = list(setup["session"].members.order_by("order"))
    s.council_member_presence(actor=setup["officer"], member=members[9], present=False)
    s.council_voting_start(actor=setup["officer"], session=setup["session"])
    secret, _open = _items(setup["session"])
    for user in setup["members"][:8]:
        s.council_vote_cast(actor=user, item=secret, choice="yes")
    # the absent member votes in writing from their own account
    s.council_vote_cast(actor=setup["members"][9], item=secret, choice="no")
    assert BallotParticipation.objects.get(item=secret, member=members[9]).written is True
    s.council_close(actor=setup["officer"], session=setup["session"])
    secret.refresh_from_db()
    assert (secret.yes, secret.no, secret.approved) == (8, 1, False)  # 8/10 < 90 %


def test_second_vote_and_vote_after_close_are_refused_and_change_nothing():
    setup = make_setup(n_members=3)
    session = s.council_voting_start(actor=setup["officer"], session=setup["session"])
    secret, open_ = _items(session)
    s.council_vote_cast(actor=setup["members"][0], item=secret, choice="yes")
    s.council_vote_cast(actor=setup["members"][0], item=open_, choice="yes")
    before = (BallotParticipation.objects.count(), OpenVote.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError, match="đã bỏ phiếu") as exc:
        s.council_vote_cast(actor=setup["members"][0], item=secret, choice="no")
    assert exc.value.code == "emulation.council.second_vote"
    with pytest.raises(DomainError, match="đã bỏ phiếu"):
        s.council_vote_cast(actor=setup["members"][0], item=open_, choice="no")
    secret.refresh_from_db()
    assert (secret.secret_yes, secret.secret_no) == (1, 0)
    # a ballot paper with one bad line is refused whole
    with pytest.raises(DomainError):
        s.council_ballot_submit(actor=setup["members"][1], session=session, choices={open_.pk: "yes", secret.pk: "maybe"})
    assert (BallotParticipation.objects.count(), OpenVote.objects.count(), AuditEntry.objects.count()) == before
    s.council_close(actor=setup["officer"], session=session)
    with pytest.raises(DomainError, match="đã kết thúc") as exc:
        s.council_vote_cast(actor=setup["members"][2], item=secret, choice="yes")
    assert exc.value.code == "emulation.council.closed"
    assert (BallotParticipation.objects.count(), OpenVote.objects.count()) == before[:2]


def test_non_member_cannot_vote():
    setup = make_setup(n_members=3)
    s.council_voting_start(actor=setup["officer"], session=setup["session"])
    secret, _ = _items(setup["session"])
    with pytest.raises(DomainError):
        s.council_vote_cast(actor=setup["officer"], item=secret, choice="yes")
    assert not BallotParticipation.objects.exists()


def test_officer_may_record_an_absent_members_written_open_vote_but_never_a_secret_one():
    setup = make_setup(n_members=4)
    members = list(setup["session"].members.order_by("order"))
    s.council_member_presence(actor=setup["officer"], member=members[3], present=False)
    s.council_voting_start(actor=setup["officer"], session=setup["session"])
    secret, open_ = _items(setup["session"])
    s.council_vote_cast(actor=setup["officer"], item=open_, choice="yes", member=members[3])
    assert OpenVote.objects.get(item=open_, member=members[3]).written
    with pytest.raises(DomainError, match="Phiếu kín chỉ do chính thành viên"):
        s.council_vote_cast(actor=setup["officer"], item=secret, choice="yes", member=members[3])


def _closed_session(n=5):
    setup = make_setup(n_members=n)
    s.council_voting_start(actor=setup["officer"], session=setup["session"])
    _vote_all(setup, ["yes"] * n, ["yes"] * n)
    s.council_close(actor=setup["officer"], session=setup["session"])
    return setup


def test_decision_creates_awards_with_money_of_the_decision_date():
    setup = _closed_session()
    secret, open_ = _items(setup["session"])
    d = s.decision_create(actor=setup["officer"], session=setup["session"], items=[open_], number="12/QĐ-SNV",
                          decided_on=dt.date(2024, 12, 20), authority="thu_truong_co_quan", issuer=setup["dept"],
                          signer_name="Lê Văn Ký", signer_title="Giám đốc")
    award = AwardRecord.objects.get(decision_line__decision=d)
    # LĐTT 0.3 × 2,340,000 = 702,000 → 710,000 (rounded up to 10,000)
    assert (d.base_salary, int(d.amount_each), int(award.amount)) == (2_340_000, 710_000, 710_000)
    assert d.rule_set == "nd98-2023" and "73/2024" in d.base_salary_source
    assert (award.title_code, award.year, award.source, award.person_id) == ("LDTT", 2024, "decision",
                                                                             setup["people"][1].pk)
    text = _text(decision_docx(s.decision_data(d)))
    assert "Số: 12/QĐ-SNV" in text and "710.000 đồng" in text and "Lao động tiên tiến" in text
    assert certificate_pdf(s.certificate_data(award)).startswith(b"%PDF")


def test_decision_refusals_change_nothing():
    setup = _closed_session()
    secret, open_ = _items(setup["session"])
    day = dt.date(2024, 12, 20)
    kw = {"actor": setup["officer"], "session": setup["session"], "decided_on": day, "issuer": setup["province"],
          "signer_name": "Lê Văn Ký", "signer_title": "Chủ tịch"}
    # a commune chairman may not award CSTĐ cấp tỉnh
    with pytest.raises(DomainError, match="không có thẩm quyền") as exc:
        s.decision_create(items=[secret], number="1/QĐ-UBND", authority="chu_tich_ubnd_xa", **kw)
    assert exc.value.code == "emulation.decision.authority"
    assert not AwardRecord.objects.exists()
    s.decision_create(items=[secret], number="2/QĐ-UBND", authority="chu_tich_ubnd_tinh", **kw)
    assert AwardRecord.objects.count() == 1
    # the same achievement a second time (another decision number)
    with pytest.raises(DomainError, match="một thành tích chỉ khen thưởng một lần"):
        s.decision_create(items=[secret], number="3/QĐ-UBND", authority="chu_tich_ubnd_tinh", **kw)
    assert AwardRecord.objects.count() == 1


def test_decision_before_close_is_refused():
    setup = make_setup(n_members=3)
    s.council_voting_start(actor=setup["officer"], session=setup["session"])
    secret, open_ = _items(setup["session"])
    with pytest.raises(DomainError, match="chưa kết thúc"):
        s.decision_create(actor=setup["officer"], session=setup["session"], items=[open_], number="1/QĐ",
                          decided_on=dt.date(2024, 12, 20), authority="thu_truong_co_quan", issuer=setup["dept"],
                          signer_name="A", signer_title="Giám đốc")


def test_revocation_with_clawback_then_award_again_allowed():
    setup = _closed_session()
    _secret, open_ = _items(setup["session"])
    d = s.decision_create(actor=setup["officer"], session=setup["session"], items=[open_], number="12/QĐ-SNV",
                          decided_on=dt.date(2024, 12, 20), authority="thu_truong_co_quan", issuer=setup["dept"],
                          signer_name="Lê Văn Ký", signer_title="Giám đốc")
    award = d.lines.get().award
    with pytest.raises(DomainError, match="lý do"):
        s.award_revoke(actor=setup["officer"], award=award, revoked_on=dt.date(2025, 3, 1), reason=" ")
    with pytest.raises(DomainError, match="Số tiền thu hồi"):
        s.award_revoke(actor=setup["officer"], award=award, revoked_on=dt.date(2025, 3, 1), reason="Khai man", clawback=10**9)
    award.refresh_from_db()
    assert award.revoked_on is None
    s.award_revoke(actor=setup["officer"], award=award, revoked_on=dt.date(2025, 3, 1), reason="Khai man thành tích")
    award.refresh_from_db()
    assert award.revoked_on == dt.date(2025, 3, 1) and int(award.clawback_amount) == 710_000
    with pytest.raises(DomainError, match="đã bị hủy bỏ"):
        s.award_revoke(actor=setup["officer"], award=award, revoked_on=dt.date(2025, 3, 2), reason="lần hai")


def test_register_search_without_accents_and_across_a_merger():
    setup = _closed_session()
    _secret, open_ = _items(setup["session"])
    s.decision_create(actor=setup["officer"], session=setup["session"], items=[open_], number="12/QĐ-SNV",
                      decided_on=dt.date(2024, 12, 20), authority="thu_truong_co_quan", issuer=setup["dept"],
                      signer_name="Lê Văn Ký", signer_title="Giám đốc")
    assert [a.person.full_name for a in awards_register(query="tran thi lan")] == ["Trần Thị Lan 1"]
    assert awards_register(query="12/QĐ").count() == 1
    # Sở Nội vụ merges into a new department in 2025: its awards stay in the successor's register
    dept = setup["dept"]
    dept.valid_to = dt.date(2025, 2, 28)
    dept.save(update_fields=["valid_to"])
    new = unit_create(code="51-SNVLD", name="Sở Nội vụ (hợp nhất)", kind="agency", parent=setup["province"],
                      valid_from=dt.date(2025, 3, 1))
    unit_lineage_create(predecessor=dept, successor=new, effective_on=dt.date(2025, 3, 1))
    assert awards_register(unit=new).count() == 1
    assert awards_register(unit=new, lineage=False).count() == 0


def test_vote_audit_never_records_a_secret_choice():
    setup = make_setup(n_members=3)
    s.council_voting_start(actor=setup["officer"], session=setup["session"])
    secret, _open = _items(setup["session"])
    s.council_vote_cast(actor=setup["members"][0], item=secret, choice="no")
    entry = AuditEntry.objects.filter(action="transition:vote").get()
    blob = f"{entry.before} {entry.after} {entry.note}"
    assert "no" not in (entry.after or {}).values() and "choice" not in (entry.after or {})
    assert "secret_no" not in blob
    assert CouncilItem.objects.get(pk=secret.pk).secret_no == 1


def test_session_only_for_a_round_submitted_to_the_council():
    from congvu.emulation.models import Round
    from congvu.emulation.models_council import CouncilSession

    setup = make_setup(n_members=2)
    rnd = Round.objects.create(year=2024, unit=setup["province"], rule_set="nd98-2023", state="disclosure")
    with pytest.raises(DomainError, match="trình Hội đồng") as exc:
        s.council_session_create(actor=setup["officer"], round=rnd, name="Họp", held_on=dt.date(2024, 12, 15),
                                 members=[{"name": "A"}], candidates=[])
    assert exc.value.code == "emulation.council.round_state"
    assert CouncilSession.objects.count() == 1


def test_decision_issuer_must_match_the_authority():
    setup = _closed_session()
    secret, _open = _items(setup["session"])
    with pytest.raises(DomainError, match="không phải cơ quan ban hành") as exc:
        s.decision_create(actor=setup["officer"], session=setup["session"], items=[secret], number="9/QĐ-UBND",
                          decided_on=dt.date(2024, 12, 20), authority="chu_tich_ubnd_tinh", issuer=setup["dept"],
                          signer_name="A", signer_title="Chủ tịch")
    assert exc.value.code == "emulation.decision.issuer" and not AwardRecord.objects.exists()
