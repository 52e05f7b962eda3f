"""Shops, their members, OCOP certificates, products, variants, stock and imports.

Models hold data and constraints; every write goes through `shops.services`.

By concern: `shop` (the shop, its certificates and products, whose states decide what
is public), `members`, `tally` (public products by date), `variants` (variants, tourism
sessions, pictures, stock movements), `events` and `imports`. Django finds the models
here, and the rest of the project imports them from here.
"""

from shops.models.events import ShopEvent, ShopEventKind
from shops.models.imports import ImportJob, ImportStatus
from shops.models.members import ShopInvitation, ShopMember, ShopMemberRole
from shops.models.shop import (
    DEFAULT_COMMISSION_BP,
    CertificateStatus,
    DelistReason,
    LegalType,
    OcopCertificate,
    Product,
    ProductStatus,
    Shop,
    ShopStatus,
    product_search_columns,
)
from shops.models.tally import PublicProductTally
from shops.models.variants import (
    ProductImage,
    ProductVariant,
    ServiceSession,
    StockMovement,
    StockReason,
)

__all__ = [
    "DEFAULT_COMMISSION_BP",
    "CertificateStatus",
    "DelistReason",
    "ImportJob",
    "ImportStatus",
    "LegalType",
    "OcopCertificate",
    "Product",
    "ProductImage",
    "ProductStatus",
    "ProductVariant",
    "PublicProductTally",
    "ServiceSession",
    "Shop",
    "ShopEvent",
    "ShopEventKind",
    "ShopInvitation",
    "ShopMember",
    "ShopMemberRole",
    "ShopStatus",
    "StockMovement",
    "StockReason",
    "product_search_columns",
]
