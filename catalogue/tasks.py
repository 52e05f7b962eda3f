"""Catalogue upkeep on the `default` queue. Thin: each calls an idempotent service."""

from __future__ import annotations

from catalogue import services
from worker.base import worker_task


# No receipt key: rebuilding is idempotent, and a receipt's transaction would stop it.
@worker_task(name="catalogue.tasks.rebuild_search_indexes", soft_time_limit=1800, time_limit=1860)
def rebuild_search_indexes() -> list[str]:
    return services.search_indexes_rebuild()
