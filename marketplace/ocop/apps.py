from django.apps import AppConfig


class OcopConfig(AppConfig):
    name = "marketplace.ocop"
    label = "ocop"
    verbose_name = "OCOP reference data"
