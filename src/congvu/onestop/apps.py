from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "congvu.onestop"
    label = "onestop"
    verbose_name = _("Một cửa")

    def ready(self) -> None:
        from congvu.metrics.registry import provider_register
        from congvu.onestop.metrics import PROVIDER

        provider_register(PROVIDER)

        from congvu.onestop import panels

        panels.register()  # start-page panels (congvu.web.panels)

        from congvu.onestop import reuse

        reuse.connect()  # every reuse of a citizen's document is audited (issue 13)
