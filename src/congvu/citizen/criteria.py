"""Rating criteria (onestop.md §2.7, TT 01/2018 Chương III): each index 0 / 1 / 2 points.

Indices 1 and 2 (time against the legal limit, overall and per agency) are computed from the
dossier, not asked: the citizen cannot know the per-step budgets. Indices 3–9 are asked; 8 and 9
may be "không áp dụng". The overall question decides like / dislike for QĐ 766 indicator 5.4.
Pure: no Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    choices: tuple[tuple[int, str], ...]
    computed: bool = False
    optional: bool = False


_QUALITY = ((2, "Tốt"), (1, "Bình thường"), (0, "Chưa tốt"))

CRITERIA: tuple[Criterion, ...] = (
    Criterion("processing_time", "Thời gian giải quyết so với thời hạn quy định",
              ((2, "Sớm hơn"), (1, "Đúng hạn"), (0, "Trễ hạn")), computed=True),
    Criterion("agency_time", "Thời gian của từng cơ quan tham gia giải quyết so với thời gian được giao",
              ((2, "Sớm hơn"), (1, "Đúng hạn"), (0, "Trễ hạn")), computed=True),
    Criterion("contacts", "Số lần phải liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ (kể cả trực tuyến)",
              ((2, "Không lần nào"), (1, "Một lần"), (0, "Nhiều hơn một lần"))),
    Criterion("agencies", "Số cơ quan, đơn vị phải liên hệ để hoàn thiện hồ sơ",
              ((2, "Chỉ Bộ phận một cửa"), (1, "Thêm một cơ quan"), (0, "Từ hai cơ quan trở lên"))),
    Criterion("one_stop", "Tiếp nhận, giải quyết, trả kết quả qua Bộ phận một cửa", _QUALITY),
    Criterion("publicity", "Công khai thủ tục hành chính (thành phần hồ sơ, phí, thời hạn)", _QUALITY),
    Criterion("attitude", "Thái độ, tác phong của cán bộ, công chức", _QUALITY),
    Criterion("pakn", "Tiếp nhận, xử lý phản ánh, kiến nghị", _QUALITY, optional=True),
    Criterion("online", "Tiến độ, chất lượng dịch vụ công trực tuyến", _QUALITY, optional=True),
)
ASKED = tuple(c for c in CRITERIA if not c.computed)
OVERALL_CHOICES = ((2, "Rất hài lòng"), (1, "Hài lòng"), (0, "Không hài lòng"))

_VERDICT_POINTS = {"early": 2, "on_time": 1, "late": 0}


def time_points(verdict: str) -> int | None:
    return _VERDICT_POINTS.get(verdict)


def agency_points(step_verdicts: list[str], fallback: int | None) -> int | None:
    """2 if every step finished early, 0 if any was late, else 1; no steps → the overall figure."""
    judged = [v for v in step_verdicts if v in _VERDICT_POINTS]
    if not judged:
        return fallback
    if any(v == "late" for v in judged):
        return 0
    return 2 if all(v == "early" for v in judged) else 1
