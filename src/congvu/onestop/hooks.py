"""Extension points of the one-stop app, which other apps plug into from their AppConfig.ready().

onestop sits below payments, citizen and portal: it imports none of them. Instead they register
here, and onestop calls what is registered:

- **transition guards** `fn(dossier)` run inside the transition's transaction, with the dossier
  locked, before it changes; a guard refuses by raising `DomainError` (payments: "awaiting payment"
  before transfer);
- **dossier listeners** `fn(change)` run inside the transaction of every dossier event (receipt,
  transfer, supplement, result, return, stop, withdrawal, refusal) and of changes other apps report
  through `dossier_changed` (payments: "payment"), so whatever they write commits or rolls back with
  the change (portal: the sync record);
- **stats extensions** `fn(unit_ids, date_from, date_to, now=None) -> {figure: value}` add figures
  to `onestop_stats` (citizen: satisfaction and PAKN). They read counters, never scan rows; the
  same figures recomputed from the rows (`from_rows=`) serve `onestop_stats_from_rows` (checks, bench);
- **the online-submissions source** `fn(unit) -> QuerySet` of online filings waiting at the desk
  (citizen), shown in the desk's "to receive" tab;
- **roll-up contributors** `fn(unit_ids=None) -> {(unit id, day): {counter: value}}` give the
  counters other apps own, so `onestop_rollups_rebuild` keeps them (payments, ratings);
- **dossier panels** `fn(request, dossier) -> str` (safe HTML, or "" for none) add a card to the
  dossier page's side column (portal: the national-portal sync and identity check);
- **form scripts** (static paths) that the desk's receipt form (`"receive"`) and the citizen's online
  filing form (`"online_filing"`) load through `{% form_scripts "<form>" %}` (portal: fill the
  applicant from the population database).

Registration is keyed, so a second `ready()` replaces instead of adding twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DossierChange:
    """What happened to a dossier: `kind` is the transition name (`receive`, `transfer`, ...,
    `guidance`) or what another app reports (`payment`)."""

    dossier: Any
    kind: str
    at: dt.datetime
    from_state: str = ""
    to_state: str = ""
    event: Any = None
    data: dict[str, Any] = field(default_factory=dict)


TransitionGuard = Callable[[Any], None]
DossierListener = Callable[[DossierChange], None]
RollupContributor = Callable[..., dict]
StatsExtension = Callable[..., dict]

_guards: dict[str, dict[str, TransitionGuard]] = {}
_listeners: dict[str, DossierListener] = {}
_contributors: dict[str, RollupContributor] = {}
_extensions: dict[str, StatsExtension] = {}
_extensions_from_rows: dict[str, StatsExtension] = {}
_online_source: list[Callable[[Any], Any]] = []
_panels: dict[str, Callable[[Any, Any], str]] = {}


def register_transition_guard(transition: str, key: str, fn: TransitionGuard) -> None:
    _guards.setdefault(str(transition), {})[key] = fn


def register_dossier_listener(key: str, fn: DossierListener) -> None:
    _listeners[key] = fn


def register_rollup_contributor(key: str, fn: RollupContributor) -> None:
    _contributors[key] = fn


def register_stats_extension(key: str, fn: StatsExtension, *, from_rows: StatsExtension | None = None) -> None:
    _extensions[key] = fn
    _extensions_from_rows[key] = from_rows or fn


def stats_extensions(*, from_rows: bool = False) -> list[StatsExtension]:
    return list((_extensions_from_rows if from_rows else _extensions).values())


def register_online_submissions_source(fn: Callable[[Any], Any]) -> None:
    _online_source[:] = [fn]


def online_submissions_source() -> Callable[[Any], Any] | None:
    return _online_source[0] if _online_source else None


def register_dossier_panel(key: str, fn: Callable[[Any, Any], str]) -> None:
    _panels[key] = fn


def dossier_panels(request: Any, dossier: Any) -> list[str]:
    """The registered panels' HTML for this dossier page (empty ones left out)."""
    return [html for html in (fn(request, dossier) for fn in list(_panels.values())) if html]


_form_scripts: dict[str, dict[str, str]] = {}


def register_form_script(form: str, key: str, static_path: str) -> None:
    _form_scripts.setdefault(form, {})[key] = static_path


def form_scripts(form: str) -> list[str]:
    return list(_form_scripts.get(form, {}).values())


def transition_guards(transition: str) -> list[TransitionGuard]:
    return list(_guards.get(str(transition), {}).values())


def rollup_contributors() -> list[RollupContributor]:
    return list(_contributors.values())


def dossier_changed(change: DossierChange) -> None:
    """Tell every listener, in the caller's transaction (a listener's error rolls the change back)."""
    for fn in list(_listeners.values()):
        fn(change)
