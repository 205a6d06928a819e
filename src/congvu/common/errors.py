"""Domain errors carry a stable code and a message a user can act on (Vietnamese first)."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation. `code` is stable (API clients branch on it); `message` is for people."""

    status = 400

    def __init__(self, code: str, message: str, *, message_en: str = "", details: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = message_en or message
        self.details = details or {}


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """Optimistic-locking and duplicate-submission refusals."""

    status = 409
