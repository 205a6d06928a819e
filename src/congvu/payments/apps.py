from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

DEMO_SECRET = "demo-only-payment-secret"
DEMO_CLASS = "congvu.payments.providers.demo.DemoProvider"


def _demo_provider(settings) -> list[str]:
    """Production takes real money: the demo gateway (which marks anything paid) must not exist there."""
    problems = []
    providers = getattr(settings, "CONGVU_PAYMENTS_PROVIDERS", {}) or {}
    chosen = getattr(settings, "CONGVU_PAYMENTS_PROVIDER", "")
    if chosen == "demo" or providers.get(chosen, {}).get("class") == DEMO_CLASS:
        problems.append("CONGVU_PAYMENTS_PROVIDER là cổng thanh toán demo (đánh dấu đã nộp mà không thu tiền).")
    for key, conf in providers.items():
        if conf.get("class") == DEMO_CLASS:
            problems.append(f"CONGVU_PAYMENTS_PROVIDERS[{key!r}] là cổng demo; bỏ khỏi cấu hình chạy thật "
                            "(callback ký bằng khoá demo sẽ được chấp nhận).")
    conf = providers.get(chosen)
    if chosen and conf is None:
        problems.append(f"CONGVU_PAYMENTS_PROVIDER = {chosen!r} không có trong CONGVU_PAYMENTS_PROVIDERS.")
    elif conf is not None and conf.get("class") != DEMO_CLASS and not conf.get("secret"):
        problems.append(f"Cổng thanh toán {chosen!r} chưa có khoá ký (secret).")
    return problems


class PaymentsConfig(AppConfig):
    name = "congvu.payments"
    label = "payments"
    verbose_name = _("Thanh toán phí, lệ phí")

    def ready(self) -> None:
        from congvu.common import production

        production.demo_secret(DEMO_SECRET)
        production.register("payments.demo_provider", _demo_provider)

        from congvu.metrics.registry import provider_register
        from congvu.onestop import hooks
        from congvu.onestop.workflow import Transition
        from congvu.payments.metrics import PROVIDER

        provider_register(PROVIDER)

        # Imported when first used, not at start-up: every `congvu` command would pay for it.
        def payment_guard(dossier):
            from congvu.payments.services import payment_guard as guard

            return guard(dossier)

        def payment_rollup_contributions(*args, **kwargs):
            from congvu.payments.selectors import payment_rollup_contributions as contributions

            return contributions(*args, **kwargs)

        # "Awaiting payment": fees first where the procedure requires it, before the transfer.
        hooks.register_transition_guard(Transition.TRANSFER, "payments", payment_guard)
        hooks.register_rollup_contributor("payments", payment_rollup_contributions)
