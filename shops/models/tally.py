"""The ledger of how many products are public until each date."""

from __future__ import annotations

from django.db import models


class PublicProductTally(models.Model):
    """How many products are public until each date, as a ledger: database triggers on
    `shops_product` (shops/migrations) add -1 under a product's old `public_until` and
    +1 under its new one whenever the column changes, is inserted or deleted; nothing
    else writes here but `public_tally_compact()`, which folds the rows of each date
    into one. So Σ products over the dates after today is the number of public products
    (`shops.selectors.public_products_count`), read from a few hundred rows instead of
    counting 100,000, and only ever inserted into: no row lock, no hot row.

    A folded row also carries `products_from`: Σ products of the folded rows of its
    date and every later one. The count is then one folded row (the first date after
    today) plus the sum of the rows the triggers added since the last folding (those
    with no `products_from`): a few index entries instead of one per date to come."""

    public_until = models.DateField()
    products = models.IntegerField()
    products_from = models.IntegerField(null=True)

    class Meta:
        # Index-only reads: the heap keeps the pages of rows compaction deleted.
        indexes = [
            models.Index(
                fields=["public_until"],
                include=["products"],
                condition=models.Q(products_from__isnull=True),
                name="shops_public_tally_added",
            ),
            models.Index(
                fields=["public_until"],
                include=["products_from"],
                condition=models.Q(products_from__isnull=False),
                name="shops_public_tally_folded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_until}: {self.products:+d}"
