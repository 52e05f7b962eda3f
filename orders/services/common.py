"""What every orders service shares: row locks in the one global order (order → shop
orders → payment → variants), the event trail, notifications and tasks. The transition
tables and the moves themselves are in orders.services.transitions."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.core.errors import NotFound
from orders.models import Order, OrderEvent, Payment, ShopOrder
from shops.models import ShopMember
from worker.notifications import notify
from worker.outbox import outbox_enqueue


def order_lock(*, order_id: int, buyer=None) -> Order:
    """Lock one order (first in the global lock order). With `buyer`, someone else's
    order is NotFound `order_not_found`, so ids do not leak."""
    qs = Order.objects.select_for_update(of=("self",)).filter(pk=order_id)
    if buyer is not None:
        qs = qs.filter(buyer=buyer)
    order = qs.first()
    if order is None:
        raise NotFound("No such order.", code="order_not_found")
    return order


def shop_orders_lock(*, order: Order) -> list[ShopOrder]:
    return list(
        ShopOrder.objects.select_for_update(of=("self",))
        .filter(order=order)
        .select_related("shop")
        .order_by("pk")
    )


def payment_lock(*, order: Order) -> Payment:
    return Payment.objects.select_for_update().get(order=order)


def event_record(
    *,
    order: Order,
    to_status: str,
    from_status: str = "",
    shop_order: ShopOrder | None = None,
    actor=None,
    note: str = "",
) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        shop_order=shop_order,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def order_link(order: Order) -> str:
    return f"/api/v1/orders/{order.pk}/"


def buyer_notify(*, order: Order, kind: str, context: dict, dedupe_key: str) -> None:
    notify(
        recipient=order.buyer,
        kind=kind,
        context={"order_number": str(order.pk), "link": order_link(order), **context},
        target=order,
        dedupe_key=dedupe_key,
    )


def shop_members_notify(*, shop_order: ShopOrder, kind: str, context: dict, dedupe_key: str):
    shop = shop_order.shop
    for membership in ShopMember.objects.filter(shop=shop).select_related("user").order_by("pk"):
        notify(
            recipient=membership.user,
            kind=kind,
            context={
                "shop_name": shop.name,
                "order_number": str(shop_order.order_id),
                "link": f"/api/v1/shops/{shop.slug}/orders/{shop_order.pk}/",
                **context,
            },
            target=shop_order,
            dedupe_key=f"{dedupe_key}:u{membership.user_id}",
        )


def task_enqueue(*, task: str, kwargs: dict, dedupe_key: str) -> None:
    outbox_enqueue(task=task, kwargs=kwargs, dedupe_key=dedupe_key)


def intent_cancel_enqueue(*, order: Order) -> None:
    """After commit, cancel the intent of an order that will never be paid."""
    task_enqueue(
        task="orders.tasks.payment_intent_cancel",
        kwargs={"order_id": order.pk},
        dedupe_key=f"intent-cancel:{order.pk}",
    )


def shop_orders_of(order: Order) -> QuerySet[ShopOrder]:
    return ShopOrder.objects.filter(order=order).order_by("pk")
