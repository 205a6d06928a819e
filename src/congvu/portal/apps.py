"""Portal: sync of dossiers to the national public-service portal and identity checks at receipt."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _production_rules(s) -> list[str]:
    """Production must talk to the real portal and population database with real credentials."""
    from congvu.portal import conf

    problems: list[str] = []
    for kind, name, providers_name, local_class in (
        ("Cổng DVCQG", "CONGVU_PORTAL_PROVIDER", "CONGVU_PORTAL_PROVIDERS", conf.LOCAL_PORTAL_CLASS),
        ("CSDL dân cư", "CONGVU_POPULATION_PROVIDER", "CONGVU_POPULATION_PROVIDERS", conf.LOCAL_POPULATION_CLASS),
    ):
        chosen = conf.get(name, s)
        providers = conf.get(providers_name, s) or {}
        if not chosen:
            continue
        entry = providers.get(chosen)
        if entry is None:
            problems.append(f"{name} = {chosen!r} không có trong {providers_name}.")
        elif entry.get("class") == local_class:
            problems.append(f"{name} = {chosen!r} là bản giả lập cục bộ ({kind}); cấu hình kết nối thật (national).")
        else:
            missing = [k for k in ("endpoint", "client_id", "secret") if not entry.get(k)]
            if missing:
                problems.append(f"{providers_name}[{chosen!r}] ({kind}) thiếu: {', '.join(missing)}.")
    return problems


class PortalConfig(AppConfig):
    name = "congvu.portal"
    label = "portal"
    verbose_name = _("Kết nối quốc gia")

    def ready(self) -> None:
        from congvu.common import production
        from congvu.onestop import hooks
        from congvu.portal import conf

        production.demo_secret(conf.DEMO_PORTAL_TOKEN, conf.DEMO_POPULATION_SECRET)
        production.register("portal.providers", _production_rules)

        def portal_listener(change):
            from congvu.portal.services.records import sync_record_add

            return sync_record_add(change)

        hooks.register_dossier_listener("portal", portal_listener)

        def portal_rollup_contributions(*args, **kwargs):
            from congvu.portal.services.counters import portal_rollup_contributions as contributions

            return contributions(*args, **kwargs)

        # 766 1.4 / 4.4 / 4.5 counters recomputed from the markers by `congvu onestop rebuild-rollups`
        hooks.register_rollup_contributor("portal", portal_rollup_contributions)

        from congvu.metrics.registry import provider_register
        from congvu.portal.metrics import PROVIDER

        provider_register(PROVIDER)

        def portal_panel(request, dossier):
            from congvu.portal.views import dossier_panel

            return dossier_panel(request, dossier)

        hooks.register_dossier_panel("portal", portal_panel)
        hooks.register_form_script("receive", "portal", "portal/identity.js")
        hooks.register_form_script("online_filing", "portal", "portal/identity.js")

        from congvu.web.modules import ModuleEntry, register_module

        register_module(ModuleEntry("portal", _("Đồng bộ DVCQG"), "portal:desk", app="congvu.portal",
                                    action="dossier.view", order=46))
