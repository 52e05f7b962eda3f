from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "marketplace.catalogue"
    label = "catalogue"
    verbose_name = "Public catalogue"

    def ready(self) -> None:
        from marketplace.catalogue import signals  # noqa: F401
