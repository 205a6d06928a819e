"""Council vote arithmetic (Hội đồng Thi đua – Khen thưởng). Pure: no Django import.

The ballot form per title (open / secret), the approval threshold (a share of ALL council members,
not of those present) and the quorum are rule-set data (`congvu.emulation.rules`, spec §1.6: NĐ 91/2017
Điều 45.8 — secret ballot, ≥ 90 % of all members, absent members vote in writing; NĐ 98/NĐ 152
thresholds ❓ hence configuration). This module turns counts into results with the reason in
Vietnamese; the app stores the counts.

    q = quorum_check(rule_set, members=9, present=7)           # Quorum(met=True, required=6, …)
    t = Tally.of(["yes", "yes", "no", "abstain"])              # Tally(yes=2, no=1, abstain=1)
    r = outcome(rule_set.title_rules("CSTD_TINH"), t, members=9)  # Outcome(approved=False, required=9, …)
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from congvu.common.text import search_key

YES, NO, ABSTAIN = "yes", "no", "abstain"
CHOICES = (YES, NO, ABSTAIN)
CHOICE_VI = {YES: "Đồng ý", NO: "Không đồng ý", ABSTAIN: "Không biểu quyết"}
OPEN, SECRET = "open", "secret"
BALLOT_VI = {OPEN: "biểu quyết công khai", SECRET: "bỏ phiếu kín"}


class CouncilError(ValueError):
    """A refused vote or count, with the reason in Vietnamese."""


def choice_code(value: Any) -> str:
    """'yes' / 'đồng ý' / 'dong y' → 'yes' (and so on); anything else is refused with the reason."""
    text = search_key(str(value or ""))
    aliases = {
        YES: {"yes", "dong y", "tan thanh", "y", "1", "true"},
        NO: {"no", "khong dong y", "khong tan thanh", "n", "0", "false"},
        ABSTAIN: {"abstain", "khong bieu quyet", "phieu trang", "trang"},
    }
    for code, words in aliases.items():
        if text in words:
            return code
    raise CouncilError(f"Lựa chọn không hợp lệ: {value!r} (dùng: đồng ý, không đồng ý, không biểu quyết)")


@dataclass(frozen=True, slots=True)
class Quorum:
    met: bool
    members: int
    present: int
    required: int
    ratio: Fraction

    @property
    def text(self) -> str:
        pct = _pct(self.ratio)
        if self.met:
            return f"Có mặt {self.present}/{self.members} thành viên, đủ điều kiện họp (tối thiểu {self.required}, {pct})."
        return (f"Có mặt {self.present}/{self.members} thành viên, chưa đủ điều kiện họp "
                f"(cần tối thiểu {self.required}, {pct} tổng số thành viên).")


def _pct(ratio: Fraction) -> str:
    value = ratio * 100
    return f"{int(value)} %" if value.denominator == 1 else f"{float(value):.2f} %".replace(".", ",")


def quorum_required(ratio: Fraction, members: int) -> int:
    """Smallest number present that meets `ratio` of `members`."""
    return math.ceil(Fraction(members) * ratio) if members > 0 else 1


def quorum_check(rule_set: Any, *, members: int, present: int) -> Quorum:
    """Quorum over the council's members (rule_set.quorum, default 2/3 ❓ configuration)."""
    if members <= 0:
        raise CouncilError("Hội đồng chưa có thành viên.")
    if not 0 <= present <= members:
        raise CouncilError(f"Số thành viên có mặt ({present}) phải từ 0 đến {members}.")
    ratio = Fraction(rule_set.quorum)
    return Quorum(rule_set.quorum_met(present, members), members, present, quorum_required(ratio, members), ratio)


