"""Reads of the public catalogue, all built on `shops.selectors.public_products()`.

Nothing here decides visibility: every queryset starts from that one selector. Prices
and stock are columns of the product (kept exact by the shops services), so filters and
orderings use indexes, counting a page stays a plain count and a page costs the same
number of queries whatever its size.

By concern: `common` (the filters, provinces, stored columns, picture URLs), `words` (a
search's words as SQL), `listing` (filtered and ordered pages), `search` (a search's
rows and which rows a page reads), `detail` (one product) and `stats` (facets, OCOP
statistics, public shops). The names below are what the rest of the project imports.
"""

from catalogue.selectors.common import (
    ORDERINGS,
    PLAIN_URL_STORAGES,
    ListingQuery,
    image_url,
    province_names,
    provinces,
    rating_expression,
    review_count_expression,
)
from catalogue.selectors.detail import DETAIL_FIELDS, VARIANT_FIELDS, product_detail
from catalogue.selectors.listing import (
    ITEM_JSON_FIELDS,
    LISTING_FIELDS,
    CompiledPages,
    CompiledRowsByIds,
    FilteredRows,
    every_public_product_page,
    listing_count,
    listing_json_by_ids,
    listing_queryset,
    listing_rows_by_ids,
    order_listing,
    with_listing_fields,
)
from catalogue.selectors.search import (
    SearchRows,
    listing_page_queryset,
    listing_rows,
    search_first_ids,
)
from catalogue.selectors.stats import cached_ocop_stats, facets, ocop_stats, public_shops
from catalogue.selectors.words import MAX_WORD_EXPANSIONS, TYPO_MIN_SIMILARITY, WordSimilarity

__all__ = [
    "DETAIL_FIELDS",
    "ITEM_JSON_FIELDS",
    "LISTING_FIELDS",
    "MAX_WORD_EXPANSIONS",
    "ORDERINGS",
    "PLAIN_URL_STORAGES",
    "TYPO_MIN_SIMILARITY",
    "VARIANT_FIELDS",
    "CompiledPages",
    "CompiledRowsByIds",
    "FilteredRows",
    "ListingQuery",
    "SearchRows",
    "WordSimilarity",
    "cached_ocop_stats",
    "every_public_product_page",
    "facets",
    "image_url",
    "listing_count",
    "listing_json_by_ids",
    "listing_page_queryset",
    "listing_queryset",
    "listing_rows",
    "listing_rows_by_ids",
    "ocop_stats",
    "order_listing",
    "product_detail",
    "province_names",
    "provinces",
    "public_shops",
    "rating_expression",
    "review_count_expression",
    "search_first_ids",
    "with_listing_fields",
]
