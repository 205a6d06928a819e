from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "congvu.indices"
    label = "indices"
    verbose_name = _("Chỉ số")

    def ready(self) -> None:
        from congvu.web.modules import ModuleEntry, register_module

        register_module(ModuleEntry("indices", _("Chỉ số"), "indices:index", app="congvu.indices",
                                    action="index.view", order=60))
