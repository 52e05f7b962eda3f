"""The buyer's cart: one per buyer, across every shop."""

from __future__ import annotations

import contextlib
import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.clock import local_today
from marketplace.core.db import BIGINT_MAX, prepared_rows, quoted_table
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.money import CURRENCY
from marketplace.core.numbers import is_whole_number
from marketplace.ocop.reference import ProductGroup
from orders.models import Cart, CartItem
from orders.selectors import cart_json_sql
from shops.models import OcopCertificate, Product, ProductVariant
from shops.selectors import public_variants


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
        added = _goods_lines_add(
            buyer_id=buyer.pk, items=[CartItemToAdd(variant_id=variant_id, quantity=quantity)]
        )
        if not added.buyer_active:
            raise BuyerInactive()
        if added.refused:
            raise added.refused[1]
        return added.line_ids[0]
    _check_quantity(quantity)
    today = local_today()
    variant = (
        public_variants(today=today)
        .select_related("product__certificate")
        .only("product__certificate__product_group")  # is_service, the only question
        .filter(pk=variant_id)
        .first()
    )
    if variant is None:
        raise _not_on_sale()
    if variant.product.is_service:
        if service_date is None:
            raise _date_required()
        if service_date < today:
            raise InvalidInput(
                "That date has passed.",
                code="service_date_past",
                fields={"service_date": ["Pick today or a later date."]},
            )
    elif service_date is not None:
        raise _date_not_allowed()
    with transaction.atomic():
        cart = _cart_touch(buyer=buyer)
        return _line_add(
            cart=cart, variant_id=variant.pk, quantity=quantity, service_date=service_date
        )


@dataclass(frozen=True)
class CartItemToAdd:
    variant_id: int
    quantity: int
    service_date: datetime.date | None = None


def cart_add_size_check(*, items: object) -> None:
    """A cart add's `items` are counted before any of them is judged: validating a list
    of a million items one by one is a denial of service, not an input error. Raises
    InvalidInput `too_many_items` past CART_MAX_LINES_PER_ADD (anything not a list is
    the serializer's to refuse)."""
    if isinstance(items, list) and len(items) > settings.CART_MAX_LINES_PER_ADD:
        raise _too_many_items()


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
            added = _goods_lines_add(buyer_id=buyer.pk, items=items)
            if not added.buyer_active:
                raise BuyerInactive()
            if added.refused:
                position, error = added.refused
                raise _at_position(error, position)  # and the transaction rolls back
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
                raise _at_position(exc, position) from None
    return line_ids


def cart_goods_add(*, buyer_id: int, items: list[CartItemToAdd], listed: bool) -> bytes | None:
    """PostgreSQL, goods only: what `cart_item_add` (one item, not `listed`) or
    `cart_items_add` (`listed`) do, in one statement that also checks that `buyer_id` is
    an active user and answers the cart after the add, as `selectors.cart_json` writes
    it. For the API's busiest write, whose token was checked without reading its user.

    Answers None, writing nothing, when `buyer_id` is not an active user. Raises what
    those two raise."""
    if listed:
        cart_add_size_check(items=items)
    # One item is one statement: no transaction needed (a refused line writes nothing).
    with transaction.atomic() if len(items) > 1 else contextlib.nullcontext():
        added = _goods_lines_add(buyer_id=buyer_id, items=items, answer=True)
        if not added.buyer_active:
            return None
        if added.refused:
            position, error = added.refused
            raise _at_position(error, position) if listed else error
        return added.cart_json


class BuyerInactive(DomainError):
    """The buyer's account was closed or deactivated (after its request was let in)."""

    status_code = 401
    code = "user_inactive"
    message = "User is inactive"


def _at_position(error: DomainError, position: int) -> DomainError:
    return type(error)(
        error.message,
        code=error.code,
        fields={"items": {str(position): error.fields}} if error.fields else None,
        extra={**error.extra, "item": position},
    )


