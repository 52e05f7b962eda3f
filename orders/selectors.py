"""Reads of carts, orders, shop orders, sales and reviews."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate

from marketplace.core.errors import NotFound
from orders.models import (
    CartItem,
    Order,
    OrderEvent,
    OrderLine,
    Review,
    ShopOrder,
    ShopOrderStatus,
    Ticket,
)
from shops.models import Product, Shop
from shops.selectors import public_products
from shops.services.common import MARKET_TZ


@dataclass(frozen=True)
class CartLine:
    item: CartItem
    unit_price: int
    line_total: int
    on_sale: bool
    stock_available: int


@dataclass(frozen=True)
class CartView:
    lines: list[CartLine]
    total: int


def cart_view(*, buyer) -> CartView:
    """The buyer's cart at today's prices. A line whose product is no longer on sale is
    flagged (`on_sale` false) and left out of the total, never silently dropped."""
    items = list(
        CartItem.objects.filter(cart__buyer=buyer)
        .select_related("variant__product", "variant__shop")
        # What the cart shows, no more: compiling and loading every column of four
        # tables cost more than the query itself.
        .only(
            "quantity",
            "service_date",
            "variant__name",
            "variant__sku",
            "variant__price",
            "variant__stock",
            "variant__product__name",
            "variant__shop__slug",
            "variant__shop__name",
        )
        .annotate(on_sale=Exists(public_products().filter(pk=OuterRef("variant__product_id"))))
        .order_by("pk")
    )
    lines = [
        CartLine(
            item=item,
            unit_price=item.variant.price,
            line_total=item.variant.price * item.quantity,
            on_sale=item.on_sale,
            stock_available=max(item.variant.stock, 0),
        )
        for item in items
    ]
    return CartView(lines=lines, total=sum(line.line_total for line in lines if line.on_sale))


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
