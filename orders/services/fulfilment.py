"""The ShopOrder state machine: producers accept, ship, deliver or reject; buyers cancel
before acceptance and confirm receipt; a beat task completes what was delivered a week
ago. Each move locks the order, then the shop order (the global lock order), is checked
and applied by orders.services.transitions, then settles the order's own status. The
expiry of unpaid card orders, which cancels through here, is orders.services.expiry."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import InvalidInput, InvalidTransition, NotFound
from orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    ShopOrder,
    ShopOrderStatus,
)
from orders.services.common import (
    buyer_notify,
    intent_cancel_enqueue,
    order_lock,
    payment_lock,
    shop_orders_lock,
    task_enqueue,
)
from orders.services.tickets import tickets_void
from orders.services.transitions import (
    ORDER_TRANSITIONS,
    REFUND_TRANSITIONS,
    SHOP_ORDER_TRANSITIONS,
    order_move,
    shop_order_move,
)
from shops.services import session_release_many, stock_release_many

S = ShopOrderStatus


def shop_order_restock(*, shop_order: ShopOrder, actor=None) -> None:
    """Give a cancelled shop order's goods and seats back (a StockMovement per line)."""
    lines = list(
        OrderLine.objects.filter(shop_order=shop_order, variant__isnull=False).values_list(
            "variant_id", "quantity", "service_date"
        )
    )
    goods = [(v, q) for v, q, d in lines if d is None]
    seats = [(v, d, q) for v, q, d in lines if d is not None]
    if goods:
        stock_release_many(items=goods, reference=f"order:{shop_order.order_id}", actor=actor)
    if seats:
        session_release_many(items=seats)


def shop_order_apply(
    *,
    order: Order,
    shop_order: ShopOrder,
    action: str,
    actor,
    note: str = "",
    update: Callable[[ShopOrder], list[str]] | None = None,
) -> ShopOrder:
    """One move of a shop order whose order is already locked by the caller, with what
    reaching the new state sets off (stock back, refund, the buyer told)."""
    fields = shop_order_move(
        order=order, shop_order=shop_order, action=action, actor=actor, note=note
    )
    to = shop_order.status
    if update:
        fields += update(shop_order)
    if to == S.CANCELLED:
        shop_order.cancel_reason = note
        fields.append("cancel_reason")
        shop_order_restock(shop_order=shop_order, actor=actor)
        if shop_order.is_service:
            tickets_void(shop_order=shop_order)
        if (
            order.paid_at is not None
            and order.payment_method == PaymentMethod.STRIPE
            # A part an operator already refunded (or is refunding) keeps that refund.
            and shop_order.refund_status in REFUND_TRANSITIONS["request"]
        ):
            shop_order.refund_status = REFUND_TRANSITIONS["request"][shop_order.refund_status]
            fields.append("refund_status")
            task_enqueue(
                task="orders.tasks.shop_order_refund",
                kwargs={"shop_order_id": shop_order.pk},
                dedupe_key=f"refund:shop-order:{shop_order.pk}",
            )
        buyer_notify(
            order=order,
            kind="order_cancelled",
            context={"shop_name": shop_order.shop.name, "reason": note},
            dedupe_key=f"shop-order-cancelled:{shop_order.pk}",
        )
    elif to == S.SHIPPED:
        buyer_notify(
            order=order,
            kind="order_shipped",
            context={
                "shop_name": shop_order.shop.name,
                "carrier": shop_order.carrier,
                "tracking_number": shop_order.tracking_number,
            },
            dedupe_key=f"shop-order-shipped:{shop_order.pk}",
        )
    elif to == S.DELIVERED:
        if order.payment_method == PaymentMethod.COD:
            # The carrier collected the cash: the shop's ledger rows are written now.
            task_enqueue(
                task="payments.tasks.cod_collected",
                kwargs={"shop_order_id": shop_order.pk},
                dedupe_key=f"cod-collected:{shop_order.pk}",
            )
        buyer_notify(
            order=order,
            kind="order_delivered",
            context={"shop_name": shop_order.shop.name},
            dedupe_key=f"shop-order-delivered:{shop_order.pk}",
        )
    shop_order.save(update_fields=fields)
    return shop_order


def order_settle(*, order: Order, actor=None) -> Order:
    """The order follows its shop orders: all cancelled → cancelled; all finished with at
    least one completed → completed. Called with the order locked."""
    statuses = set(ShopOrder.objects.filter(order=order).values_list("status", flat=True))
    action = None
    if statuses == {S.CANCELLED}:
        action = "cancel"
    elif statuses <= {S.COMPLETED, S.CANCELLED} and order.status != OrderStatus.PENDING_PAYMENT:
        action = "complete"
    if action is None or order.status not in ORDER_TRANSITIONS[action]:
        return order
    was_unpaid = order.status == OrderStatus.PENDING_PAYMENT
    fields = order_move(order=order, action=action, actor=actor)
    if was_unpaid:
        order.reserved_until = None
        fields.append("reserved_until")
        payment = payment_lock(order=order)
        payment.status = PaymentStatus.CANCELLED
        payment.save(update_fields=["status", "updated_at"])
        intent_cancel_enqueue(order=order)
    order.save(update_fields=fields)
    return order


