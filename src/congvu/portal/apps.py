from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "congvu.portal"
    label = "portal"
    verbose_name = _("Kết nối quốc gia")
