"""The shops' SQL function and triggers, one file each (the current text; how to change
one: `marketplace.core.sql_objects`): they keep the `PublicProductTally` ledger (+1/-1
per change of `Product.public_until`) on every write to shops_product, whoever makes it
(a service, the admin, a bulk update, a cascade delete); shops/migrations/0004 says why.
"""

from pathlib import Path

from marketplace.core.sql_objects import SqlObjects

SQL_OBJECTS = SqlObjects(
    directory=Path(__file__).parent,
    functions=("shops_product_public_tally",),
    triggers=(
        "shops_product_public_tally_insert",
        "shops_product_public_tally_update",
        "shops_product_public_tally_delete",
    ),
)


def apply_sql_objects(schema_editor) -> None:
    """Create or replace the shops' functions and triggers from their files."""
    SQL_OBJECTS.apply(schema_editor)
