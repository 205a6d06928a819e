"""The JSON API: one `NinjaAPI` instance (`congvu.api.core.api`), its auth and its error format.

Mounted at /api/ by `congvu.urls`; OpenAPI 3 at /api/openapi.json, Swagger UI at /api/docs (served
from django-ninja's bundled assets, never from a CDN).

Errors are always JSON::

    {"code": "unit.stale", "message": "<Vietnamese>", "message_en": "...", "details": {...}}

with stable codes: `unauthenticated` (401), `forbidden` / `csrf_failed` (403), `not_found` (404),
the service's own code for DomainError (400) / Conflict (409), `validation_error` (422).

Adding an app's endpoints
-------------------------
Create `congvu/<app>/api.py` exposing a `router` (``router = Router(tags=["directives"])``). For
every installed `congvu.*` app, `autodiscover()` below imports that module and mounts the router
at ``/<app label>`` (override with a module constant ``API_PREFIX = "/directives"``). Handlers get
the caller as ``request.auth`` and must filter through `congvu.org.policy` like `congvu.api.org`.
The app's module must not import `congvu.api.core` (core imports it; keeping the arrow one way
avoids import cycles) — shared helpers live in `congvu.api.schemas`.
"""

from __future__ import annotations

import json
import logging
from importlib import import_module
from pathlib import Path
from typing import Any

import ninja
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase

from congvu.api.auth import SessionAuth, TokenAuth
from congvu.common.errors import DomainError

logger = logging.getLogger(__name__)

_NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"
_DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}


def _docs_asset_url(name: str) -> str:
    # With "ninja" in INSTALLED_APPS the files are collected like any static file; without it
    # (today's settings) this API serves them itself. Either way nothing comes from a CDN.
    if "ninja" in settings.INSTALLED_APPS:
        return static(f"ninja/{name}")
    return reverse("api:docs-asset", kwargs={"name": name})


class OfflineSwagger(DocsBase):
    """Swagger UI from ninja's bundled files (ninja's own Swagger falls back to a CDN unless
    "ninja" is an installed app)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,  # the default would call validator.swagger.io
        }
        context = {
            "api": api,
            "swagger_settings": json.dumps(swagger_settings),
            "csrf_token_value": get_token(request),
            # Template keys cannot contain "-" or ".": swagger-ui.css → swagger_ui_css.
            "assets": {name.replace("-", "_").replace(".", "_"): _docs_asset_url(name) for name in _DOCS_ASSETS},
        }
        return render(request, "api/swagger.html", context)


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in _DOCS_ASSETS:
        raise Http404(name)
    response = FileResponse((_NINJA_STATIC / name).open("rb"), content_type=_DOCS_ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


class CongvuAPI(NinjaAPI):
    def _get_urls(self) -> list:
        urls = super()._get_urls()
        # Before ninja's catch-all root pattern.
        urls.insert(0, path("docs/assets/<str:name>", docs_asset, name="docs-asset"))
        return urls

    def get_openapi_operation_id(self, operation: Any) -> str:
        # "list_units" for the org endpoints here, "<app>_<handler>" (e.g. "directives_list_tasks")
        # for apps' routers, instead of ninja's "congvu_directives_api_list_tasks".
        name = operation.view_func.__name__
        parts = operation.view_func.__module__.split(".")
        if len(parts) == 3 and parts[0] == "congvu" and parts[2] == "api":
            return f"{parts[1]}_{name}"
        return name


def error_body(code: str, message: str, message_en: str = "", details: dict | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "message_en": message_en or message, "details": details or {}}


api = CongvuAPI(
    title="congvu API",
    version="1",
    description="API của congvu: đơn vị, cán bộ... Xác thực bằng phiên đăng nhập (kèm CSRF cho "
                "POST/PATCH/DELETE) hoặc `Authorization: Bearer <token>` (`congvu api_token create USERNAME`).",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs=OfflineSwagger(),
)

_HTTP_CODES = {
    401: ("unauthenticated", "Cần đăng nhập hoặc gửi mã truy cập (Bearer token).", "Authentication required."),
    403: ("forbidden", "Không có quyền thực hiện thao tác này.", "Forbidden."),
    404: ("not_found", "Không tìm thấy.", "Not found."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."),
    429: ("throttled", "Quá nhiều yêu cầu; hãy thử lại sau.", "Too many requests."),
}


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, error_body(exc.code, exc.message, exc.message_en, exc.details),
                               status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = error_body("validation_error", "Dữ liệu gửi lên không hợp lệ.", "Invalid request data.",
                      {"errors": exc.errors})
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, error_body(*_HTTP_CODES[401]), status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message, message_en = _HTTP_CODES.get(exc.status_code, ("http_error", str(exc), str(exc)))
    return api.create_response(request, error_body(code, message, message_en), status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body(*_HTTP_CODES[404]), status=404)


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # A value the database cannot hold (too long, out of range): the input's fault, never a 500.
    logger.warning("API data error on %s %s: %s", request.method, request.path, exc)
    body = error_body("value_out_of_range", "Giá trị gửi lên vượt giới hạn cho phép (quá dài hoặc quá lớn).",
                      "A value is out of range (too long or too large).")
    return api.create_response(request, body, status=422)


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    return _data_error(request, DataError(str(exc)))


@api.exception_handler(DjangoValidationError)
def _model_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    body = error_body("validation_error", "Dữ liệu gửi lên không hợp lệ.", "Invalid request data.",
                      {"errors": exc.messages})
    return api.create_response(request, body, status=422)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    body = error_body("server_error", "Lỗi hệ thống; đã ghi nhận.", "Internal error; it has been logged.")
    return api.create_response(request, body, status=500)


def autodiscover() -> None:
    """Mount `congvu.<app>.api.router` for each installed congvu app that has one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("congvu.") or config.name == "congvu.api":
            continue
        module_name = f"{config.name}.api"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "API_PREFIX", f"/{config.label}"), router)


def _mount() -> None:
    from congvu.api.org import router as org_router

    api.add_router("", org_router)
    autodiscover()


_mount()
