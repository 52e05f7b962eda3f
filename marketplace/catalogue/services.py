"""The catalogue's own upkeep (it writes nothing of the shops' data)."""

from __future__ import annotations

from django.db import connection

# The GIN indexes that grow with every update of an indexed product column (price,
# stock, visibility, text): updates of such rows cannot be made in place, so each adds
# entries, and a word search reads them all. A rebuilt index is about a third the size
# and three times faster to search (catalogue/migrations/0006).
SEARCH_INDEXES = (
    "catalogue_product_search_document",
    "catalogue_product_search_name_trgm",
)


def search_indexes_rebuild() -> list[str]:
    """Rebuild the search indexes without blocking reads or writes (PostgreSQL's
    `REINDEX ... CONCURRENTLY`, which runs outside a transaction). Returns the indexes
    rebuilt; elsewhere, none. Idempotent."""
    if connection.vendor != "postgresql":
        return []
    if not connection.get_autocommit():
        raise RuntimeError("REINDEX CONCURRENTLY cannot run inside a transaction.")
    rebuilt = []
    with connection.cursor() as cursor:
        for name in SEARCH_INDEXES:
            cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'i'", [name])
            if cursor.fetchone():
                cursor.execute(f"REINDEX INDEX CONCURRENTLY {connection.ops.quote_name(name)}")
                rebuilt.append(name)
    return rebuilt
