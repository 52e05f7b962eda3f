"""What a buyer must pass before a checkout holds stock for them.

Stock taken by an order nobody means to pay for is stock no one else can buy: throwaway
accounts placing orders of 99 jars a line, again and again, empty a small producer's
shelf for free. So, besides the per-account checkout throttle (`orders.api.throttles`):

- at most MAX_OPEN_ORDERS_PER_BUYER *open* orders per buyer (0: no cap). Open means
  holding stock on the buyer's word alone: a card order waiting for payment
  (`pending_payment`), or a cash-on-delivery order (`confirmed`) with a shop order no
  shop has yet accepted or rejected (`awaiting_fulfilment`). A paid order, or one every
  shop has taken on, is no longer the buyer's hostage;
- cash on delivery only from an account whose e-mail was verified, where
  COD_REQUIRES_VERIFIED_EMAIL is on (the production default);
- and, for the buyer's own sake, `expected_total`: the cart's total as the buyer last saw
  it; a price raised since then answers 409 `price_changed` instead of being charged.
"""

from __future__ import annotations

import functools

from django.conf import settings
from rest_framework import status

from marketplace.core.db import quoted_table
from marketplace.core.errors import Conflict, DomainError
from marketplace.core.money import CURRENCY
from orders.models import Order, OrderStatus, PaymentMethod, ShopOrder, ShopOrderStatus


class EmailNotVerified(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "email_not_verified"
    message = (
        "Verify your e-mail address before paying cash on delivery "
        "(POST /api/v1/auth/verify-email/ sends the link), or pay by card."
    )


def checkout_payment_check(*, buyer, payment_method: str) -> None:
    """Cash on delivery needs a verified e-mail where COD_REQUIRES_VERIFIED_EMAIL is on.
    Raises EmailNotVerified (403 `email_not_verified`)."""
    if (
        payment_method == PaymentMethod.COD
        and settings.COD_REQUIRES_VERIFIED_EMAIL
        and buyer.email_verified_at is None
    ):
        raise EmailNotVerified()


@functools.cache
def open_orders_count_sql() -> str:
    """A scalar subquery: how many open orders the buyer `%(buyer)s` holds, counted up
    to `%(open_cap)s` (no further: the answer only needs to reach the cap). Read in the
    checkout's cart statement, after the cart's lock, so that two checkouts of one buyer
    count each other's orders."""
    return f"""(SELECT count(*) FROM (
        SELECT 1 FROM {quoted_table(Order)} open_order
        WHERE open_order.buyer_id = %(buyer)s
            AND (open_order.status = '{OrderStatus.PENDING_PAYMENT.value}'
                OR (open_order.status = '{OrderStatus.CONFIRMED.value}' AND EXISTS (
                    SELECT 1 FROM {quoted_table(ShopOrder)} unaccepted
                    WHERE unaccepted.order_id = open_order.id
                        AND unaccepted.status = '{ShopOrderStatus.AWAITING_FULFILMENT.value}')))
        LIMIT %(open_cap)s
    ) open_orders)"""


def open_orders_cap() -> int:
    """The value bound to `%(open_cap)s`: the cap, or 0 (count nothing) without one."""
    return max(settings.MAX_OPEN_ORDERS_PER_BUYER, 0)


def open_orders_check(*, open_orders: int) -> None:
    """Raises Conflict `too_many_open_orders` (409) when the buyer already holds the
    most open orders allowed."""
    cap = open_orders_cap()
    if cap and open_orders >= cap:
        raise Conflict(
            f"You have {open_orders} orders waiting for payment or for a shop to accept "
            "them; pay for or cancel one before placing another.",
            code="too_many_open_orders",
            extra={"open_orders": open_orders, "limit": cap},
        )


def expected_total_check(*, expected_total: int | None, total: int) -> None:
    """`total` is the cart's total at today's prices (the goods, as GET /cart/ shows it,
    before shipping). Raises Conflict `price_changed` (409, with the current `total`)
    when the buyer expected another."""
    if expected_total is not None and expected_total != total:
        raise Conflict(
            "Prices changed since you last saw the cart; check the new total.",
            code="price_changed",
            extra={"total": total, "expected_total": expected_total, "currency": CURRENCY},
        )