def shop_order_transition(
    *,
    shop_order_id: int,
    action: str,
    actor=None,
    note: str = "",
    shop=None,
    buyer=None,
    update: Callable[[ShopOrder], list[str]] | None = None,
) -> ShopOrder:
    """Move one shop order by `action` (a key of SHOP_ORDER_TRANSITIONS). With `shop` or
    `buyer`, a shop order that is not theirs is NotFound `shop_order_not_found`.

    Raises NotFound, InvalidTransition (409: not allowed from the current state)."""
    scope = ShopOrder.objects.filter(pk=shop_order_id)
    if shop is not None:
        scope = scope.filter(shop=shop)
    if buyer is not None:
        scope = scope.filter(order__buyer=buyer)
    order_id = scope.values_list("order_id", flat=True).first()
    if order_id is None:
        raise NotFound("No such shop order.", code="shop_order_not_found")
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        shop_order = (
            ShopOrder.objects.select_for_update(of=("self",))
            .select_related("shop")
            .get(pk=shop_order_id)
        )
        shop_order_apply(
            order=order,
            shop_order=shop_order,
            action=action,
            actor=actor,
            note=note,
            update=update,
        )
        order_settle(order=order, actor=actor)
    return shop_order


def shop_order_accept(*, shop, shop_order_id: int, actor) -> ShopOrder:
    """The producer takes the order on. Raises NotFound, InvalidTransition."""
    return shop_order_transition(
        shop_order_id=shop_order_id, action="accept", actor=actor, shop=shop
    )


def shop_order_ship(
    *, shop, shop_order_id: int, actor, carrier: str, tracking_number: str
) -> ShopOrder:
    """The parcel left with a carrier. Raises InvalidInput `invalid_shipment` (missing
    carrier or tracking number, or a tourism booking), NotFound, InvalidTransition."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    problems = {}
    if not carrier:
        problems["carrier"] = ["Required."]
    if not tracking_number:
        problems["tracking_number"] = ["Required."]
    if problems:
        raise InvalidInput(
            "Name the carrier and tracking number.", code="invalid_shipment", fields=problems
        )

    def update(shop_order: ShopOrder) -> list[str]:
        if shop_order.is_service:
            raise InvalidTransition(
                "A tourism booking is not shipped; mark its tickets used.",
                code="service_not_shipped",
            )
        shop_order.carrier = carrier[:80]
        shop_order.tracking_number = tracking_number[:80]
        return ["carrier", "tracking_number"]

    return shop_order_transition(
        shop_order_id=shop_order_id,
        action="ship",
        actor=actor,
        shop=shop,
        note=f"{carrier} {tracking_number}",
        update=update,
    )


def shop_order_deliver(*, shop, shop_order_id: int, actor) -> ShopOrder:
    """The parcel reached the buyer. Raises NotFound, InvalidTransition."""
    return shop_order_transition(
        shop_order_id=shop_order_id, action="deliver", actor=actor, shop=shop
    )


def shop_order_reject(*, shop, shop_order_id: int, actor, reason: str) -> ShopOrder:
    """The producer cannot fulfil it: stock goes back and a paid part is refunded.
    Raises InvalidInput `reason_required`, NotFound, InvalidTransition."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "Tell the buyer why.", code="reason_required", fields={"reason": ["Required."]}
        )
    return shop_order_transition(
        shop_order_id=shop_order_id, action="reject", actor=actor, shop=shop, note=reason
    )


def shop_order_confirm_receipt(*, buyer, order_id: int, shop_order_id: int) -> ShopOrder:
    """The buyer got the parcel. Raises NotFound, InvalidTransition."""
    if not ShopOrder.objects.filter(pk=shop_order_id, order_id=order_id).exists():
        raise NotFound("No such shop order.", code="shop_order_not_found")
    return shop_order_transition(
        shop_order_id=shop_order_id, action="confirm_receipt", actor=buyer, buyer=buyer
    )


def order_cancel(*, buyer, order_id: int, reason: str = "") -> Order:
    """The buyer cancels every part of the order not yet accepted: stock goes back, a
    paid part is refunded, an unpaid order's intent is cancelled.

    Raises NotFound `order_not_found`, InvalidTransition (nothing left to cancel)."""
    return _order_cancel(order_id=order_id, buyer=buyer, reason=reason or "buyer cancelled")


def order_cancel_unpaid(*, order_id: int, reason: str) -> Order:
    """Cancel an order that can no longer be paid (its intent was cancelled at Stripe).
    Raises NotFound, InvalidTransition."""
    return _order_cancel(order_id=order_id, buyer=None, reason=reason)


def _order_cancel(*, order_id: int, buyer, reason: str) -> Order:
    with transaction.atomic():
        order = order_lock(order_id=order_id, buyer=buyer)
        shop_orders = shop_orders_lock(order=order)
        cancellable = [so for so in shop_orders if so.status in SHOP_ORDER_TRANSITIONS["cancel"]]
        if not cancellable:
            raise InvalidTransition(
                "Nothing in this order can be cancelled any more.",
                extra={"status": order.status},
            )
        for shop_order in cancellable:
            shop_order_apply(
                order=order, shop_order=shop_order, action="cancel", actor=buyer, note=reason
            )
        order_settle(order=order, actor=buyer)
    return order


def shop_orders_auto_complete(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Complete shop orders delivered `ORDERS_AUTO_COMPLETE_DAYS` ago that the buyer
    never confirmed; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ORDERS_AUTO_COMPLETE_DAYS)
    due = list(
        ShopOrder.objects.filter(status=S.DELIVERED, delivered_at__lte=cutoff)
        .order_by("delivered_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for shop_order_id in due:
        try:
            shop_order_transition(
                shop_order_id=shop_order_id,
                action="auto_complete",
                note=f"auto-completed after {settings.ORDERS_AUTO_COMPLETE_DAYS} days",
            )
        except InvalidTransition:
            continue
        done += 1
    return done
