"""Indices: scoring frameworks (766, PAR INDEX, DTI, satisfaction) over the metrics registry."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "congvu.indices"
    label = "indices"
    verbose_name = _("Chỉ số")

    def ready(self) -> None:
        from congvu.indices.metrics import provider_refresh
        from congvu.web.modules import ModuleEntry, register_module

        provider_refresh()  # index.<code>.points / .percent in the metrics catalogue
        register_module(ModuleEntry("indices", _("Chỉ số"), "indices:index", app="congvu.indices",
                                    action="index.view", order=60))

        from congvu.indices import panels

        panels.register()  # the assessor's start-page panel (congvu.web.panels)
