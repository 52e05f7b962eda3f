"""Whether a product is public, stored in `Product.public_until`, and kept exact by the
services that change what decides it: the product's status and certificate (products),
its certificate's status and expiry (certificates), its shop's status (shops), and the
operators' edits in the admin. They call `products_visibility_refresh()` in the
transaction of their write; no `Model.save()` does it behind their back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Q

from marketplace.core.catalogue_version import catalogue_changed
from shops.models import (
    CertificateStatus,
    OcopCertificate,
    Product,
    ProductStatus,
    Shop,
    ShopStatus,
)


def products_visibility_refresh(
    *,
    shop_id: int | None = None,
    certificate_id: int | None = None,
    product_ids: Iterable[int] | None = None,
) -> int:
    """Recompute `public_until` of the products of this shop, of this certificate, or
    with these ids (exactly one of the three) from their own status, their shop's and
    their certificate's: ONE UPDATE whatever their number. The catalogue is told they
    changed (`catalogue_changed`, on commit). Returns the number of products updated."""
    if sum(arg is not None for arg in (shop_id, certificate_id, product_ids)) != 1:
        raise TypeError("Give exactly one of shop_id, certificate_id, product_ids.")
    if shop_id is not None:
        products = Product.objects.filter(shop_id=shop_id)
    elif certificate_id is not None:
        products = Product.objects.filter(certificate_id=certificate_id)
    else:
        products = Product.objects.filter(pk__in=sorted({int(pk) for pk in product_ids}))
    shop_active = models.Exists(
        Shop.objects.filter(pk=models.OuterRef("shop_id"), status=ShopStatus.ACTIVE)
    )
    approved_until = models.Subquery(
        OcopCertificate.objects.filter(
            pk=models.OuterRef("certificate_id"), status=CertificateStatus.APPROVED
        ).values("expires_on")[:1]
    )
    with transaction.atomic():
        # Row locks in primary-key order first, as stock and listing writes take them:
        # a shop's products changed at once never deadlock with a checkout of some.
        ids = list(products.order_by("pk").select_for_update().values_list("pk", flat=True))
        updated = Product.objects.filter(pk__in=ids).update(
            public_until=models.Case(
                models.When(Q(status=ProductStatus.ACTIVE) & Q(shop_active), then=approved_until),
                default=models.Value(None),
                output_field=models.DateField(),
            )
        )
        catalogue_changed(shop_id=shop_id, product_ids=ids)
        return updated
