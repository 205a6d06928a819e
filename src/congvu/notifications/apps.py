from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_templates(sender, **kwargs):
    from congvu.notifications.catalog import notification_templates_sync

    notification_templates_sync()


class NotificationsConfig(AppConfig):
    name = "congvu.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        post_migrate.connect(_seed_templates, sender=self, dispatch_uid="congvu.notifications.seed_templates")
