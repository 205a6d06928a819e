from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Operations of the platform as a whole: serving, setup. Owns no domain data."""

    name = "congvu.core"
    label = "core"
    verbose_name = "congvu"
