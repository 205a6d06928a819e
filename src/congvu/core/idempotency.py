"""`Idempotency-Key` for API writes (issue 13: nothing filed, paid or sent twice).

A POST/PUT/PATCH/DELETE under /api/ that carries `Idempotency-Key: <up to 200 chars>` is performed
once per (caller, method, path, key): the answer is kept in the cache (Redis in production) for
`CONGVU_IDEMPOTENCY_TTL` seconds and a repeat gets the same status and body back, with
`Idempotent-Replayed: true`. The same key arriving while the first is still running gets 409. The same
key with a different body gets 422 (a client bug, not a retry). 5xx answers are not kept (retryable).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _error(status: int, code: str, message: str, message_en: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "message_en": message_en, "details": {}}, status=status)


def _caller(request: HttpRequest) -> str:
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    return hashlib.sha256(f"{auth}|{session}".encode()).hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get("HTTP_IDEMPOTENCY_KEY")
        if key is None or request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > 200 or not key.isprintable():
            return _error(400, "idempotency.key_invalid", "Idempotency-Key phải có từ 1 đến 200 ký tự in được.",
                          "Idempotency-Key must be 1-200 printable characters.")
        scope = hashlib.sha256(f"{_caller(request)}|{request.method}|{request.path}|{key}".encode()).hexdigest()
        body_hash = hashlib.sha256(request.body if not request.content_type.startswith("multipart/")
                                   else repr(sorted(request.POST.lists())).encode()).hexdigest()
        stored = cache.get(f"idem:{scope}")
        if stored is not None:
            if stored["body_hash"] != body_hash:
                return _error(422, "idempotency.key_reused", "Idempotency-Key này đã dùng cho một yêu cầu khác.",
                              "This Idempotency-Key was used for a different request.")
            response = HttpResponse(stored["content"], status=stored["status"], content_type=stored["content_type"])
            response["Idempotent-Replayed"] = "true"
            return response
        lock = f"idem:{scope}:lock"
        if not cache.add(lock, 1, timeout=120):
            return _error(409, "idempotency.in_progress", "Yêu cầu với Idempotency-Key này đang được xử lý; hãy "
                          "thử lại sau giây lát.", "A request with this Idempotency-Key is in progress.")
        try:
            response = self.get_response(request)
            if response.status_code < 500 and not response.streaming:
                cache.set(f"idem:{scope}", {"status": response.status_code, "content": response.content,
                                            "content_type": response.get("Content-Type", "application/json"),
                                            "body_hash": body_hash},
                          timeout=int(getattr(settings, "CONGVU_IDEMPOTENCY_TTL", 86400)))
        finally:
            cache.delete(lock)
        return response
