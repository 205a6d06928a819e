"""Schemas and helpers shared by API routers (apps' `api.py` modules may import from here)."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from ninja import Schema

from congvu.common.errors import DomainError


class ErrorOut(Schema):
    code: str
    message: str
    message_en: str
    details: dict[str, Any]


class ApiValidationError(DomainError):
    """A value the schema accepts but the endpoint cannot (e.g. `null` for a required field)."""

    status = 422

    def __init__(self, message: str, *, message_en: str = "", details: dict | None = None) -> None:
        super().__init__("validation_error", message, message_en=message_en, details=details)


# Documented on every authenticated operation so clients see the error shape in OpenAPI.
ERRORS_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ERRORS_WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

MAX_PAGE_SIZE = 200


def paginate(qs: QuerySet, page: int, page_size: int) -> tuple[list[Any], dict[str, int]]:
    """(items of the page, {total, page, page_size, pages}); a page past the end is empty, not 404."""
    total = qs.count()
    start = (page - 1) * page_size
    # A page past the end costs no query (and a huge page number no integer overflow in the database).
    items = list(qs[start:start + page_size]) if start < total else []
    return items, {"total": total, "page": page, "page_size": page_size, "pages": math.ceil(total / page_size)}
