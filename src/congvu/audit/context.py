"""The acting user of the current request or command, for audit entries written deep in services."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import Any

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("congvu_audit_actor", default=None)


def current_actor() -> Any:
    return _actor.get()


@contextmanager
def acting_as(user: Any):
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def set_current_actor(user: Any) -> None:
    """Within a request already wrapped by `acting_as` (AuditActorMiddleware): the user an API token
    authenticated. The middleware's reset at the end of the request drops it again."""
    _actor.set(user)
