"""Versioned one-stop rule sets. Pure: no Django imports.

Every rule that /work/shared/spec/onestop.md marks uncertain ([M], [?], ⚠️, ❓) is a parameter
here, with the legal source it was taken from. A dossier stores the `version` of the rule set in
force on the day it was received (`rules_for(day)`), so a later change never re-judges old dossiers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OnestopRules:
    version: str
    effective_from: dt.date
    source: str
    # §2.3 step 2 / §2.6.4 [M]: paper dossiers received after this time count from the next working day.
    cutoff_time: dt.time = dt.time(15, 0)
    # Channels whose dossiers are "paper" for the cut-off rule [M].
    cutoff_channels: frozenset[str] = frozenset({"in_person", "postal"})
    # §2.6.2 [M]: online dossiers accepted outside office hours / on a day off count from the next working day.
    online_after_hours_next_day: bool = True
    # Office hours (for hour-based deadlines and the "outside hours" test) [?]: morning and afternoon.
    office_hours: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(7, 30), dt.time(11, 30)),
        (dt.time(13, 30), dt.time(17, 30)),
    )
    # Time of day of the promised return on the due date (Mẫu 01 prints hour and minute) [?].
    due_time: dt.time = dt.time(17, 0)
    # §2.3 step 1(b), §1.3 [V-3p]: supplement requested at most once; more than one ⇒ late.
    max_supplement_requests: int = 1
    # §2.3 step 4 [V practice]: apology no later than this many working days before the due date.
    apology_min_working_days_before_due: int = 1
    # §2.3 step 4 [M]: the return date may be re-set only once.
    max_reschedules: int = 1
    # 766 practice [?]: "trước hạn" = finished on a calendar day before the due date.
    early_means_before_due_date: bool = True
    # Dossier code §2.5: TT 01/2018 Điều 19 [V]; TT 03/2025 format not retrieved [?].
    code_format: str = "{prefix}-{yymmdd}-{seq:0{digits}d}"
    code_seq_digits: int = 4
    # Forms (§2.4).
    form_receipt: str = "Mẫu 01"
    form_supplement: str = "Mẫu 02"
    form_refusal: str = "Mẫu 03"
    form_apology: str = "Mẫu 04"
    form_apology_title: str = "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    form_stop: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def office_seconds_per_day(self) -> int:
        return sum(
            (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)).seconds
            for a, b in self.office_hours
        )


ND61_2018 = OnestopRules(
    version="nd61-2018",
    effective_from=dt.date(2018, 6, 21),
    source="NĐ 61/2018/NĐ-CP (sửa đổi bởi NĐ 107/2021/NĐ-CP); TT 01/2018/TT-VPCP",
)

ND118_2025 = OnestopRules(
    version="nd118-2025",
    effective_from=dt.date(2025, 7, 1),
    source="NĐ 118/2025/NĐ-CP (sửa đổi bởi NĐ 367/2025/NĐ-CP); TT 01/2018/TT-VPCP còn áp dụng về biểu mẫu [?]",
    notes=("Điều khoản NĐ 118 về tiếp nhận, chuyển hồ sơ chưa được đối chiếu; giữ quy tắc 15:00 của NĐ 61 [M].",),
)

TT03_2025 = OnestopRules(
    version="nd118-2025+tt03-2025",
    effective_from=dt.date(2025, 9, 15),
    source="NĐ 118/2025/NĐ-CP; TT 03/2025/TT-VPCP",
    form_apology_title="Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    form_stop="Mẫu 05",
    notes=("Định dạng mã hồ sơ theo TT 03/2025 chưa được đối chiếu; giữ định dạng TT 01/2018 [?].",),
)

RULE_SETS: tuple[OnestopRules, ...] = (ND61_2018, ND118_2025, TT03_2025)


def rules_for(day: dt.date, rule_sets: tuple[OnestopRules, ...] = RULE_SETS) -> OnestopRules:
    """The rule set in force on `day` (the latest one whose effective date is ≤ day)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    chosen = None
    for rules in sorted(rule_sets, key=lambda r: r.effective_from):
        if rules.effective_from <= day:
            chosen = rules
    return chosen or min(rule_sets, key=lambda r: r.effective_from)


def rules_by_version(version: str) -> OnestopRules:
    for rules in RULE_SETS:
        if rules.version == version:
            return rules
    raise KeyError(version)
