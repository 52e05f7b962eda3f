from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "marketplace.regions"
    label = "regions"
    verbose_name = "Vietnamese administrative units"
