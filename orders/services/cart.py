"""The buyer's cart: one per buyer, across every shop."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.numbers import is_whole_number
from orders.models import Cart, CartItem
from shops.selectors import public_variants
from shops.services import local_today


def cart_for(*, buyer) -> Cart:
    cart, _ = Cart.objects.get_or_create(buyer=buyer)
    return cart


def _check_quantity(quantity: int) -> None:
    maximum = settings.CART_MAX_QUANTITY
    if not is_whole_number(quantity) or quantity < 1:
        raise InvalidInput(
            "Quantity is a whole number of at least 1.",
            code="invalid_quantity",
            fields={"quantity": ["A whole number of at least 1."]},
        )
    if quantity > maximum:
        raise _too_large()


def _too_large() -> InvalidInput:
    maximum = settings.CART_MAX_QUANTITY
    return InvalidInput(
        f"At most {maximum} of one item per order.",
        code="quantity_too_large",
        fields={"quantity": [f"At most {maximum}."]},
    )


def cart_item_add(
    *, buyer, variant_id: int, quantity: int, service_date: datetime.date | None = None
) -> CartItem:
    """Put a public variant in the buyer's cart; the same variant (and date) again adds
    to its quantity. A group-6 service needs a date from today on; goods take none.

    Raises NotFound `variant_not_found` (not public), InvalidInput `invalid_quantity`,
    `quantity_too_large`, `service_date_required`, `service_date_not_allowed`,
    `service_date_past`."""
    _check_quantity(quantity)
    variant = (
        public_variants()
        .select_related("product__certificate")
        .only("product__certificate__product_group")  # is_service, the only question
        .filter(pk=variant_id)
        .first()
    )
    if variant is None:
        raise NotFound("No such product on sale.", code="variant_not_found")
    if variant.product.is_service:
        if service_date is None:
            raise InvalidInput(
                "Pick the date of the visit.",
                code="service_date_required",
                fields={"service_date": ["Required for tourism services."]},
            )
        if service_date < local_today():
            raise InvalidInput(
                "That date has passed.",
                code="service_date_past",
                fields={"service_date": ["Pick today or a later date."]},
            )
    elif service_date is not None:
        raise InvalidInput(
            "Only tourism services are booked for a date.",
            code="service_date_not_allowed",
            fields={"service_date": ["Not for goods."]},
        )
    with transaction.atomic():
        cart = _cart_touch(buyer=buyer)
        item = _line_add(
            cart=cart, variant_id=variant.pk, quantity=quantity, service_date=service_date
        )
    return item


def _line_add(
    *, cart: Cart, variant_id: int, quantity: int, service_date: datetime.date | None
) -> CartItem:
    """Insert the line, or add to the cart's line of this variant (and date), in one
    statement on the unique index that makes a line of them. Raises InvalidInput
    `quantity_too_large` (nothing written) when the sum would pass the maximum.

    The line comes back with its id and quantity (not its creation time)."""
    table = CartItem._meta.db_table
    # The partial unique index (one line per variant; per variant and date for seats)
    # that the conflict is on.
    target = (
        "(cart_id, variant_id) WHERE service_date IS NULL"
        if service_date is None
        else "(cart_id, variant_id, service_date) WHERE service_date IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (cart_id, variant_id, quantity, service_date, created_at)
            VALUES (%s, %s, %s, %s, %s)
            ON CONFLICT {target}
            DO UPDATE SET quantity = {table}.quantity + excluded.quantity
            WHERE {table}.quantity + excluded.quantity <= %s
            RETURNING id, quantity""",
            [
                cart.pk,
                variant_id,
                quantity,
                service_date,
                timezone.now(),
                settings.CART_MAX_QUANTITY,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        # The line there already holds so many that the sum would pass the maximum.
        raise _too_large()
    return CartItem(
        pk=row[0], cart=cart, variant_id=variant_id, quantity=row[1], service_date=service_date
    )


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
    _check_quantity(quantity)
    item = _own_item(buyer=buyer, item_id=item_id)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


def cart_item_remove(*, buyer, item_id: int) -> None:
    """Take a line out of the cart. Raises NotFound `cart_item_not_found`."""
    _own_item(buyer=buyer, item_id=item_id).delete()
