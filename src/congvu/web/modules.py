"""Registry of the modules shown in the navigation.

An entry is shown only when (1) its app is installed, (2) its URL name reverses (the app has
shipped its pages) and (3) `policy.decide(user, action)` allows it. So the menu grows by itself as
apps land, and nobody sees a link that would end on a 403 or a 404.

An app adds its own entry from its AppConfig.ready()::

    from congvu.web.modules import ModuleEntry, register_module
    register_module(ModuleEntry("onestop", _("Một cửa"), "onestop:index", app="congvu.onestop",
                                action="dossier.view", order=40))

Apps whose pages live in `congvu.<app>.urls` are mounted at `/<app label>/` by `congvu.urls`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congvu.org.policy import decide


@dataclass(frozen=True)
class ModuleEntry:
    key: str
    label: str | Promise
    url_name: str
    app: str
    action: str | None = None  # None: any signed-in user
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url: str


_REGISTRY: dict[str, ModuleEntry] = {}


def register_module(entry: ModuleEntry) -> None:
    """Add or replace (same key) a navigation entry; safe to call twice (ready() may rerun)."""
    _REGISTRY[entry.key] = entry


def registered_modules() -> list[ModuleEntry]:
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))


def visible_modules(user: Any) -> list[NavItem]:
    items: list[NavItem] = []
    for entry in registered_modules():
        if not apps.is_installed(entry.app):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # the app is installed but has not shipped this page yet
        if entry.action is not None and not decide(user, entry.action):
            continue
        items.append(NavItem(entry.key, entry.label, url))
    return items


# Built-in entries. Modules of apps still being built are listed with their expected URL names and
# stay hidden until those URLs exist.
for _entry in (
    ModuleEntry("units", _("Đơn vị"), "web:unit_tree", app="congvu.org", action="unit.view", order=10),
    ModuleEntry("people", pgettext_lazy("nav", "Cán bộ"), "web:person_list", app="congvu.org", action="person.view", order=20),
    ModuleEntry("workdays", _("Lịch làm việc"), "workdays:index", app="congvu.workdays", order=30),
    ModuleEntry("directives", _("Chỉ đạo, nhiệm vụ"), "directives:index", app="congvu.directives",
                action="directive.view", order=40),
    ModuleEntry("onestop", _("Một cửa"), "onestop:index", app="congvu.onestop", action="dossier.view", order=50),
    ModuleEntry("audit", _("Nhật ký"), "web:audit_log", app="congvu.audit", action="audit.view", order=90),
):
    register_module(_entry)
