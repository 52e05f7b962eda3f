"""Variants (the SKUs buyers pick): creation rules and edits of price, stock, weight."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from marketplace.accounts.models import User
from marketplace.core.catalogue_version import catalogue_changed
from marketplace.core.errors import Conflict, InvalidInput
from marketplace.core.numbers import is_whole_number
from shops.models import Product, ProductVariant, StockReason
from shops.services.listing import product_refresh_listing
from shops.services.stock import MAX_STOCK, stock_adjust, stock_set

MAX_PRICE = 10**12  # a trillion đồng: beyond any listing, within the 64-bit column


def variant_fields_clean(*, data: dict, is_service: bool) -> dict:
    sku = str(data.get("sku") or "").strip()
    name = str(data.get("name") or "").strip()
    problems: dict[str, list[str]] = {}
    if not sku:
        problems["sku"] = ["Required."]
    if not name:
        problems["name"] = ["Required."]
    price = data.get("price")
    if not is_whole_number(price) or not 0 < price <= MAX_PRICE:
        problems["price"] = ["A whole number of đồng above zero."]
    stock = data.get("stock", 0)
    if not is_whole_number(stock) or not 0 <= stock <= MAX_STOCK:
        problems["stock"] = [f"A whole number from 0 to {MAX_STOCK}."]
    weight = data.get("weight_grams")
    if is_service:
        if stock:
            problems["stock"] = ["A tourism service sells dated seats, not stock."]
        weight = None
    elif not is_whole_number(weight) or not 0 < weight <= MAX_STOCK:
        problems["weight_grams"] = ["The shipping weight in grams is required."]
    threshold = data.get("low_stock_threshold", 5)
    if not is_whole_number(threshold) or not (0 <= threshold <= MAX_STOCK):
        problems["low_stock_threshold"] = ["A whole number ≥ 0."]
    if problems:
        raise InvalidInput(
            next(iter(problems.values()))[0], code="invalid_variant", fields=problems
        )
    return {
        "sku": sku,
        "name": name,
        "price": price,
        "stock": stock,
        "weight_grams": weight,
        "low_stock_threshold": threshold,
    }


def variant_create_checked(*, product: Product, fields: dict, actor, reason: str) -> ProductVariant:
    """Create a cleaned variant, its initial stock movement and the product's listing
    columns. Raises Conflict `duplicate_sku`."""
    stock = fields.pop("stock")
    try:
        with transaction.atomic():
            variant = ProductVariant.objects.create(
                product=product, shop_id=product.shop_id, stock=0, **fields
            )
    except IntegrityError as exc:
        raise Conflict(
            f"SKU {fields['sku']} is already used in this shop.",
            code="duplicate_sku",
            fields={"sku": ["Already used in this shop."]},
        ) from exc
    if stock:
        # Refreshes the product's listing columns too.
        stock_adjust(variant=variant, delta=stock, reason=reason, actor=actor)
    else:
        product_refresh_listing(product_ids=[product.pk])
    catalogue_changed(shop_id=product.shop_id, product_ids=[product.pk])
    return variant


def variant_add(
    *, product: Product, actor: User, stock_reason: str = StockReason.INITIAL, **data
) -> ProductVariant:
    """Add a SKU to a product. Raises InvalidInput `invalid_variant`, Conflict `duplicate_sku`."""
    fields = variant_fields_clean(data=data, is_service=product.is_service)
    with transaction.atomic():
        return variant_create_checked(
            product=product, fields=fields, actor=actor, reason=stock_reason
        )


def variant_update(
    *,
    variant: ProductVariant,
    actor: User,
    price: int | None = None,
    stock: int | None = None,
    name: str | None = None,
    weight_grams: int | None = None,
    low_stock_threshold: int | None = None,
    reference: str = "",
) -> ProductVariant:
    """Owner or staff change a variant's price, counted stock (recorded as an
    `adjustment` movement of the difference), name, weight or threshold.

    Raises InvalidInput (`invalid_variant`, `invalid_stock`, `service_has_no_stock`)."""
    problems: dict[str, list[str]] = {}
    if price is not None and (not is_whole_number(price) or not 0 < price <= MAX_PRICE):
        problems["price"] = ["A whole number of đồng above zero."]
    if weight_grams is not None and (
        not isinstance(weight_grams, int) or not 0 < weight_grams <= MAX_STOCK
    ):
        problems["weight_grams"] = ["Grams above zero."]
    if low_stock_threshold is not None and (
        not isinstance(low_stock_threshold, int) or not 0 <= low_stock_threshold <= MAX_STOCK
    ):
        problems["low_stock_threshold"] = ["A whole number ≥ 0."]
    if problems:
        raise InvalidInput(
            next(iter(problems.values()))[0], code="invalid_variant", fields=problems
        )
    with transaction.atomic():
        variant = (
            ProductVariant.objects.select_for_update(of=("self",))
            .select_related("product__certificate")
            .get(pk=variant.pk)
        )
        changed = []
        for field, value in (
            ("price", price),
            ("name", name),
            ("weight_grams", weight_grams),
            ("low_stock_threshold", low_stock_threshold),
        ):
            if value is not None:
                setattr(variant, field, value)
                changed.append(field)
        if changed:
            variant.save(update_fields=[*changed, "updated_at"])
            # A price, name, weight or threshold: never whether the product is public.
            catalogue_changed(
                shop_id=variant.shop_id, product_ids=[variant.product_id], content_only=True
            )
        if price is not None:
            product_refresh_listing(product_ids=[variant.product_id])
        if stock is not None:
            if variant.product.is_service and stock:
                raise InvalidInput(
                    "A tourism service sells dated seats; set capacity per date instead.",
                    code="service_has_no_stock",
                )
            stock_set(variant=variant, stock=stock, actor=actor, reference=reference)
        elif low_stock_threshold is not None:
            variant.refresh_from_db()
        variant.refresh_from_db()
        return variant
