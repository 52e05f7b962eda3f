"""Checkout: the buyer's cart becomes one Order, one ShopOrder per shop, and stock taken,
all in one transaction — or nothing at all.

The PaymentIntent is asked for afterwards (`payment_intent_ensure`), once the row locks
are released: a slow Stripe never holds a jar of fish sauce locked.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import Conflict, InvalidInput
from marketplace.core.idempotency import (
    IdempotencyKeyReused,
    idempotency_claim,
    idempotency_complete,
    request_fingerprint,
)
from marketplace.core.models import IdempotencyRecord
from marketplace.regions.models import Province, Ward
from orders.models import (
    CartItem,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    ShopOrder,
    ShopOrderStatus,
)
from orders.services.common import buyer_notify, shop_members_notify
from orders.services.shipping import free_thresholds, rates_by_class, shipping_fee, shop_distance
from shops.models import ProductVariant
from shops.selectors import public_variants
from shops.services import (
    InsufficientStock,
    local_today,
    session_reserve_many,
    stock_reserve_many,
)
from worker.outbox import outbox_enqueue

IDEMPOTENCY_SCOPE = "checkout"


@dataclass(frozen=True)
class ShippingAddress:
    full_name: str
    phone: str
    province_code: str
    ward_code: str
    line1: str


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    # False when the Idempotency-Key replayed an earlier checkout.
    created: bool


def _fingerprint(*, body: dict, items: list[tuple[int, int, datetime.date | None]]) -> str:
    return request_fingerprint(
        {"body": body, "items": sorted([v, q, d.isoformat() if d else ""] for v, q, d in items)}
    )


def _replay_after_cart_emptied(*, buyer, key: str, body: dict) -> Order | None:
    """A checkout empties the cart, so a retried request arrives with an empty one: it is
    the same request when the order it made matches its fingerprint."""
    record = IdempotencyRecord.objects.filter(
        user_id=buyer.pk, scope=IDEMPOTENCY_SCOPE, key=key
    ).first()
    if record is None or not record.result_id:
        return None
    order = Order.objects.filter(pk=int(record.result_id), buyer=buyer).first()
    if order is None:
        return None
    lines = OrderLine.objects.filter(shop_order__order=order).values_list(
        "variant_id", "quantity", "service_date"
    )
    if _fingerprint(body=body, items=list(lines)) != record.fingerprint:
        return None
    return order


def _address_check(address: ShippingAddress) -> Province:
    ward = (
        Ward.objects.select_related("province")
        .filter(code=address.ward_code, province_id=address.province_code)
        .first()
    )
    if ward is not None:
        return ward.province
    if not Province.objects.filter(code=address.province_code).exists():
        raise InvalidInput(
            "Unknown province.",
            code="invalid_address",
            fields={"shipping_address": {"province_code": ["Unknown province."]}},
        )
    raise InvalidInput(
        "That ward is not in that province.",
        code="invalid_address",
        fields={"shipping_address": {"ward_code": ["Not a ward of this province."]}},
    )


def checkout_place(
    *,
    buyer,
    idempotency_key: str,
    shipping_address: ShippingAddress,
    payment_method: str,
) -> CheckoutResult:
    """Turn the buyer's cart into an order, at the server's prices.

    In one transaction: claim the Idempotency-Key, create the Order, a ShopOrder per
    shop with its shipping fee and the shop's commission rate, lines snapshotting name,
    SKU, price and stars, the Payment row and the first events; empty the cart; and last
    take stock for every line (variants locked in primary-key order by the shops stock
    service, a StockMovement per line; tourism seats by date), so the variant locks are
    held for as short a time as possible. `stripe` leaves the order waiting
    for payment (held `ORDERS_PAYMENT_HOLD_MINUTES`); `cod` confirms it at once.

    Raises InvalidInput `cart_empty`, `invalid_payment_method`, `invalid_address`,
    `cod_not_allowed_for_services`, `service_date_past`; Conflict `idempotency_key_reused`,
    `items_unavailable` (lines no longer on sale), `insufficient_stock` (every short
    variant with its available quantity; nothing is reserved), `shipping_rate_missing`;
    NotFound `session_not_found` (no seats offered on a date)."""
    if payment_method not in PaymentMethod.values:
        raise InvalidInput(
            "Pay by card (stripe) or cash on delivery (cod).",
            code="invalid_payment_method",
            fields={"payment_method": ["One of: stripe, cod."]},
        )
    body = {"shipping_address": asdict(shipping_address), "payment_method": payment_method}
    with transaction.atomic():
        items = list(
            CartItem.objects.filter(cart__buyer=buyer)
            .order_by("pk")
            .values_list("variant_id", "quantity", "service_date")
        )
        try:
            claim = idempotency_claim(
                user_id=buyer.pk,
                scope=IDEMPOTENCY_SCOPE,
                key=idempotency_key,
                fingerprint=_fingerprint(body=body, items=items),
            )
        except IdempotencyKeyReused:
            order = (
                None
                if items
                else _replay_after_cart_emptied(buyer=buyer, key=idempotency_key, body=body)
            )
            if order is None:
                raise
            return CheckoutResult(order=order, created=False)
        if not claim.is_new:
            return CheckoutResult(
                order=Order.objects.get(pk=int(claim.record.result_id), buyer=buyer),
                created=False,
            )
        if not items:
            raise InvalidInput("The cart is empty.", code="cart_empty")
        order, variants = _place(
            buyer=buyer, items=items, address=shipping_address, payment_method=payment_method
        )
        idempotency_complete(claim=claim, result_id=order.pk)
        CartItem.objects.filter(cart__buyer=buyer).delete()
        # Last, so that the variants stay locked only from here to the commit: every
        # other checkout of the same jars waits on these rows.
        _reserve(buyer=buyer, order=order, items=items, variants=variants)
    return CheckoutResult(order=order, created=True)


def _reserve(*, buyer, order: Order, items, variants: dict) -> None:
    goods = [(v, q) for v, q, d in items if d is None]
    seats = [(v, d, q) for v, q, d in items if d is not None]
    try:
        # Locks the variants in primary-key order: concurrent checkouts queue, never deadlock.
        stock_reserve_many(items=goods, reference=f"order:{order.pk}", actor=buyer)
    except InsufficientStock as exc:
        short = exc.extra.get("variants", [])
        for entry in short:
            variant = variants[entry["variant_id"]]
            entry.update(sku=variant.sku, product_name=variant.product.name)
        raise InsufficientStock(
            "Some items do not have enough stock; nothing was reserved.",
            extra={"variants": short},
        ) from None
    if seats:
        session_reserve_many(items=seats)


def _place(
    *, buyer, items, address: ShippingAddress, payment_method: str
) -> tuple[Order, dict[int, ProductVariant]]:
    """Write the order at today's prices; the stock is taken afterwards by `_reserve`,
    in the same transaction (a shortage rolls all of this back)."""
    province = _address_check(address)
    variant_ids = sorted({v for v, _, _ in items})
    variants = {
        v.pk: v
        for v in public_variants()
        .filter(pk__in=variant_ids)
        .select_related("product__certificate", "shop__province")
    }
    unavailable = [pk for pk in variant_ids if pk not in variants]
    if unavailable:
        raise Conflict(
            "Some items are no longer on sale; remove them from the cart.",
            code="items_unavailable",
            extra={"variants": [{"variant_id": pk} for pk in unavailable]},
        )
    past = sorted({v for v, _, d in items if d is not None and d < local_today()})
    if past:
        raise InvalidInput(
            "A visit in the cart is booked for a date that has passed.",
            code="service_date_past",
            extra={"variants": [{"variant_id": pk} for pk in past]},
        )
    has_services = any(variants[v].product.is_service for v in variant_ids)
    if has_services and payment_method == PaymentMethod.COD:
        raise InvalidInput(
            "Tourism services are paid by card when booked.",
            code="cod_not_allowed_for_services",
            fields={"payment_method": ["Only stripe for tourism services."]},
        )

    is_stripe = payment_method == PaymentMethod.STRIPE
    by_shop: dict[int, list] = defaultdict(list)
    for variant_id, quantity, service_date in items:
        by_shop[variants[variant_id].shop_id].append((variants[variant_id], quantity, service_date))
    rates = rates_by_class()
    thresholds = free_thresholds(shop_ids=list(by_shop))
    status = ShopOrderStatus.PENDING_PAYMENT if is_stripe else ShopOrderStatus.AWAITING_FULFILMENT

    shop_orders: list[ShopOrder] = []
    pending_lines: list[tuple[ShopOrder, list]] = []
    for shop_id in sorted(by_shop):
        entries = by_shop[shop_id]
        shop = entries[0][0].shop
        subtotal = sum(v.price * q for v, q, _ in entries)
        ships = any(d is None for _, _, d in entries)
        weight = sum((v.weight_grams or 0) * q for v, q, d in entries if d is None)
        distance = shop_distance(shop_province=shop.province, buyer_province=province)
        fee = shipping_fee(
            rate=rates.get(distance),
            ships=ships,
            weight_grams=weight,
            subtotal=subtotal,
            free_threshold=thresholds.get(shop_id),
        )
        shop_order = ShopOrder(
            shop=shop,
            status=status,
            subtotal=subtotal,
            shipping_fee=fee,
            total=subtotal + fee,
            weight_grams=weight,
            distance_class=distance if ships else "",
            commission_bp=shop.commission_bp,
            is_service=not ships,
        )
        shop_orders.append(shop_order)
        pending_lines.append((shop_order, entries))
    subtotal = sum(so.subtotal for so in shop_orders)
    shipping_total = sum(so.shipping_fee for so in shop_orders)
    now = timezone.now()
    order = Order.objects.create(
        buyer=buyer,
        status=OrderStatus.PENDING_PAYMENT if is_stripe else OrderStatus.CONFIRMED,
        payment_method=payment_method,
        subtotal=subtotal,
        shipping_total=shipping_total,
        total=subtotal + shipping_total,
        shipping_full_name=address.full_name,
        shipping_phone=address.phone,
        shipping_province=province,
        shipping_ward_id=address.ward_code,
        shipping_line1=address.line1,
        reserved_until=(
            now + datetime.timedelta(minutes=settings.ORDERS_PAYMENT_HOLD_MINUTES)
            if is_stripe
            else None
        ),
    )
    for shop_order in shop_orders:
        shop_order.order = order
    ShopOrder.objects.bulk_create(shop_orders)
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                shop_order=shop_order,
                variant=variant,
                product=variant.product,
                product_name=variant.product.name,
                variant_name=variant.name,
                sku=variant.sku,
                stars=variant.product.stars,
                unit_price=variant.price,
                quantity=quantity,
                line_total=variant.price * quantity,
                weight_grams=(variant.weight_grams or 0) if service_date is None else 0,
                service_date=service_date,
            )
            for shop_order, entries in pending_lines
            for variant, quantity, service_date in entries
        ]
    )
    Payment.objects.create(order=order, provider=payment_method, amount=order.total)
    OrderEvent.objects.bulk_create(
        [OrderEvent(order=order, actor=buyer, to_status=order.status, note="checkout")]
        + [
            OrderEvent(order=order, shop_order=so, actor=buyer, to_status=so.status)
            for so in shop_orders
        ]
    )
    # The e-mails and in-app notes go out after commit, from a task: the variants
    # stay locked only as long as the order itself takes to write.
    outbox_enqueue(task="orders.tasks.order_placed_notify", kwargs={"order_id": order.pk})
    return order, variants


def order_placed_notify(*, order_id: int) -> None:
    """Tell the buyer the order is placed and, for cash on delivery, each shop that it
    has an order to fulfil (card orders tell shops once paid). Idempotent: every
    notification carries a dedupe key."""
    order = Order.objects.select_related("buyer").get(pk=order_id)
    shop_orders = list(ShopOrder.objects.filter(order=order).select_related("shop").order_by("pk"))
    buyer_notify(
        order=order,
        kind="order_placed",
        context={"total": order.total, "shop_count": len(shop_orders)},
        dedupe_key=f"order-placed:{order.pk}",
    )
    if order.payment_method == PaymentMethod.COD:
        for shop_order in shop_orders:
            shop_order_new_notify(shop_order=shop_order, buyer=order.buyer)


def shop_order_new_notify(*, shop_order: ShopOrder, buyer) -> None:
    """Tell the shop it has an order to fulfil (at checkout for COD, at payment for card)."""
    shop_members_notify(
        shop_order=shop_order,
        kind="shop_order_new",
        context={
            "buyer_name": buyer.full_name or buyer.email,
            "item_count": shop_order.lines.count(),
            "total": shop_order.total,
        },
        dedupe_key=f"shop-order-new:{shop_order.pk}",
    )
