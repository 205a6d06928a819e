"""Labels instead of code strings on the one-stop screens (issue 15)."""

from __future__ import annotations

from django import template

from congvu.onestop.rules import rules_by_version

register = template.Library()


@register.filter
def rule_label(version: str) -> str:
    """'nd61-2018' → the legal source of that rule set ('NĐ 61/2018/NĐ-CP ...')."""
    try:
        return rules_by_version(str(version or "")).source
    except KeyError:
        return str(version or "")
