"""The cart's fast path: goods added to a cart in ONE prepared statement (buyer active,
variants on sale, cart upserted, lines inserted or added to under the cap, and with
`answer` the cart after the add as JSON built in SQL). What it must equal: the rules in
`orders.services.cart_rules`, and `orders.selectors.cart_json` for its answer
(tests/orders/test_cart_fast.py)."""

from __future__ import annotations

import contextlib
import datetime
import functools
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.clock import local_today
from marketplace.core.db import BIGINT_MAX, prepared_rows, quoted_table
from marketplace.core.errors import DomainError, InvalidInput
from marketplace.core.money import CURRENCY
from marketplace.ocop.reference import ProductGroup
from orders.models import Cart, CartItem
from orders.selectors import cart_json_sql
from orders.services.cart_rules import (
    CartItemToAdd,
    at_position,
    cart_add_size_check,
    cart_quantity_check,
    cart_quantity_maximum,
    date_required,
    not_on_sale,
    quantity_too_large,
)
from shops.models import OcopCertificate, Product, ProductVariant


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
        added = goods_lines_add(buyer_id=buyer_id, items=items, answer=True)
        if not added.buyer_active:
            return None
        if added.refused:
            position, error = added.refused
            raise at_position(error, position) if listed else error
        return added.cart_json


@dataclass(frozen=True)
class GoodsAdded:
    line_ids: list[int]
    refused: tuple[int, DomainError] | None  # the first item refused: position, why
    buyer_active: bool
    cart_json: bytes | None  # with `answer`: the cart after the add (selectors.cart_json)


def goods_lines_add(
    *, buyer_id: int, items: list[CartItemToAdd], answer: bool = False
) -> GoodsAdded:
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
            cart_quantity_check(item.quantity)
        except InvalidInput as exc:
            return GoodsAdded([], (position, exc), True, None)
        if not 0 < item.variant_id <= BIGINT_MAX:
            return GoodsAdded([], (position, not_on_sale()), True, None)  # no such id
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
            "maximum": cart_quantity_maximum(),
            "currency": CURRENCY,
        },
    )
    answered = {row[0]: row[1:4] for row in rows}
    buyer_active, cart_json = bool(rows[0][4]), rows[0][5]
    cart_json = None if cart_json is None else cart_json.encode()
    if not buyer_active:
        return GoodsAdded([], None, False, None)
    # What the cart held before (as this statement saw it) plus each item in turn: the
    # item that passes the maximum is the one refused.
    held = {variant_id: quantity or 0 for variant_id, (_, _, quantity) in answered.items()}
    for position, item in enumerate(items):
        is_service, line_id, _ = answered[item.variant_id]
        if is_service is None:
            return GoodsAdded([], (position, not_on_sale()), True, None)
        if is_service:
            return GoodsAdded([], (position, date_required()), True, None)
        held[item.variant_id] += item.quantity
        if line_id is None and held[item.variant_id] > cart_quantity_maximum():
            return GoodsAdded([], (position, quantity_too_large()), True, None)
    for position, item in enumerate(items):
        if answered[item.variant_id][1] is None:
            # A concurrent add to the same cart took the line past the maximum meanwhile.
            return GoodsAdded([], (position, quantity_too_large()), True, None)
    return GoodsAdded([answered[item.variant_id][1] for item in items], None, True, cart_json)


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
        ON CONFLICT {conflict_target(None)}
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


def conflict_target(service_date: datetime.date | None) -> str:
    # The partial unique index (one line per variant; per variant and date for seats)
    # that an added line meets.
    return (
        "(cart_id, variant_id) WHERE service_date IS NULL"
        if service_date is None
        else "(cart_id, variant_id, service_date) WHERE service_date IS NOT NULL"
    )
