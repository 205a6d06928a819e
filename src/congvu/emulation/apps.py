from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "congvu.emulation"
    label = "emulation"
    verbose_name = _("Thi đua, khen thưởng")

    def ready(self) -> None:
        from congvu.web.modules import ModuleEntry, register_module

        register_module(ModuleEntry("emulation", _("Thi đua, khen thưởng"), "emulation:index", app="congvu.emulation",
                                    action="emulation.view", order=60))
        # Council members and the emulation officer (EMULATION_VIEW covers both; the page filters).
        register_module(ModuleEntry("emulation_council", _("Hội đồng thi đua"), "emulation:council_index",
                                    app="congvu.emulation", action="emulation.view", order=62))
        from congvu.emulation import panels

        panels.register()  # start-page panels of the emulation officer and the council member (congvu.web.panels)
