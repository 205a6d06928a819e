"""Settings a production installation must refuse (issue 13). Pure: works on any settings-like object.

A registry other apps add to (in their `AppConfig.ready()`), so payments, the national-portal sync
and any later provider follow one rule — *no demo provider and no demo secret in production*:

    from congvu.common import production

    production.demo_secret("demo-only-portal-secret")            # a value that must never be live
    production.register("portal.demo_provider", lambda s: [...])  # a rule: settings → messages

`refusals(settings)` lists (rule id, Vietnamese message). `congvu.core.checks` turns them into Django
system-check errors (`check --deploy` always; every command when `CONGVU_PRODUCTION`), and
`congvu.core.startup.production_refusals` stops the WSGI application, `congvu serve` and
`congvu worker` from starting with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Rule = Callable[[Any], Iterable[str]]

_RULES: dict[str, Rule] = {}
_DEMO_SECRETS: set[str] = set()
_DEMO_PREFIXES = ("dev-only", "demo-only", "change-me", "changeme")
_SECRETISH = ("SECRET", "TOKEN", "PASSWORD", "API_KEY", "PRIVATE")


def register(rule_id: str, rule: Rule) -> None:
    """Add (or replace) a rule: `rule(settings)` returns the problems it finds, as messages."""
    _RULES[rule_id] = rule


def demo_secret(*values: str) -> None:
    """Values that are public (shipped demo secrets): refused wherever they appear in the settings."""
    _DEMO_SECRETS.update(v for v in values if v)


def _walk(name: str, value: Any, depth: int = 0) -> Iterable[tuple[str, str]]:
    if depth > 6:
        return
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(f"{name}[{key!r}]", item, depth + 1)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _walk(f"{name}[{i}]", item, depth + 1)


def _demo_secrets(settings: Any) -> Iterable[str]:
    names = [n for n in dir(settings) if n.isupper()]
    for top in names:
        for path, value in _walk(top, getattr(settings, top, None)):
            secretish = any(word in path.upper() for word in _SECRETISH)
            if value in _DEMO_SECRETS or (secretish and value.lower().startswith(_DEMO_PREFIXES)):
                yield f"{path} là khoá/mật khẩu mẫu công khai (demo); đặt giá trị bí mật riêng trước khi chạy thật."


register("demo_secret", _demo_secrets)


def refusals(settings: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for rule_id, rule in _RULES.items():
        try:
            found += [(rule_id, message) for message in rule(settings)]
        except Exception as exc:  # noqa: BLE001 - a broken rule must still stop production
            found.append((rule_id, f"Không kiểm tra được cấu hình ({type(exc).__name__}: {exc})."))
    return found


def rules() -> list[str]:
    return sorted(_RULES)


class ProductionRefused(Exception):
    """Raised by `enforce` when production settings contain forbidden values."""


def enforce(settings: Any) -> None:
    """In production (`settings.CONGVU_PRODUCTION`), refuse to go on with any forbidden setting: the WSGI
    application, `congvu serve` and `congvu worker` call this before they start."""
    if not getattr(settings, "CONGVU_PRODUCTION", False):
        return
    found = refusals(settings)
    if found:
        lines = "\n".join(f"- [{rule}] {message}" for rule, message in found)
        raise ProductionRefused("ImproperlyConfigured: cấu hình không được phép khi chạy thật (production):\n"
                                f"{lines}\nXem docs/deploy.md.")
