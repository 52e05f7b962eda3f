from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_search_text(sender, connection, **kwargs):
    # SQLite has no unaccent: give it the Python normaliser under the SQL name the
    # PostgreSQL migration creates, so one query expression serves both backends.
    if connection.vendor == "sqlite":
        from marketplace.core.search import normalise_search_text

        connection.connection.create_function(
            "catalogue_search_text", 1, normalise_search_text, deterministic=True
        )


class CatalogueConfig(AppConfig):
    name = "catalogue"
    label = "catalogue"
    verbose_name = "Public catalogue"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_search_text, dispatch_uid="catalogue_sqlite")
        from catalogue import signals  # noqa: F401
