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

from marketplace.core.clock import local_today
from marketplace.core.db import models_insert_together
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
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    ShopOrder,
    ShopOrderStatus,
)
from orders.services.checkout_cart import (
    CheckoutLine,
    cart_lines_read,
    cart_lines_remove,
    cart_lock,
)
from orders.services.checkout_guards import (
    checkout_payment_check,
    expected_total_check,
    open_orders_check,
)
from orders.services.shipping import Rate, shipping_fee, shop_distance
from shops.models import ProductVariant
from shops.services import (
    InsufficientStock,
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


def _address_check(*, address: ShippingAddress, line: CheckoutLine) -> tuple[Province, Ward]:
    """The province and ward of the shipping address, from what `cart_lines_read` read with
    the cart. They carry only what an order needs of them (code, name, macro region)."""
    if line.ward_name is not None:
        province = Province(
            code=address.province_code, name=line.province_name, macro_region=line.macro_region
        )
        return province, Ward(code=address.ward_code, name=line.ward_name, province=province)
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
    expected_total: int | None = None,
) -> CheckoutResult:
    """Turn the buyer's cart into an order, at the server's prices.

    In one transaction: lock the buyer's cart (a second checkout of it waits, then finds
    it empty), read it, claim the Idempotency-Key, create the Order, a ShopOrder per
    shop with its shipping fee and the shop's commission rate, lines snapshotting name,
    SKU, price and stars, the Payment row and the first events; empty the cart; and last
    take stock for every line (variants locked in primary-key order by the shops stock
    service, a StockMovement per line; tourism seats by date), so the variant locks are
    held for as short a time as possible. `stripe` leaves the order waiting
    for payment (held `ORDERS_PAYMENT_HOLD_MINUTES`); `cod` confirms it at once.
    `expected_total`, when given, is the cart's total the buyer saw (goods, before
    shipping); the checkout refuses if today's prices make another (checkout_guards).

    Raises InvalidInput `cart_empty`, `invalid_payment_method`, `invalid_address`,
    `cod_not_allowed_for_services`, `service_date_past`; Conflict `idempotency_key_reused`,
    `items_unavailable` (lines no longer on sale), `insufficient_stock` (every short
    variant with its available quantity; nothing is reserved), `shipping_rate_missing`,
    `too_many_open_orders`, `price_changed` (with the current `total`); EmailNotVerified
    (403 `email_not_verified`: cash on delivery from an unverified account); NotFound
    `session_not_found` (no seats offered on a date). A replayed Idempotency-Key answers
    its order whatever these say now."""
    if payment_method not in PaymentMethod.values:
        raise InvalidInput(
            "Pay by card (stripe) or cash on delivery (cod).",
            code="invalid_payment_method",
            fields={"payment_method": ["One of: stripe, cod."]},
        )
    body = {"shipping_address": asdict(shipping_address), "payment_method": payment_method}
    with transaction.atomic():
        cart_lock(buyer=buyer)
        cart = cart_lines_read(
            buyer=buyer,
            province_code=shipping_address.province_code,
            ward_code=shipping_address.ward_code,
        )
        lines = cart.lines
        items = [(line.variant_id, line.quantity, line.service_date) for line in lines]
        try:
            claim = idempotency_claim(
                user_id=buyer.pk,
                scope=IDEMPOTENCY_SCOPE,
                key=idempotency_key,
                fingerprint=_fingerprint(body=body, items=items),
                # The order's id comes with the claim: no second write to the record.
                reserve_id_for=Order,
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
        checkout_payment_check(buyer=buyer, payment_method=payment_method)
        open_orders_check(open_orders=cart.open_orders)
        order, variants = _place(
            buyer=buyer,
            lines=lines,
            rates=cart.rates,
            address=shipping_address,
            payment_method=payment_method,
            order_id=claim.reserved_id,
            expected_total=expected_total,
        )
        if claim.reserved_id is None:
            idempotency_complete(claim=claim, result_id=order.pk)
        # The lines read, not whatever the cart holds now: an item added meanwhile stays.
        cart_lines_remove([line.pk for line in lines])
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
    *,
    buyer,
    lines: list[CheckoutLine],
    rates: dict[str, Rate],
    address: ShippingAddress,
    payment_method: str,
    order_id,
    expected_total: int | None,
) -> tuple[Order, dict[int, ProductVariant]]:
    """Write the order at today's prices (with `order_id` when the idempotency claim
    reserved one), unless they make another total than `expected_total`; the stock is
    taken afterwards by `_reserve`, in the same transaction (a shortage rolls all of
    this back). The order comes back with its payment, shop orders, lines and events
    attached, as written: the answer needs no read-back."""
    province, ward = _address_check(address=address, line=lines[0])
    variants = {line.variant_id: line.variant for line in lines}
    variant_ids = sorted(variants)
    unavailable = sorted({line.variant_id for line in lines if not line.on_sale})
    if unavailable:
        raise Conflict(
            "Some items are no longer on sale; remove them from the cart.",
            code="items_unavailable",
            extra={"variants": [{"variant_id": pk} for pk in unavailable]},
        )
    past = sorted(
        {
            line.variant_id
            for line in lines
            if line.service_date and line.service_date < local_today()
        }
    )
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
    thresholds: dict[int, int | None] = {}
    for line in lines:
        by_shop[line.variant.shop_id].append((line.variant, line.quantity, line.service_date))
        thresholds[line.variant.shop_id] = line.free_threshold
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
    # Before anything is written: the cart's total is the goods' subtotal.
    expected_total_check(expected_total=expected_total, total=subtotal)
    shipping_total = sum(so.shipping_fee for so in shop_orders)
    now = timezone.now()
    order = Order(
        pk=order_id,
        buyer=buyer,
        status=OrderStatus.PENDING_PAYMENT if is_stripe else OrderStatus.CONFIRMED,
        payment_method=payment_method,
        subtotal=subtotal,
        shipping_total=shipping_total,
        total=subtotal + shipping_total,
        shipping_full_name=address.full_name,
        shipping_phone=address.phone,
        shipping_province=province,
        shipping_ward=ward,
        shipping_line1=address.line1,
        reserved_until=(
            now + datetime.timedelta(minutes=settings.ORDERS_PAYMENT_HOLD_MINUTES)
            if is_stripe
            else None
        ),
    )
    for shop_order in shop_orders:
        shop_order.order = order
    payment = Payment(order=order, provider=payment_method, amount=order.total)
    # Five tables in two statements, each built once per connection instead of compiled
    # by the ORM on every checkout: the order (its id reserved by
    # the idempotency claim), its shop orders and payment, then the rows that refer to
    # the shop orders.
    models_insert_together(
        ([order], order_id is not None), (shop_orders, False), ([payment], False)
    )
    order_lines = [
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
    events = [OrderEvent(order=order, actor=buyer, to_status=order.status, note="checkout")] + [
        OrderEvent(order=order, shop_order=so, actor=buyer, to_status=so.status)
        for so in shop_orders
    ]
    # The e-mails and in-app notes go out after commit, from a task (the variants stay
    # locked only as long as the order itself takes to write); its outbox row is written
    # with the lines and events.
    outbox_enqueue(
        task="orders.tasks.order_placed_notify",
        kwargs={"order_id": order.pk},
        written_with=((order_lines, False), (events, False)),
    )
    lines_by_shop_order: dict[int, list[OrderLine]] = defaultdict(list)
    for order_line in order_lines:
        lines_by_shop_order[order_line.shop_order.shop_id].append(order_line)
    for shop_order in shop_orders:
        _attach(shop_order, "lines", lines_by_shop_order[shop_order.shop_id])
        _attach(shop_order, "tickets", [])
    _attach(order, "shop_orders", shop_orders)
    _attach(order, "events", events)
    return order, variants


def _attach(instance, name: str, rows: list) -> None:
    """Make `instance.<name>.all()` answer `rows` (just written, in primary-key order)
    without a query, as prefetch_related would have filled it."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
