"""Message templates per event, Vietnamese text. Pure: no Django imports.

A template renders a context dict into (subject, body). Missing keys render as an empty string so
that a message with a partial context is still sent rather than lost.
"""

from __future__ import annotations

import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


_FOOTER = "\n\n--\nThư gửi tự động từ hệ thống congvu. Vui lòng không trả lời thư này."

TEMPLATES: dict[str, Template] = {
    "task.reminder.before": Template(
        "[Nhắc việc] Còn {days} ngày làm việc đến hạn: {action_short}",
        "Kính gửi {unit},\n\nNhiệm vụ \"{action}\" (theo {notice}) có thời hạn {deadline}; "
        "còn {days} ngày làm việc.\nĐề nghị đơn vị khẩn trương thực hiện và báo cáo kết quả.\n\nXem: {url}" + _FOOTER,
    ),
    "task.reminder.due": Template(
        "[Nhắc việc] Hôm nay đến hạn: {action_short}",
        "Kính gửi {unit},\n\nNhiệm vụ \"{action}\" (theo {notice}) đến hạn hôm nay ({deadline}).\n"
        "Đề nghị đơn vị báo cáo kết quả thực hiện trong ngày.\n\nXem: {url}" + _FOOTER,
    ),
    "task.reminder.after": Template(
        "[Quá hạn] {action_short} — quá hạn {days} ngày làm việc",
        "Kính gửi đồng chí {head}, người đứng đầu {unit},\n\nNhiệm vụ \"{action}\" (theo {notice}) "
        "có thời hạn {deadline}, đến nay đã quá hạn {days} ngày làm việc mà chưa báo cáo hoàn thành.\n"
        "Đề nghị đồng chí chỉ đạo thực hiện ngay và báo cáo lý do chậm trễ.\n\nXem: {url}" + _FOOTER,
    ),
    "task.assigned": Template(
        "[Giao nhiệm vụ] {action_short}",
        "Kính gửi {unit},\n\nĐơn vị được giao chủ trì nhiệm vụ \"{action}\" theo {notice}; "
        "thời hạn: {deadline}.\n\nXem: {url}" + _FOOTER,
    ),
    "task.transition": Template(
        "[Nhiệm vụ] {action_short}: {state}",
        "Nhiệm vụ \"{action}\" (theo {notice}) chuyển sang trạng thái: {state}.\n{note}\n\nXem: {url}" + _FOOTER,
    ),
    "task.extension.requested": Template(
        "[Đề nghị gia hạn] {action_short}",
        "{unit} đề nghị gia hạn nhiệm vụ \"{action}\" từ {old_deadline} đến {new_deadline}.\nLý do: {reason}\n\n"
        "Xem: {url}" + _FOOTER,
    ),
    "task.extension.decided": Template(
        "[Gia hạn] {action_short}: {decision}",
        "Đề nghị gia hạn nhiệm vụ \"{action}\" đến {new_deadline}: {decision}.\n{note}\n\nXem: {url}" + _FOOTER,
    ),
    "generic": Template("{subject}", "{body}" + _FOOTER),
}


def render(key: str, context: dict) -> tuple[str, str]:
    """(subject, body) of template `key` with `context`; unknown keys fall back to "generic"."""
    template = TEMPLATES.get(key, TEMPLATES["generic"])
    values = _Blank({k: ("" if v is None else v) for k, v in (context or {}).items()})
    formatter = string.Formatter()
    subject = formatter.vformat(template.subject, (), values)
    body = formatter.vformat(template.body, (), values)
    return " ".join(subject.split())[:250], body
