from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "congvu.payments"
    label = "payments"
    verbose_name = _("Thanh toán phí, lệ phí")

    def ready(self) -> None:
        from congvu.metrics.registry import provider_register
        from congvu.onestop import hooks
        from congvu.onestop.workflow import Transition
        from congvu.payments.metrics import PROVIDER
        from congvu.payments.selectors import payment_rollup_contributions
        from congvu.payments.services import payment_guard

        provider_register(PROVIDER)

        # "Awaiting payment": fees first where the procedure requires it, before the transfer.
        hooks.register_transition_guard(Transition.TRANSFER, "payments", payment_guard)
        hooks.register_rollup_contributor("payments", payment_rollup_contributions)
