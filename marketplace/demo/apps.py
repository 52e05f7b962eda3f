from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`. Sits on top of every app, like the project's urls."""

    name = "marketplace.demo"
    label = "demo"
    verbose_name = "Demo data"
