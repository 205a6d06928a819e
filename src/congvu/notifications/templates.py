"""Message templates per event, Vietnamese text, and the SMS text rule. Pure: no Django imports.

The shipped texts live in `data/templates.yaml`; admins override them with `NotificationTemplate`
rows (see `congvu.notifications.catalog`). A template renders a context dict into (subject, body);
missing keys render as an empty string so that a message with a partial context is still sent.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

SHIPPED_PATH = Path(__file__).resolve().parent / "data" / "templates.yaml"
FOOTER = "\n\n--\nThư gửi tự động từ hệ thống congvu. Vui lòng không trả lời thư này."
# The names for the directives reminders.
ALIASES = {"task_reminder": "task.reminder.before", "task_escalation": "task.reminder.after"}


@dataclass(frozen=True)
class Template:
    subject: str
    body: str
    sms: str = ""
    zalo_params: tuple[str, ...] = field(default=())
    zalo_template_id: str = ""
    version: int = 0  # 0: the shipped text


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


@lru_cache(maxsize=1)
def shipped() -> dict[str, Template]:
    data = yaml.safe_load(SHIPPED_PATH.read_text(encoding="utf-8")) or {}
    return {
        key: Template(subject=str(v["subject"]), body=str(v["body"]).rstrip("\n"), sms=str(v.get("sms") or ""),
                      zalo_params=tuple(v.get("zalo_params") or ()))
        for key, v in data.items()
    }


def shipped_template(key: str) -> Template:
    table = shipped()
    return table.get(ALIASES.get(key, key)) or table["generic"]


@lru_cache(maxsize=1)
def shipped_en() -> dict[str, Template]:
    """The English texts (`en:` of a shipped template), for the in-app inbox in the English interface."""
    data = yaml.safe_load(SHIPPED_PATH.read_text(encoding="utf-8")) or {}
    return {key: Template(subject=str(v["en"]["subject"]), body=str(v["en"]["body"]).rstrip("\n"))
            for key, v in data.items() if isinstance(v.get("en"), dict)}


def render_en(key: str, context: dict | None) -> tuple[str, str] | None:
    """(subject, body) in English of shipped template `key`, or None when it has no English text."""
    template = shipped_en().get(ALIASES.get(key, key))
    if template is None:
        return None
    subject = " ".join(fill(template.subject, context).split())[:250]
    return subject, fill(template.body, context).strip()


def _values(context: dict | None) -> _Blank:
    return _Blank({k: ("" if v is None else v) for k, v in (context or {}).items()})


def fill(text: str, context: dict | None) -> str:
    return string.Formatter().vformat(text, (), _values(context))


def render_template(template: Template, context: dict | None) -> tuple[str, str]:
    subject = fill(template.subject, context)
    body = fill(template.body, context) + FOOTER
    return " ".join(subject.split())[:250], body


def render(key: str, context: dict) -> tuple[str, str]:
    """(subject, body) of shipped template `key` with `context`; unknown keys fall back to "generic"."""
    return render_template(shipped_template(key), context)


def render_sms(template: Template, context: dict | None, *, unicode: bool = False, max_chars: int = 160) -> str:
    """The SMS text: the template's `sms` (else its subject), on one line; folded to GSM-7 without
    diacritics unless `unicode`; longer than `max_chars` → cut at a word boundary and ended with "..."."""
    text = " ".join(fill(template.sms or template.subject, context).split())
    if not unicode:
        text = gsm_fold(text)
    return trim(text, max_chars)


def trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 3]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-") + "..."


# GSM 03.38 basic character set (no escape table): what fits 160 characters per SMS.
_GSM = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
           "¿abcdefghijklmnopqrstuvwxyzäöñüà")
_REPLACE = {"đ": "d", "Đ": "D", "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...",
            "[": "(", "]": ")", "{": "(", "}": ")", "\\": "/", "^": "", "~": "-", "|": "/", "€": "EUR"}


def gsm_fold(text: str) -> str:
    """Vietnamese → plain GSM-7 (the usual "không dấu" SMS): strip diacritics, map đ→d, drop the rest."""
    out = []
    for ch in text:
        ch = _REPLACE.get(ch, ch)
        if len(ch) == 1 and not ch.isascii():
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            ch = base if base and all(c in _GSM for c in base) else (ch if ch in _GSM else "?")
        out.append(ch)
    return "".join(out)


def zalo_params(template: Template, context: dict | None) -> dict[str, str]:
    """ZNS `template_data`: the declared parameters as strings (ZNS caps a parameter at 100-200 chars)."""
    values = _values(context)
    names = template.zalo_params or tuple(k for k in values if isinstance(values[k], str | int | float))
    return {name: str(values[name])[:200] for name in names}
