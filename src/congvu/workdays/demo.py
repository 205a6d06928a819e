"""Demo step: load the shipped holiday schedules (2023–2027) into the editable table."""

from __future__ import annotations

from typing import Any, TextIO

from congvu.workdays.services import calendar_overrides_load_shipped


def load(*, stdout: TextIO | None = None) -> Any:
    result = calendar_overrides_load_shipped()
    if stdout is not None:
        stdout.write(
            f"Lịch làm việc: {len(result.created)} ngày mới, {len(result.updated)} cập nhật, "
            f"{len(result.unchanged)} giữ nguyên, {len(result.kept_manual)} do quản trị sửa (giữ lại).\n"
        )
    return result
