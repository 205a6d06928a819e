"""Context for the shell (top bar, navigation, unit switcher) on every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from congvu.web.modules import visible_modules
from congvu.web.scope import selected_unit, switcher_units


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_modules": [], "switcher_units": [], "current_unit": None}
    # Lazy: error pages, htmx fragments and JSON never pay for the scope queries.
    return {
        "nav_modules": SimpleLazyObject(lambda: visible_modules(user)),
        "switcher_units": SimpleLazyObject(lambda: switcher_units(request)),
        "current_unit": SimpleLazyObject(lambda: selected_unit(request)),
        "inbox_unread": SimpleLazyObject(lambda: _inbox_unread(user)),
    }


def _inbox_unread(user: Any) -> int:
    from django.apps import apps

    if not apps.is_installed("congvu.notifications"):
        return 0
    from congvu.notifications.selectors import inapp_unread_count

    return inapp_unread_count(user=user)
