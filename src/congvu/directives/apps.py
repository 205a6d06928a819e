from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "congvu.directives"
    label = "directives"
    verbose_name = _("Chỉ đạo, điều hành")

    def ready(self) -> None:
        from congvu.directives.metrics import PROVIDER
        from congvu.metrics.registry import provider_register

        provider_register(PROVIDER)

        from congvu.directives import panels

        panels.register()  # start-page panels (congvu.web.panels)
