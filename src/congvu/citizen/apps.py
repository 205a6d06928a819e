from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenConfig(AppConfig):
    name = "congvu.citizen"
    label = "citizen"
    verbose_name = _("Dịch vụ công cho người dân")

    def ready(self) -> None:
        from congvu.citizen.metrics import PROVIDER
        from congvu.metrics.registry import provider_register

        provider_register(PROVIDER)

        from congvu.citizen import signals  # noqa: F401  (rating invitation on return)
        from congvu.citizen.selectors import (
            pakn_rollup_contributions,
            rating_rollup_contributions,
            satisfaction_stats,
            satisfaction_stats_from_rows,
            submissions_pending,
        )
        from congvu.onestop import hooks

        hooks.register_rollup_contributor("citizen.ratings", rating_rollup_contributions)
        hooks.register_rollup_contributor("citizen.pakn", pakn_rollup_contributions)
        hooks.register_stats_extension("citizen.satisfaction", satisfaction_stats, from_rows=satisfaction_stats_from_rows)
        hooks.register_online_submissions_source(submissions_pending)
        from congvu.web.modules import ModuleEntry, register_module

        register_module(ModuleEntry("citizen", _("Hồ sơ trực tuyến"), "citizen:desk", app="congvu.citizen",
                                    action="dossier.process", order=55))
        register_module(ModuleEntry("citizen_pakn", _("Phản ánh, kiến nghị"), "citizen:desk_complaints",
                                    app="congvu.citizen", action="dossier.view", order=56))
