"""Order tasks, on the `orders` queue (routed by module in worker/celery.py).

Thin: each loads by id and calls a service. The two that call Stripe carry no receipt
key: they guard themselves with their own rows (a refund is recorded once under the
order's lock; an intent is cancelled only for a cancelled payment) and a provider error
marked retryable is retried with backoff.
"""

from __future__ import annotations

from orders import services
from worker.base import worker_task


# Notifications carry their own dedupe keys, so a second delivery notifies nobody twice.
@worker_task(name="orders.tasks.order_placed_notify", queue="notifications")
def order_placed_notify(*, order_id: int) -> None:
    services.order_placed_notify(order_id=order_id)


@worker_task(name="orders.tasks.expire_reservations", soft_time_limit=50, time_limit=58)
def expire_reservations() -> int:
    """Beat, every minute. Each order expires once: its lock and state check see to it."""
    return services.orders_expire_due()


@worker_task(name="orders.tasks.auto_complete_delivered", soft_time_limit=300, time_limit=330)
def auto_complete_delivered() -> int:
    return services.shop_orders_auto_complete()


@worker_task(name="orders.tasks.payment_intent_cancel")
def payment_intent_cancel(*, order_id: int) -> bool:
    return services.payment_intent_cancel_send(order_id=order_id)


@worker_task(name="orders.tasks.shop_order_refund", queue="payments")
def shop_order_refund(*, shop_order_id: int) -> bool:
    return services.shop_order_refund_send(shop_order_id=shop_order_id)