@dataclass(frozen=True)
class _GoodsAdded:
    line_ids: list[int]
    refused: tuple[int, DomainError] | None  # the first item refused: position, why
    buyer_active: bool
    cart_json: bytes | None  # with `answer`: the cart after the add (selectors.cart_json)


def _goods_lines_add(
    *, buyer_id: int, items: list[CartItemToAdd], answer: bool = False
) -> _GoodsAdded:
    """PostgreSQL, goods: check the buyer is an active user and every variant is on sale
    and takes no date, then create or touch the cart and insert or add to every line, in
    one statement; with `answer`, the same statement writes the cart after the add as
    JSON. Answers the lines' ids, or the first item refused (its position and why).

    Nothing is written unless the buyer is active and every variant is on sale; a line
    that would pass the maximum is not written, but the others are: with several items,
    the caller's transaction is rolled back by raising the refusal."""
    # One line per variant: the same variant twice adds up, as two requests would.
    wanted: dict[int, int] = {}
    for position, item in enumerate(items):
        try:
            _check_quantity(item.quantity)
        except InvalidInput as exc:
            return _GoodsAdded([], (position, exc), True, None)
        if not 0 < item.variant_id <= BIGINT_MAX:
            return _GoodsAdded([], (position, _not_on_sale()), True, None)  # no such id
        wanted[item.variant_id] = wanted.get(item.variant_id, 0) + item.quantity
    today = local_today()
    rows = prepared_rows(
        _goods_lines_add_sql(answer),
        {
            "variants": list(wanted),
            "quantities": list(wanted.values()),
            "tourism": ProductGroup.TOURISM,
            "today": today,
            "buyer": buyer_id,
            "now": timezone.now(),
            "maximum": settings.CART_MAX_QUANTITY,
            "currency": CURRENCY,
        },
    )
    answered = {row[0]: row[1:4] for row in rows}
    buyer_active, cart_json = bool(rows[0][4]), rows[0][5]
    cart_json = None if cart_json is None else cart_json.encode()
    if not buyer_active:
        return _GoodsAdded([], None, False, None)
    # What the cart held before (as this statement saw it) plus each item in turn: the
    # item that passes the maximum is the one refused.
    held = {variant_id: quantity or 0 for variant_id, (_, _, quantity) in answered.items()}
    for position, item in enumerate(items):
        is_service, line_id, _ = answered[item.variant_id]
        if is_service is None:
            return _GoodsAdded([], (position, _not_on_sale()), True, None)
        if is_service:
            return _GoodsAdded([], (position, _date_required()), True, None)
        held[item.variant_id] += item.quantity
        if line_id is None and held[item.variant_id] > settings.CART_MAX_QUANTITY:
            return _GoodsAdded([], (position, _too_large()), True, None)
    for position, item in enumerate(items):
        if answered[item.variant_id][1] is None:
            # A concurrent add to the same cart took the line past the maximum meanwhile.
            return _GoodsAdded([], (position, _too_large()), True, None)
    return _GoodsAdded([answered[item.variant_id][1] for item in items], None, True, cart_json)


