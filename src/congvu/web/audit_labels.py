"""Vietnamese labels for the audit view: actions, object types, field names and values (issue 15).

No code string reaches the screen: `update` → "Cập nhật", `directives.task` → "Nhiệm vụ", the field
`valid_to` → its verbose name "hiệu lực đến", a choice value `pending` → its label, booleans → Có/Không,
null → "—", ISO dates → dd/mm/yyyy.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.apps import apps

ACTION_LABELS = {
    "create": "Tạo mới", "update": "Cập nhật", "delete": "Xóa", "import": "Nhập dữ liệu", "login": "Đăng nhập",
    "logout": "Đăng xuất", "login_failed": "Đăng nhập không thành công", "export": "Xuất dữ liệu", "view": "Xem",
    "reuse": "Tái sử dụng dữ liệu", "lock": "Khóa", "unlock": "Mở khóa", "send": "Gửi", "pay": "Thanh toán",
}
_TRANSITION_WORDS = {
    "confirm": "xác nhận", "discard": "hủy bản nhập", "start": "bắt đầu thực hiện", "report_done": "báo cáo hoàn thành",
    "accept": "chấp nhận kết quả", "return": "trả lại", "resume": "tiếp tục", "cancel": "hủy",
    "receive": "tiếp nhận", "transfer": "chuyển xử lý", "record_result": "có kết quả", "return_result": "trả kết quả",
    "request_supplement": "yêu cầu bổ sung", "supplement_received": "nhận bổ sung", "close": "kết thúc",
    "withdraw": "rút hồ sơ", "refuse": "từ chối", "stop": "dừng xử lý", "apologise": "xin lỗi, hẹn lại",
    "step_complete": "hoàn thành bước", "approve": "duyệt", "reject": "từ chối",
}


def action_label(action: str) -> str:
    action = str(action or "")
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    head, _sep, tail = action.partition(":")
    if head == "transition" and tail:
        return f"Chuyển trạng thái: {_TRANSITION_WORDS.get(tail, tail.replace('_', ' '))}"
    if tail:
        return f"{ACTION_LABELS.get(head, head.replace('_', ' ').capitalize())}: {tail.replace('_', ' ')}"
    return action.replace("_", " ").capitalize()


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name).capitalize() if model is not None else str(object_type or "")


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends: a snapshot key of another shape
        return None


def field_label(object_type: str, name: str) -> str:
    field = _field(_model(object_type), name)
    label = getattr(field, "verbose_name", None)
    if label and str(label) != name.replace("_", " "):
        return str(label).capitalize()
    return _FALLBACK_FIELDS.get(name, name.replace("_", " ").capitalize())


_FALLBACK_FIELDS = {"version": "Phiên bản", "status": "Trạng thái", "state": "Trạng thái", "draft": "Bản nháp",
                    "tasks": "Số nhiệm vụ", "notice": "Văn bản", "note": "Ghi chú", "source_kind": "Nguồn",
                    "original": "Tệp gốc", "new_version_of": "Phiên bản mới của"}


def value_label(object_type: str, name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    field = _field(_model(object_type), name)
    choices = dict(getattr(field, "flatchoices", None) or []) if field is not None else {}
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            if len(value) > 18 and value[10] == "T":
                from django.utils import timezone

                moment = dt.datetime.fromisoformat(value)
                moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
                return moment.strftime("%d/%m/%Y %H:%M")
        except ValueError:
            pass
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value) if value else "—"
    return json.dumps(value, ensure_ascii=False)
