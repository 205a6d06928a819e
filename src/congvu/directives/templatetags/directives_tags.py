"""Labels instead of code strings on the directives screens (issue 15)."""

from __future__ import annotations

from django import template

from congvu.directives.draft import flag_label as _flag_label
from congvu.directives.workflow import TRANSITIONS

register = template.Library()


@register.filter
def flag_label(code: str) -> str:
    """'no_deadline' → 'Không có thời hạn cụ thể'."""
    return _flag_label(str(code or ""))


@register.filter
def transition_label(name: str) -> str:
    """'start' → 'Bắt đầu thực hiện'; other log entries (extension, reminder) keep a readable form."""
    t = TRANSITIONS.get(str(name or ""))
    if t is not None:
        return t.label
    return {"extend": "Gia hạn", "overdue": "Quá hạn", "create": "Giao nhiệm vụ"}.get(str(name), str(name).replace("_", " "))
