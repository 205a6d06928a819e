from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Operations of the platform as a whole: serving, setup, health, production checks. Owns no domain data."""

    name = "congvu.core"
    label = "core"
    verbose_name = "congvu"

    def ready(self) -> None:
        from congvu.common import production
        from congvu.core import checks  # noqa: F401 - registers the system checks

        production.demo_secret("dev-only-insecure-key-change-me")

        from django.contrib.auth.signals import user_login_failed

        from congvu.core.accounts import on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="congvu.core.login_failed")
