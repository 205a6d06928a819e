"""Error pages: 400/403/404/409 with the reason the service or the policy gave."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from congvu.common.errors import DomainError

TITLES = {
    400: _("Yêu cầu không hợp lệ"),
    403: _("Không có quyền truy cập"),
    404: _("Không tìm thấy"),
    409: _("Dữ liệu đã thay đổi"),
}


def render_error(request: HttpRequest, status: int, exception: BaseException | None = None) -> HttpResponse:
    if isinstance(exception, DomainError):
        message, message_en, code = exception.message, exception.message_en, exception.code
    else:
        # PermissionDenied("...") from Django code carries its reason as the first argument.
        message = str(exception.args[0]) if exception is not None and exception.args else ""
        message_en, code = "", ""
    context = {
        "status": status,
        "title": TITLES.get(status, _("Lỗi")),
        "message": message,
        "message_en": message_en if message_en != message else "",
        "code": code,
    }
    return render(request, "web/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return render_error(request, 400, exception)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return render_error(request, 403, exception)


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An unknown API path is still an API answer: the JSON error shape, not an HTML page.
        body = {"code": "not_found", "message": "Không tìm thấy.", "message_en": "Not found.", "details": {}}
        return JsonResponse(body, status=404)
    # Django's Http404 message can reveal URL patterns in DEBUG; show none.
    return render_error(request, 404, None)


def server_error(request: HttpRequest) -> HttpResponse:
    """Vietnamese 500 page: a standalone template (no context processors, no database), so it renders
    even when what failed was the database."""
    from django.template import loader

    try:
        body = loader.get_template("web/500.html").render({})
    except Exception:  # noqa: BLE001 - the last resort must not fail
        body = "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>500</title><h1>Hệ thống gặp sự cố</h1>" \
               "<p>Hãy thử lại sau ít phút.</p></html>"
    return HttpResponse(body, status=500)
