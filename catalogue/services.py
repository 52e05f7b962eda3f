"""The catalogue's own upkeep (it writes nothing of the shops' data)."""

from __future__ import annotations

from django.db import connection, transaction

from catalogue.models import SearchEntry

# The table a search alone reads (catalogue/migrations/0010), put back in the order of
# product names: new and moved entries land wherever there is room, and a search reads
# fewer pages when products of the same kind share them. Rewriting it rebuilds its
# indexes too.
SEARCH_TABLES = (SearchEntry._meta.db_table,)
# Rebuilt in place: the GIN indexes that grow with every update of an indexed product
# column (price, stock, visibility, text): updates of such rows cannot be made in place,
# so each adds entries, and a word search reads them all. A rebuilt index is about a
# third the size and three times faster to search (catalogue/migrations/0006).
SEARCH_INDEXES = (
    "catalogue_product_search_document",
    "catalogue_product_search_name_trgm",
)
# How long the rewrite waits for searches under way to let go of the table: past it, it
# gives up (an OperationalError, which the task retries later with backoff) rather
# than have every new search queue behind it.
CLUSTER_LOCK_TIMEOUT = "5s"


def search_indexes_rebuild() -> list[str]:
    """Rewrite the search table in name order (`CLUSTER`: searches wait for it, 1.6 s
    at 113,000 products), then rebuild the other search indexes without blocking
    reads or writes (`REINDEX ... CONCURRENTLY`, outside a transaction). Returns the
    tables and indexes rebuilt. Idempotent."""
    if not connection.get_autocommit():
        raise RuntimeError("REINDEX CONCURRENTLY cannot run inside a transaction.")
    rebuilt = []
    with connection.cursor() as cursor:
        for name in SEARCH_TABLES:
            if _exists(cursor, name, "r"):
                with transaction.atomic():
                    cursor.execute(f"SET LOCAL lock_timeout = '{CLUSTER_LOCK_TIMEOUT}'")
                    cursor.execute(f"CLUSTER {connection.ops.quote_name(name)}")
                cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
                rebuilt.append(name)
        for name in SEARCH_INDEXES:
            if _exists(cursor, name, "i"):
                cursor.execute(f"REINDEX INDEX CONCURRENTLY {connection.ops.quote_name(name)}")
                rebuilt.append(name)
    return rebuilt


def _exists(cursor, name: str, kind: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = %s", [name, kind])
    return cursor.fetchone() is not None
