"""System checks (Django's check framework) of the production-forbidden registry
(`congvu.common.production`): `check --deploy` always, and every command when CONGVU_PRODUCTION."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from congvu.common import production


def _errors() -> list[Error]:
    return [Error(message, hint="docs/deploy.md: “Không có gì demo khi chạy thật”.", id=f"congvu.E{rule_id}")
            for rule_id, message in production.refusals(settings)]


@register(Tags.security, deploy=True)
def production_forbidden_deploy(app_configs=None, **kwargs) -> list[Error]:
    if getattr(settings, "CONGVU_PRODUCTION", False):
        return []  # reported by the always-on check below
    return _errors()


@register(Tags.security)
def production_forbidden(app_configs=None, **kwargs) -> list[Error]:
    return _errors() if getattr(settings, "CONGVU_PRODUCTION", False) else []