@functools.cache
def _goods_lines_add_sql(answer: bool) -> str:
    cart_line = quoted_table(CartItem)
    # The cart after the add: its lines this statement did not touch, as it found them,
    # and the ones it wrote, as it wrote them (a statement does not see its own writes).
    cart_after = cart_json_sql(
        f"""SELECT item.id, item.variant_id, item.quantity, item.service_date
        FROM {cart_line} item JOIN {quoted_table(Cart)} held_cart ON held_cart.id = item.cart_id
        WHERE held_cart.buyer_id = %(buyer)s AND item.id NOT IN (SELECT id FROM line)
        UNION ALL
        SELECT id, variant_id, quantity, service_date FROM line"""
    )
    return f"""WITH wanted AS (
        SELECT * FROM unnest(%(variants)s::bigint[], %(quantities)s::integer[])
            AS w(variant_id, quantity)
    ), buyer AS (
        SELECT id FROM {quoted_table(User)} WHERE id = %(buyer)s AND is_active
    ), on_sale AS (
        SELECT w.variant_id, w.quantity,
            certificate.product_group = %(tourism)s AS is_service
        FROM wanted w
        JOIN {quoted_table(ProductVariant)} variant ON variant.id = w.variant_id
        JOIN {quoted_table(Product)} product ON product.id = variant.product_id
        JOIN {quoted_table(OcopCertificate)} certificate
            ON certificate.id = product.certificate_id
        WHERE product.public_until > %(today)s
    ), cart AS (
        INSERT INTO {quoted_table(Cart)} (buyer_id, updated_at)
        SELECT buyer.id, %(now)s FROM buyer
        WHERE (SELECT count(*) FROM on_sale WHERE NOT on_sale.is_service)
            = cardinality(%(variants)s::bigint[])
        ON CONFLICT (buyer_id) DO UPDATE SET updated_at = excluded.updated_at
        RETURNING id
    ), line AS (
        INSERT INTO {cart_line} (cart_id, variant_id, quantity, service_date, created_at)
        SELECT cart.id, s.variant_id, s.quantity, NULL, %(now)s
        FROM cart, on_sale s
        ORDER BY s.variant_id
        ON CONFLICT {_conflict_target(None)}
        DO UPDATE SET quantity = {cart_line}.quantity + excluded.quantity
        WHERE {cart_line}.quantity + excluded.quantity <= %(maximum)s
        RETURNING variant_id, id, quantity, service_date
    )
    SELECT w.variant_id, s.is_service, line.id, held.quantity,
        (SELECT count(*) FROM buyer), {f"({cart_after})" if answer else "NULL"}
    FROM wanted w
    LEFT JOIN on_sale s ON s.variant_id = w.variant_id
    LEFT JOIN line ON line.variant_id = w.variant_id
    LEFT JOIN (
        SELECT item.variant_id, item.quantity
        FROM {cart_line} item JOIN {quoted_table(Cart)} held_cart
            ON held_cart.id = item.cart_id
        WHERE held_cart.buyer_id = %(buyer)s AND item.service_date IS NULL
    ) held ON held.variant_id = w.variant_id"""


def _too_many_items() -> InvalidInput:
    return InvalidInput(
        f"At most {settings.CART_MAX_LINES_PER_ADD} items in one request.",
        code="too_many_items",
        fields={"items": [f"At most {settings.CART_MAX_LINES_PER_ADD}."]},
    )


def _not_on_sale() -> NotFound:
    return NotFound("No such product on sale.", code="variant_not_found")


def _date_required() -> InvalidInput:
    return InvalidInput(
        "Pick the date of the visit.",
        code="service_date_required",
        fields={"service_date": ["Required for tourism services."]},
    )


def _date_not_allowed() -> InvalidInput:
    return InvalidInput(
        "Only tourism services are booked for a date.",
        code="service_date_not_allowed",
        fields={"service_date": ["Not for goods."]},
    )


def _conflict_target(service_date: datetime.date | None) -> str:
    # The partial unique index (one line per variant; per variant and date for seats)
    # that an added line meets.
    return (
        "(cart_id, variant_id) WHERE service_date IS NULL"
        if service_date is None
        else "(cart_id, variant_id, service_date) WHERE service_date IS NOT NULL"
    )


def _line_add(
    *, cart: Cart, variant_id: int, quantity: int, service_date: datetime.date | None
) -> int:
    """Insert the line, or add to the cart's line of this variant (and date), in one
    statement on the unique index that makes a line of them. Raises InvalidInput
    `quantity_too_large` (nothing written) when the sum would pass the maximum.

    Answers the line's id."""
    table = quoted_table(CartItem)
    target = _conflict_target(service_date)
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
                settings.CART_MAX_QUANTITY,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        # The line there already holds so many that the sum would pass the maximum.
        raise _too_large()
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
    _check_quantity(quantity)
    item = _own_item(buyer=buyer, item_id=item_id)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


def cart_item_remove(*, buyer, item_id: int) -> None:
    """Take a line out of the cart. Raises NotFound `cart_item_not_found`."""
    _own_item(buyer=buyer, item_id=item_id).delete()
