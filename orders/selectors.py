"""Reads of carts, orders, shop orders, sales and reviews."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate

from marketplace.core.clock import MARKET_TZ, local_today
from marketplace.core.db import date_from_db, prepared_cursor, prepared_rows, quoted_table
from marketplace.core.errors import NotFound
from marketplace.core.money import CURRENCY
from orders.models import (
    Cart,
    CartItem,
    Order,
    OrderEvent,
    OrderLine,
    Review,
    ShopOrder,
    ShopOrderStatus,
    Ticket,
)
from shops.models import Product, ProductVariant, Shop


class ShopRef(NamedTuple):
    slug: str
    name: str


@dataclass(frozen=True)
class CartLine:
    id: int
    variant_id: int
    product_id: int
    product_name: str
    variant_name: str
    sku: str
    shop: ShopRef
    quantity: int
    service_date: datetime.date | None
    unit_price: int
    on_sale: bool
    stock_available: int

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class CartView:
    lines: list[CartLine]
    total: int


def cart_view(*, buyer, today: datetime.date | None = None) -> CartView:
    """The buyer's cart at today's prices. A line whose product is no longer on sale is
    flagged (`on_sale` false) and left out of the total, never silently dropped."""
    # Every cart add answers with the whole cart: one fixed statement, prepared once per
    # connection, instead of a query built and compiled per request.
    with prepared_cursor() as cursor:
        cursor.execute(_cart_sql(), [today or local_today(), buyer.pk])
        rows = cursor.fetchall()
    lines = [
        CartLine(
            id=row[0],
            variant_id=row[1],
            product_id=row[2],
            product_name=row[3],
            variant_name=row[4],
            sku=row[5],
            shop=ShopRef(slug=row[6], name=row[7]),
            quantity=row[8],
            service_date=None if row[9] is None else date_from_db(row[9]),
            unit_price=row[10],
            on_sale=bool(row[11]),
            stock_available=max(row[12], 0),
        )
        for row in rows
    ]
    return CartView(lines=lines, total=sum(line.line_total for line in lines if line.on_sale))


@functools.cache
def _cart_sql() -> str:
    return f"""SELECT item.id, item.variant_id, variant.product_id, product.name, variant.name,
        variant.sku, shop.slug, shop.name, item.quantity, item.service_date, variant.price,
        product.public_until > %s, variant.stock
    FROM {quoted_table(CartItem)} item
    JOIN {quoted_table(Cart)} cart ON cart.id = item.cart_id
    JOIN {quoted_table(ProductVariant)} variant ON variant.id = item.variant_id
    JOIN {quoted_table(Product)} product ON product.id = variant.product_id
    JOIN {quoted_table(Shop)} shop ON shop.id = variant.shop_id
    WHERE cart.buyer_id = %s
    ORDER BY item.id"""


def cart_json(*, buyer, today: datetime.date | None = None) -> bytes:
    """PostgreSQL: the cart as `cart_view` and the API's CartSerializer show it, written
    as JSON by the database in the same statement that reads it. Every cart add answers
    with the whole cart, and building five lines' objects and walking a serializer over
    them cost the app three times what the database takes to write the text."""
    rows = prepared_rows(
        _cart_json_sql(), {"today": today or local_today(), "currency": CURRENCY, "buyer": buyer.pk}
    )
    return rows[0][0].encode()


@functools.cache
def _cart_json_sql() -> str:
    return cart_json_sql(
        f"""SELECT item.id, item.variant_id, item.quantity, item.service_date
        FROM {quoted_table(CartItem)} item JOIN {quoted_table(Cart)} cart ON cart.id = item.cart_id
        WHERE cart.buyer_id = %(buyer)s"""
    )


def cart_json_sql(lines: str) -> str:
    """The SQL of a cart's JSON (see `cart_json`) over the lines `lines` selects (id,
    variant_id, quantity, service_date), with the parameters `today` and `currency`.
    Also used by the cart add, over the lines it has just written."""
    # The keys in CartSerializer's order. `on_sale` and the total follow cart_view: a
    # product that is not public (public_until NULL or past) is flagged and not counted.
    return f"""SELECT json_build_object(
        'items', coalesce(json_agg(json_build_object(
            'id', item.id, 'variant_id', item.variant_id, 'product_id', variant.product_id,
            'product_name', product.name, 'variant_name', variant.name, 'sku', variant.sku,
            'shop', json_build_object('slug', shop.slug, 'name', shop.name),
            'quantity', item.quantity, 'service_date', item.service_date,
            'unit_price', variant.price, 'line_total', variant.price::bigint * item.quantity,
            'on_sale', coalesce(product.public_until > %(today)s, false),
            'stock_available', greatest(variant.stock, 0), 'currency', %(currency)s::text
        ) ORDER BY item.id), '[]'),
        'total', coalesce(
            sum(variant.price::bigint * item.quantity)
                FILTER (WHERE product.public_until > %(today)s),
            0),
        'currency', %(currency)s::text)::text
    FROM ({lines}) item
    JOIN {quoted_table(ProductVariant)} variant ON variant.id = item.variant_id
    JOIN {quoted_table(Product)} product ON product.id = variant.product_id
    JOIN {quoted_table(Shop)} shop ON shop.id = variant.shop_id"""


def _order_details() -> list:
    return [
        Prefetch(
            "shop_orders",
            queryset=ShopOrder.objects.select_related("shop")
            .order_by("pk")
            .prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
                Prefetch("tickets", queryset=Ticket.objects.order_by("pk")),
            ),
        ),
        Prefetch("events", queryset=OrderEvent.objects.order_by("pk")),
    ]


def buyer_orders(*, buyer, status: str | None = None) -> QuerySet[Order]:
    qs = (
        Order.objects.filter(buyer=buyer)
        .select_related("payment", "shipping_province", "shipping_ward")
        .prefetch_related(*_order_details())
        .order_by("-created_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def order_for_buyer(*, buyer, order_id: int) -> Order:
    """The buyer's own order; anyone else's is NotFound `order_not_found`."""
    order = buyer_orders(buyer=buyer).filter(pk=order_id).first()
    if order is None:
        raise NotFound("No such order.", code="order_not_found")
    return order


def shop_orders_for_shop(
    *,
    shop: Shop,
    status: str | None = None,
    created_from: datetime.date | None = None,
    created_to: datetime.date | None = None,
) -> QuerySet[ShopOrder]:
    qs = (
        ShopOrder.objects.filter(shop=shop)
        .select_related("shop", "order__buyer", "order__shipping_province", "order__shipping_ward")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
            Prefetch("tickets", queryset=Ticket.objects.order_by("pk")),
            Prefetch("events", queryset=OrderEvent.objects.order_by("pk")),
        )
        .order_by("-created_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    if created_from:
        qs = qs.filter(created_at__date__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__date__lte=created_to)
    return qs


def shop_order_for_shop(*, shop: Shop, shop_order_id: int) -> ShopOrder:
    shop_order = shop_orders_for_shop(shop=shop).filter(pk=shop_order_id).first()
    if shop_order is None:
        raise NotFound("No such shop order.", code="shop_order_not_found")
    return shop_order


# What counts as a sale: placed and not cancelled, paid or cash on delivery.
SOLD_STATUSES = (
    ShopOrderStatus.AWAITING_FULFILMENT,
    ShopOrderStatus.ACCEPTED,
    ShopOrderStatus.SHIPPED,
    ShopOrderStatus.DELIVERED,
    ShopOrderStatus.COMPLETED,
)


def shop_sales_by_day(
    *, shop: Shop, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> list[dict]:
    """Per Vietnamese calendar day: shop orders placed, goods sold (subtotal) and
    shipping charged, over shop orders that are not cancelled nor awaiting payment."""
    qs = ShopOrder.objects.filter(shop=shop, status__in=SOLD_STATUSES)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    rows = (
        qs.annotate(day=TruncDate("created_at", tzinfo=MARKET_TZ))
        .values("day")
        .annotate(orders=Count("pk"), subtotal=Sum("subtotal"), shipping=Sum("shipping_fee"))
        .order_by("day")
    )
    return [
        {
            "date": row["day"],
            "orders": row["orders"],
            "subtotal": row["subtotal"],
            "shipping": row["shipping"],
            "total": row["subtotal"] + row["shipping"],
        }
        for row in rows
    ]


def product_reviews(*, product_id: int) -> QuerySet[Review]:
    """A product's reviews, newest first. Raises NotFound `product_not_found`."""
    if not Product.objects.filter(pk=product_id).exists():
        raise NotFound("No such product.", code="product_not_found")
    return Review.objects.filter(product_id=product_id).select_related("buyer")