@dataclass(frozen=True, slots=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @classmethod
    def of(cls, choices: Iterable[str]) -> Tally:
        counts = {YES: 0, NO: 0, ABSTAIN: 0}
        for c in choices:
            counts[choice_code(c)] += 1
        return cls(counts[YES], counts[NO], counts[ABSTAIN])

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.yes + other.yes, self.no + other.no, self.abstain + other.abstain)

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain

    def as_dict(self) -> dict[str, int]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain, "total": self.total}


@dataclass(frozen=True, slots=True)
class Outcome:
    approved: bool
    tally: Tally
    members: int
    required: int
    ratio: Fraction
    strict: bool
    ballot: str

    @property
    def percent_of_members(self) -> float:
        return round(self.tally.yes * 100 / self.members, 2) if self.members else 0.0

    @property
    def text(self) -> str:
        rel = "trên" if self.strict else "từ"
        verdict = "ĐẠT" if self.approved else "KHÔNG ĐẠT"
        share = f"{self.percent_of_members:g}".replace(".", ",")
        return (f"{self.tally.yes}/{self.members} thành viên đồng ý ({share} % tổng số thành viên; "
                f"yêu cầu {rel} {_pct(self.ratio)}, tối thiểu {self.required} phiếu): {verdict}.")

    def as_dict(self) -> dict[str, Any]:
        return {"approved": self.approved, "tally": self.tally.as_dict(), "members": self.members,
                "required": self.required, "percent_of_members": self.percent_of_members,
                "threshold_percent": float(self.ratio * 100), "strict": self.strict, "ballot": self.ballot,
                "text": self.text}


def approval_required(ratio: Fraction, strict: bool, members: int) -> int:
    """Fewest 'yes' votes that pass: ≥ ratio × members, or > ratio × members when strict."""
    need = Fraction(members) * ratio
    if strict:
        return math.floor(need) + 1
    return math.ceil(need)


def outcome(title_rules: Any, tally: Tally, *, members: int) -> Outcome:
    """The result for one candidate: approval counted on ALL members (spec §1.6), written votes of
    absent members included in `tally`."""
    if members <= 0:
        raise CouncilError("Hội đồng chưa có thành viên.")
    if tally.total > members:
        raise CouncilError(f"Số phiếu ({tally.total}) nhiều hơn số thành viên hội đồng ({members}).")
    ratio = Fraction(title_rules.approval_ratio)
    strict = bool(title_rules.approval_strict)
    return Outcome(title_rules.approved(tally.yes, members), tally, members,
                   approval_required(ratio, strict, members), ratio, strict, title_rules.ballot)


def check_can_vote(*, state: str, is_member: bool, present: bool, written: bool, already_voted: bool,
                   member_name: str = "Thành viên") -> None:
    """Who may cast a vote now. `written`: a written vote of an absent member (phiếu bằng văn bản).
    Raises CouncilError with the reason; returns None when the vote may be cast."""
    if state != "voting":
        label = {"open": "chưa bắt đầu bỏ phiếu", "closed": "đã kết thúc bỏ phiếu",
                 "published": "đã công bố kết quả"}.get(state, f"ở trạng thái {state}")
        raise CouncilError(f"Phiên họp {label}: không nhận phiếu.")
    if not is_member:
        raise CouncilError("Chỉ thành viên hội đồng được bỏ phiếu.")
    if already_voted:
        raise CouncilError(f"{member_name} đã bỏ phiếu cho ứng viên này; mỗi thành viên chỉ một phiếu.")
    if written and present:
        raise CouncilError(f"{member_name} có mặt tại phiên họp: bỏ phiếu trực tiếp, không dùng phiếu bằng văn bản.")
    if not written and not present:
        raise CouncilError(f"{member_name} vắng mặt: chỉ nhận phiếu bằng văn bản.")


def shuffled(items: Sequence[Any], rng: random.Random | None = None) -> list[Any]:
    """A copy in random order (secret ballots are stored and shown in an order unrelated to who voted)."""
    out = list(items)
    (rng or random.SystemRandom()).shuffle(out)
    return out
