"""Root URLconf.

- `/` ... the web shell (`congvu.web.urls`, namespace "web"), `/api/` the JSON API, `/admin/`.
- Every other installed `congvu.<app>` with a `urls` module is mounted at `/<app label>/` under
  the namespace given by its `app_name` (default: the label), so apps land without editing this
  file; the navigation shows them once `congvu.web.modules` has an entry whose URL reverses.
"""

from importlib import import_module

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from congvu.api.core import api
from congvu.core.health import healthz

# Apps with their own fixed mount point above.
_NOT_AUTO_MOUNTED = {"congvu.web", "congvu.api"}


def _app_urls() -> list:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("congvu.") or config.name in _NOT_AUTO_MOUNTED:
            continue
        module_name = f"{config.name}.urls"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # the app has no pages
            raise
        namespace = getattr(module, "app_name", config.label)
        found.append(path(f"{config.label}/", include((module.urlpatterns, namespace), namespace=namespace)))
    return found


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    *_app_urls(),
    path("", include("congvu.web.urls")),
]

handler400 = "congvu.web.views.errors.bad_request"
handler403 = "congvu.web.views.errors.permission_denied"
handler404 = "congvu.web.views.errors.page_not_found"
handler500 = "congvu.web.views.errors.server_error"
