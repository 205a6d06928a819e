"""Input bounds every request gets before a view sees it (issue 13: no 500 from input).

- a body larger than the limit → 413 (`CONGVU_MAX_BODY_BYTES` for multipart uploads,
  `DATA_UPLOAD_MAX_MEMORY_SIZE` for everything else), judged from Content-Length before reading;
- a NUL byte anywhere in the path, the query string or a form/JSON field → 400 (PostgreSQL cannot store
  it; no person types it);
- multipart without a boundary, or a body that cannot be parsed → 400;
- too many fields → 400 (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS, answered instead of raised).

Answers are Vietnamese: JSON `{code, message, message_en, details}` under /api/, the error page elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError

from congvu.common.errors import DomainError

logger = logging.getLogger("congvu.security")
_NUL_MARKERS = (b"\x00", b"%00", b"\\u0000")


class InputRefused(DomainError):
    def __init__(self, status: int, code: str, message: str, message_en: str):
        super().__init__(code, message, message_en=message_en)
        self.status = status


def _too_large(limit: int) -> InputRefused:
    return InputRefused(413, "request.too_large", f"Dữ liệu gửi lên quá lớn (giới hạn {limit / 1048576:.1f} MB).",
                        "Request body too large.")


def _nul() -> InputRefused:
    return InputRefused(400, "request.nul_byte", "Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL).",
                        "The request contains a NUL character.")


def _bad(message: str = "Dữ liệu gửi lên không đọc được (sai định dạng).") -> InputRefused:
    return InputRefused(400, "request.malformed", message, "Malformed request body.")


def max_body_bytes() -> int:
    upload = int(getattr(settings, "CONGVU_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
    return int(getattr(settings, "CONGVU_MAX_BODY_BYTES", 0) or upload * 3 + 1024 * 1024)


def check_request(request: HttpRequest) -> None:
    meta = request.META
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise _bad() from exc
    content_type = (meta.get("CONTENT_TYPE") or "").lower()
    multipart = content_type.startswith("multipart/")
    limit = max_body_bytes() if multipart else int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or max_body_bytes())
    if length > limit:
        raise _too_large(limit)
    raw_path = (meta.get("PATH_INFO") or "") + "?" + (meta.get("QUERY_STRING") or "")
    if "\x00" in raw_path or "%00" in raw_path:
        raise _nul()
    max_param = int(getattr(settings, "CONGVU_MAX_QUERY_PARAM_LENGTH", 1000))
    if len(meta.get("QUERY_STRING") or "") > max_param and any(
            len(v) > max_param for values in request.GET.lists() for v in values[1]):
        raise InputRefused(400, "request.param_too_long", f"Tham số tìm kiếm dài quá {max_param} ký tự.",
                           "A query parameter is too long.")
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or length == 0:
        return
    if multipart:
        if "boundary=" not in content_type:
            raise _bad("Dữ liệu tải lên thiếu “boundary” (multipart); hãy gửi lại bằng biểu mẫu.")
        try:
            fields = request.POST
            request.FILES  # noqa: B018 - parse now, so errors are answered here
        except RequestDataTooBig as exc:
            raise _too_large(limit) from exc
        except TooManyFieldsSent as exc:
            raise _bad("Quá nhiều trường dữ liệu trong một yêu cầu.") from exc
        except (MultiPartParserError, SuspiciousOperation, ValueError, UnicodeDecodeError) as exc:
            raise _bad() from exc
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in fields.lists()):
            raise _nul()
        return
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise _too_large(limit) from exc
    lowered = body.lower()
    markers = _NUL_MARKERS if "urlencoded" in content_type else (b"\x00", b"\\u0000")
    if any(marker in lowered for marker in markers):
        raise _nul()


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except InputRefused as refusal:
            return refusal_response(request, refusal)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A value the database cannot hold (too long for its column, out of range): the input's fault.
        if isinstance(exception, DataError | OverflowError):
            logger.warning("input out of range on %s %s: %s", request.method, request.path, exception)
            return refusal_response(request, InputRefused(
                400, "request.out_of_range", "Dữ liệu gửi lên vượt giới hạn cho phép (quá dài hoặc quá lớn); chưa "
                "có gì được lưu.", "A value is out of range; nothing was saved."))
        # Late parsing (a view reading request.POST itself) can still hit the limits.
        if isinstance(exception, RequestDataTooBig):
            return refusal_response(request, _too_large(max_body_bytes()))
        if isinstance(exception, MultiPartParserError | TooManyFieldsSent):
            return refusal_response(request, _bad())
        return None


def refusal_response(request: HttpRequest, refusal: InputRefused) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"code": refusal.code, "message": refusal.message, "message_en": refusal.message_en, "details": {}}
        return JsonResponse(body, status=refusal.status)
    from django.shortcuts import render

    # The web app's error page, by template name (core does not import web).
    return render(request, "web/error.html", {"status": refusal.status, "title": "Yêu cầu không hợp lệ"
                  if refusal.status != 413 else "Dữ liệu quá lớn", "message": refusal.message,
                  "message_en": refusal.message_en, "code": refusal.code}, status=refusal.status)
