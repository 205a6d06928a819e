"""Registry of the start-page panels: what each role needs to do now.

Each app adds its own panels from its AppConfig.ready(), like navigation entries in
`congvu.web.modules`::

    from congvu.web.panels import Panel, register_panel
    register_panel(Panel("directives.clerk", _("Văn bản, nhiệm vụ cần theo dõi"), roles={"office_clerk"},
                         build="congvu.directives.panels.clerk", app="congvu.directives", order=10))

`build(ctx)` gets a `PanelContext` (the user, the roles they hold today with the units of each, the
working unit, today) and returns a `PanelData` — a few counts (each a link to where the work is done)
and a few rows — or None to show nothing. A builder must run a fixed number of queries whatever the
data (counts in one aggregate, rows in one sliced query): the start page's query count is asserted.

A role with no registered panel gets a clear empty state (its screens are still being built), never
another role's page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PanelCount:
    label: str | Promise
    value: int
    url: str = ""
    tone: str = ""  # "" | "warn" | "danger" | "ok"


@dataclass(frozen=True)
class PanelRow:
    text: str
    url: str = ""
    meta: str = ""
    tone: str = ""


@dataclass
class PanelData:
    counts: list[PanelCount] = field(default_factory=list)
    rows: list[PanelRow] = field(default_factory=list)
    rows_title: str | Promise = ""
    empty: str | Promise = ""
    more_url: str = ""
    more_label: str | Promise = ""


@dataclass(frozen=True)
class PanelContext:
    user: Any
    roles: dict[str, list[Any]]  # role value → units it is granted on (valid today)
    unit: Any  # the working unit (switcher) or None
    today: dt.date
    request: Any = None

    def units_for(self, *roles: str) -> list[Any]:
        out: list[Any] = []
        for role in roles:
            out += self.roles.get(role, [])
        return out


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    roles: frozenset[str]
    build: str | Callable[[PanelContext], PanelData | None]
    app: str
    order: int = 100


@dataclass
class RenderedPanel:
    key: str
    title: str | Promise
    data: PanelData


_REGISTRY: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Add or replace (same key) a panel; safe to call twice (ready() may rerun)."""
    _REGISTRY[panel.key] = Panel(panel.key, panel.title, frozenset(panel.roles), panel.build, panel.app, panel.order)


def registered_panels() -> list[Panel]:
    return sorted(_REGISTRY.values(), key=lambda p: (p.order, p.key))


def panels_for_roles(roles: set[str]) -> list[Panel]:
    return [p for p in registered_panels() if apps.is_installed(p.app) and p.roles & roles]


def render_panels(ctx: PanelContext) -> list[RenderedPanel]:
    out: list[RenderedPanel] = []
    for panel in panels_for_roles(set(ctx.roles)):
        build = import_string(panel.build) if isinstance(panel.build, str) else panel.build
        data = build(ctx)
        if data is not None:
            out.append(RenderedPanel(panel.key, panel.title, data))
    return out
