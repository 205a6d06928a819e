from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "congvu.api"
    label = "api"
    verbose_name = "API"
