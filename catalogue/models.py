"""The catalogue's read model: what it stores of the shops' data, declared.

SQL owns these tables and columns (created by catalogue/migrations/0006-0010, kept by
the functions and triggers in `catalogue/sql/`), so the models are unmanaged: Django
neither creates nor alters them, and nothing in Python writes them. They are declared
so that a reader, the admin and the ORM know they exist, and so that
tests/catalogue/test_read_model.py can hold what each stored copy is made of.

What the catalogue reads that the shops app already declares is not repeated here:
`Product.price_min`, `price_max`, `in_stock` (kept by `product_refresh_listing()`),
`Product.search_name`, `search_text`, `Shop.search_name` (the normalised text),
`Product.public_until` (the visibility rule, stored) and the `PublicProductTally`
ledger (kept by the triggers in `shops/sql/`).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class ProductListingRow(models.Model):
    """The catalogue's columns on `shops_product` (the `Product` model's table), and
    the trigger that writes each one:

    - `catalogue_seller_text`: the shop's and origin province's names, normalised, for
      the word search; `catalogue_seller_text_insert` / `_update` (the product's own
      shop or province), `catalogue_shop_renamed` (its shop's name),
      `catalogue_province_renamed` (a province's name).
    - `catalogue_listing_item`: the listing item's JSON text up to `"image":`
      (`api.serializers.listing_item()`'s bytes); `catalogue_listing_item_insert` /
      `_update` on the product's own write; the shop's (`catalogue_shop_listing_changed`),
      certificate's (`catalogue_certificate_listing_changed`), rating's
      (`catalogue_rating_listing_changed`) and province's (`catalogue_province_renamed`)
      writes set it to null, which has `catalogue_listing_item_update` recompute it.
    - `catalogue_listing_image`: the first picture's path, written with the item and
      by `catalogue_image_listing_changed` (a picture's write).
    - `catalogue_stars`, `catalogue_product_group` (the certificate's) and
      `catalogue_rating` (the product's `ProductRating`): written with the item, for
      the listing's filters, facets and `-rating` order.

    Null item columns mean "not stored" (the shop or certificate was not there yet):
    the listing answers such a product through its general path.
    """

    id = models.BigIntegerField(primary_key=True)
    catalogue_seller_text = models.TextField(default="")
    catalogue_listing_item = models.TextField(null=True)
    catalogue_listing_image = models.TextField(null=True)
    catalogue_stars = models.SmallIntegerField(null=True)
    catalogue_product_group = models.TextField(null=True)
    catalogue_rating = models.DecimalField(max_digits=3, decimal_places=2, null=True)

    class Meta:
        managed = False
        db_table = "shops_product"
        default_permissions = ()

    def __str__(self) -> str:
        return f"listing row of product {self.pk}"


class SearchWord(models.Model):
    """`catalogue_search_word`: every word that has appeared in a product's search
    document (its name, description, shop and province), which a query word being
    typed is expanded to; `catalogue_search_words_insert` / `_update` add them, nothing
    prunes them (a stale word matches nothing)."""

    word = models.TextField(primary_key=True, db_collation="C")

    class Meta:
        managed = False
        db_table = "catalogue_search_word"
        default_permissions = ()

    def __str__(self) -> str:
        return self.word


class SearchEntry(models.Model):
    """`catalogue_search_entry`: what a search alone reads of a product, one narrow row
    each, rewritten in name order weekly (`services.search_indexes_rebuild`).
    `catalogue_search_entries_insert`, `catalogue_search_entry_update`,
    `catalogue_search_entries_delete` and `_truncate` keep it equal to the product."""

    product = models.OneToOneField(
        "shops.Product",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    public_until = models.DateField(null=True)
    created_at = models.DateTimeField()
    search_name = models.TextField()
    document = SearchVectorField()

    class Meta:
        managed = False
        db_table = "catalogue_search_entry"
        default_permissions = ()

    def __str__(self) -> str:
        return f"search entry of product {self.product_id}"
