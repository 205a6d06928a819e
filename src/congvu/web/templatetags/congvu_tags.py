"""Template helpers: dates are shown dd/mm/yyyy in every language (Vietnamese convention)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


@register.filter
def vndate(value: dt.date | dt.datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y")


@register.filter
def vndatetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y %H:%M")


@register.filter
def jsonvalue(value: Any) -> str:
    """Compact JSON for the audit diff; ISO dates stored in snapshots are shown dd/mm/yyyy."""
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            if len(value) > 18 and value[10] == "T":
                return vndatetime(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
        return value
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False)


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return bool(prefix) and str(value).startswith(str(prefix))


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return format_html("?{}", params.urlencode())


@register.filter
def vnnum(value: Any) -> str:
    """Integers with Vietnamese thousands separators: 406000 → "406.000"."""
    if value is None or value == "":
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,}".replace(",", ".")


@register.filter
def vnname(user: Any) -> str:
    """A user's name in Vietnamese order (family name first), else the username."""
    if user is None:
        return ""
    family, given = (getattr(user, "last_name", "") or "").strip(), (getattr(user, "first_name", "") or "").strip()
    name = " ".join(p for p in (family, given) if p)
    return name or (user.get_username() if hasattr(user, "get_username") else str(user))


@register.filter
def isodate_vn(value: Any) -> str:
    """An ISO date string (drafts, JSON) shown dd/mm/yyyy; anything else unchanged, None → ""."""
    if not value:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


_LEGAL = re.compile(r"(Nghị quyết|Nghị định|Quyết định|Thông tư|Luật|Công văn|Thông báo|/NQ-|/NĐ-|/QĐ-|/QH\d|seed)",
                    re.IGNORECASE)
_PROVENANCE = re.compile(r"\((?:[^()]*?)(?:\.json|\.ya?ml|\.csv|github|/data/|https?://|vietnam-|bamboo-)[^()]*\)")


@register.filter
def legal_basis(text: str | None) -> str:
    """What a unit's or a lineage's source says in law (resolutions, decrees, decisions), without the data
    provenance (package names, repository paths) that only administrators see (issue 15)."""
    out = []
    for part in re.split(r";\s*", str(text or "")):
        part = _PROVENANCE.sub("", part).strip()
        if part.lower().startswith("seed"):
            continue
        if _LEGAL.search(part) and not re.search(r"\.json|\.ya?ml|github|vietnam-provinces|bamboo-", part):
            out.append(part.rstrip(" ,:"))
    return "; ".join(out)
