"""The lookup result page without the template engine on the hot path (issue 14).

`citizen/lookup_result.html` stays the one source of the page's markup. For each language and each
*shape* of result (which facts are shown, how many timeline lines, receipts and missing items, whether
the payment, reason, rating and complaint parts appear) the template is rendered ONCE with a unique
placeholder in place of every per-request value; the output is split at the placeholders into
literal text and slots. A request then only joins the literals with its own values, escaped exactly as
the template escapes them (`{{ v }}` → HTML-escaped, `{{ v|urlencode }}` → percent-encoded). Labels,
header, footer and URLs are in the literals: nothing is translated, formatted or resolved per request.

The rare shapes (an apology letter, reused documents, more lines than `_MAX_ITEMS`) are rendered by the
template as before. `tests/citizen/test_citizen_lookup_page.py` checks that both ways give the same
bytes in Vietnamese and English for every shape.
"""

from __future__ import annotations

import html
import re
import threading
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils import translation

from congvu.citizen.selectors import LookupResult

TEMPLATE = "citizen/lookup_result.html"
_MAX_ITEMS = 40  # timeline lines / receipts / missing items a compiled shape covers (more: the template)
_A, _B = "\ue000", "\ue001"  # Unicode private-use characters: never in the page, untouched by escaping
_QA, _QB = quote(_A), quote(_B)
_SLOT = re.compile(f"{_A}(\\w+){_B}|{re.escape(_QA)}(\\w+){re.escape(_QB)}")

_PAGES: dict[tuple, tuple[tuple[Any, ...], ...]] = {}
_LOCK = threading.Lock()


def _ph(name: str) -> str:
    return f"{_A}{name}{_B}"


def shape(r: LookupResult, pakn_ref: str) -> tuple | None:
    """What decides the page's markup apart from the values; None for the shapes left to the template."""
    if r.apology or r.reuses or max(len(r.timeline), len(r.receipt_urls), len(r.missing)) > _MAX_ITEMS:
        return None
    return (r.submitted_at is not None, r.received_at is not None, r.due_at is not None, len(r.timeline),
            bool(r.payment_status), bool(r.amount_due), bool(r.pay_url), len(r.receipt_urls), len(r.missing),
            bool(r.reason), bool(r.rating_url), bool(r.rated), bool(pakn_ref))


def _compile(key: tuple, chrome: dict[str, Any]) -> tuple[tuple[Any, ...], ...]:
    (submitted, received, due, n_events, payment, amount, pay, n_receipts, n_missing, reason, rating, rated,
     pakn) = key
    r = SimpleNamespace(
        title=_ph("title"), status=_ph("status"), procedure=_ph("procedure"), unit=_ph("unit"),
        submitted_at=True if submitted else None, received_at=True if received else None,
        due_at=True if due else None, submitted_text=_ph("submitted"), received_text=_ph("received"),
        due_text=_ph("due"), timeline=[(_ph(f"at{i}"), _ph(f"ev{i}")) for i in range(n_events)],
        payment_status=_ph("pstatus") if payment else "", payment_label=_ph("plabel"),
        amount_due=_ph("amount") if amount else "", pay_url=_ph("payurl") if pay else "",
        receipt_urls=[_ph(f"rc{i}") for i in range(n_receipts)], missing=[_ph(f"m{i}") for i in range(n_missing)],
        reason=_ph("reason") if reason else "", apology=None, reuses=[], rating_url=_ph("rating") if rating else "",
        rated=rated)
    # No request: the page must not depend on the user or the session (it would be baked in for everyone).
    text = render_to_string(TEMPLATE, {"r": r, "pakn_ref": _ph("pakn") if pakn else "", "chrome": chrome})
    parts: list[Any] = []
    pos = 0
    for m in _SLOT.finditer(text):
        parts.append(text[pos:m.start()])
        parts.append((m.group(1), False) if m.group(1) else (m.group(2), True))  # (slot, percent-encoded)
        pos = m.end()
    parts.append(text[pos:])
    if any(_A in p or _B in p for p in parts if isinstance(p, str)):
        raise ValueError(f"{TEMPLATE}: a placeholder went through a filter the compiled page cannot reproduce")
    return tuple(parts)


def _values(r: LookupResult, pakn_ref: str) -> dict[str, str]:
    v = {"title": r.title, "status": r.status, "procedure": r.procedure, "unit": r.unit,
         "submitted": r.submitted_text, "received": r.received_text, "due": r.due_text,
         "pstatus": r.payment_status, "plabel": r.payment_label, "amount": r.amount_due, "payurl": r.pay_url,
         "reason": r.reason, "rating": r.rating_url, "pakn": pakn_ref}
    for i, (at, text) in enumerate(r.timeline):
        v[f"at{i}"], v[f"ev{i}"] = at, text
    for i, url in enumerate(r.receipt_urls):
        v[f"rc{i}"] = url
    for i, item in enumerate(r.missing):
        v[f"m{i}"] = item
    return v


def render(r: LookupResult, pakn_ref: str, chrome: dict[str, Any]) -> str | None:
    """The page for `r` in the active language, or None when its shape is left to the template."""
    key = shape(r, pakn_ref)
    if key is None:
        return None
    full = (translation.get_language(), *key)
    parts = _PAGES.get(full)
    if parts is None:
        with _LOCK:
            parts = _PAGES.get(full) or _compile(key, chrome)
            _PAGES[full] = parts
    values = _values(r, pakn_ref)
    esc, enc = html.escape, quote
    return "".join(p if p.__class__ is str else (enc(str(values[p[0]])) if p[1] else esc(str(values[p[0]])))
                   for p in parts)
