from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "worker"
    label = "worker"
    verbose_name = "Background work"

    def ready(self) -> None:
        # Bind @shared_task to the project's Celery app whenever Django starts,
        # in the web process as well as in workers.
        from worker.celery import app  # noqa: F401
