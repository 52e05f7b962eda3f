"""The buyer's cart: one per buyer, across every shop. The reference path of a cart
add (any line, tourism seats included) and the cart's other writes; goods go through
the one statement of `orders.services.cart_fast`; what a cart accepts is decided in
`orders.services.cart_rules`."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

from marketplace.core.clock import local_today
from marketplace.core.db import quoted_table
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from orders.models import Cart, CartItem
from orders.services.cart_fast import conflict_target, goods_lines_add
from orders.services.cart_rules import (
    BuyerInactive,
    CartItemToAdd,
    at_position,
    cart_add_size_check,
    cart_quantity_check,
    cart_quantity_maximum,
    date_not_allowed,
    date_required,
    not_on_sale,
    quantity_too_large,
)
from shops.selectors import public_variants


def cart_for(*, buyer) -> Cart:
    cart, _ = Cart.objects.get_or_create(buyer=buyer)
    return cart


def cart_item_add(
    *, buyer, variant_id: int, quantity: int, service_date: datetime.date | None = None
) -> int:
    """Put a public variant in the buyer's cart; the same variant (and date) again adds
    to its quantity. A group-6 service needs a date from today on; goods take none.
    Answers the line's id.

    Raises NotFound `variant_not_found` (not public), InvalidInput `invalid_quantity`,
    `quantity_too_large`, `service_date_required`, `service_date_not_allowed`,
    `service_date_past`."""
    if service_date is None:
        # The busiest write of the marketplace: one statement, no transaction around it
        # (a refused line writes nothing).
        added = goods_lines_add(
            buyer_id=buyer.pk, items=[CartItemToAdd(variant_id=variant_id, quantity=quantity)]
        )
        if not added.buyer_active:
            raise BuyerInactive()
        if added.refused:
            raise added.refused[1]
        return added.line_ids[0]
    cart_quantity_check(quantity)
    today = local_today()
    variant = (
        public_variants(today=today)
        .select_related("product__certificate")
        .only("product__certificate__product_group")  # is_service, the only question
        .filter(pk=variant_id)
        .first()
    )
    if variant is None:
        raise not_on_sale()
    if variant.product.is_service:
        if service_date is None:
            raise date_required()
        if service_date < today:
            raise InvalidInput(
                "That date has passed.",
                code="service_date_past",
                fields={"service_date": ["Pick today or a later date."]},
            )
    elif service_date is not None:
        raise date_not_allowed()
    with transaction.atomic():
        cart = _cart_touch(buyer=buyer)
        return _line_add(
            cart=cart, variant_id=variant.pk, quantity=quantity, service_date=service_date
        )


def cart_items_add(*, buyer, items: list[CartItemToAdd]) -> list[int]:
    """Put several lines in the cart at once (a saved list, an order bought again, a
    cart kept on the device before signing in), all or nothing: each as `cart_item_add`
    would, in one transaction. Answers the lines' ids.

    Raises what `cart_item_add` raises, for the first item refused, with its position
    (`item`, from 0) and nothing added; InvalidInput `too_many_items` past
    CART_MAX_LINES_PER_ADD."""
    cart_add_size_check(items=items)
    with transaction.atomic():
        if all(i.service_date is None for i in items):
            # Goods only (the usual case): every line in one statement.
            added = goods_lines_add(buyer_id=buyer.pk, items=items)
            if not added.buyer_active:
                raise BuyerInactive()
            if added.refused:
                position, error = added.refused
                raise at_position(error, position)  # and the transaction rolls back
            return added.line_ids
        line_ids = []
        for position, item in enumerate(items):
            try:
                line_ids.append(
                    cart_item_add(
                        buyer=buyer,
                        variant_id=item.variant_id,
                        quantity=item.quantity,
                        service_date=item.service_date,
                    )
                )
            except DomainError as exc:
                raise at_position(exc, position) from None
    return line_ids


def _line_add(
    *, cart: Cart, variant_id: int, quantity: int, service_date: datetime.date | None
) -> int:
    """Insert the line, or add to the cart's line of this variant (and date), in one
    statement on the unique index that makes a line of them. Raises InvalidInput
    `quantity_too_large` (nothing written) when the sum would pass the maximum.

    Answers the line's id."""
    table = quoted_table(CartItem)
    target = conflict_target(service_date)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (cart_id, variant_id, quantity, service_date, created_at)
            VALUES (%s, %s, %s, %s, %s)
            ON CONFLICT {target}
            DO UPDATE SET quantity = {table}.quantity + excluded.quantity
            WHERE {table}.quantity + excluded.quantity <= %s
            RETURNING id""",
            [
                cart.pk,
                variant_id,
                quantity,
                service_date,
                timezone.now(),
                cart_quantity_maximum(),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        # The line there already holds so many that the sum would pass the maximum.
        raise quantity_too_large()
    return row[0]


def _cart_touch(*, buyer) -> Cart:
    """The buyer's cart, created if need be, locked until the end of the transaction
    (adds to one cart queue) and its `updated_at` moved: one upsert instead of a read,
    a locking read and an update."""
    cart = Cart(buyer=buyer, updated_at=timezone.now())
    Cart.objects.bulk_create(
        [cart], update_conflicts=True, unique_fields=["buyer"], update_fields=["updated_at"]
    )
    return cart


def _own_item(*, buyer, item_id: int) -> CartItem:
    item = CartItem.objects.filter(pk=item_id, cart__buyer=buyer).first()
    if item is None:
        raise NotFound("No such cart item.", code="cart_item_not_found")
    return item


def cart_item_update(*, buyer, item_id: int, quantity: int) -> CartItem:
    """Set a line's quantity. Raises NotFound `cart_item_not_found`, InvalidInput
    `invalid_quantity`, `quantity_too_large`."""
    cart_quantity_check(quantity)
    item = _own_item(buyer=buyer, item_id=item_id)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


def cart_item_remove(*, buyer, item_id: int) -> None:
    """Take a line out of the cart. Raises NotFound `cart_item_not_found`."""
    _own_item(buyer=buyer, item_id=item_id).delete()
