"""The orders state machine: every status an order, a shop order, a ticket or a refund
may move to, by action, and the functions that check the current state and apply one
move. Anything a table does not allow is InvalidTransition (409).

Who moves what: fulfilment (producers, buyers, expiry, auto-completion), payment (paid
on time or late), checkins (a ticket used at the visit) and refunds. They hold the row
locks (orders.services.common) and add the side effects; the check, the event trail and
the status itself are written here, once."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from marketplace.core.errors import InvalidTransition
from orders.models import (
    Order,
    OrderStatus,
    RefundStatus,
    ShopOrder,
    ShopOrderStatus,
    Ticket,
    TicketStatus,
)
from orders.services.common import event_record

S = ShopOrderStatus
OS = OrderStatus
R = RefundStatus

# Every move a shop order may make, by action: {action: {from: to}}. Anything else is 409.
SHOP_ORDER_TRANSITIONS: dict[str, dict[str, str]] = {
    "pay": {S.PENDING_PAYMENT: S.AWAITING_FULFILMENT},
    "accept": {S.AWAITING_FULFILMENT: S.ACCEPTED},
    "ship": {S.ACCEPTED: S.SHIPPED},
    "deliver": {S.SHIPPED: S.DELIVERED},
    "confirm_receipt": {S.DELIVERED: S.COMPLETED},
    "auto_complete": {S.DELIVERED: S.COMPLETED},
    # A ticket used at the visit completes a service order (nothing is shipped).
    "ticket_use": {S.AWAITING_FULFILMENT: S.COMPLETED, S.ACCEPTED: S.COMPLETED},
    "cancel": {S.PENDING_PAYMENT: S.CANCELLED, S.AWAITING_FULFILMENT: S.CANCELLED},
    "reject": {S.AWAITING_FULFILMENT: S.CANCELLED, S.ACCEPTED: S.CANCELLED},
    "expire": {S.PENDING_PAYMENT: S.CANCELLED},
    # A card payment that lands after the hold ran out brings the expired parts back.
    "pay_late": {S.CANCELLED: S.AWAITING_FULFILMENT},
}

# The order's own moves. Its status follows its shop orders (see fulfilment.order_settle).
ORDER_TRANSITIONS: dict[str, dict[str, str]] = {
    "pay": {OS.PENDING_PAYMENT: OS.PAID},
    "expire": {OS.PENDING_PAYMENT: OS.EXPIRED},
    "pay_late": {OS.EXPIRED: OS.PAID},
    "cancel": {OS.PENDING_PAYMENT: OS.CANCELLED, OS.PAID: OS.CANCELLED, OS.CONFIRMED: OS.CANCELLED},
    "complete": {OS.PAID: OS.COMPLETED, OS.CONFIRMED: OS.COMPLETED},
}

# A ticket is used once at the visit, or voided with its cancelled booking (tickets_void
# writes that move as one conditional UPDATE of the booking's valid tickets).
TICKET_TRANSITIONS: dict[str, dict[str, str]] = {
    "use": {TicketStatus.VALID: TicketStatus.USED},
    "void": {TicketStatus.VALID: TicketStatus.VOID},
}

# A shop order's refund, beside its status. "send" is written as a conditional UPDATE
# (REQUESTED → SENT) so a confirmation that raced ahead is never overwritten; "confirm"
# comes from Stripe, whatever the shop order asked, and counts once.
REFUND_TRANSITIONS: dict[str, dict[str, str]] = {
    "request": {R.NONE: R.REQUESTED},
    "send": {R.REQUESTED: R.SENT},
    "confirm": {R.NONE: R.DONE, R.REQUESTED: R.DONE, R.SENT: R.DONE},
}

# When a shop order reached each state (a column per stamp).
_STAMPS = {
    S.ACCEPTED: "accepted_at",
    S.SHIPPED: "shipped_at",
    S.DELIVERED: "delivered_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
}


def next_status(
    *,
    table: dict[str, dict[str, str]],
    action: str,
    current: str,
    message: str | None = None,
    code: str | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The status `action` leads to from `current`. Raises InvalidTransition (409), by
    default `invalid_transition` with the status and action in the body."""
    allowed = table[action]
    if current not in allowed:
        raise InvalidTransition(
            message or f"Cannot {action.replace('_', ' ')} from {current!r}.",
            code=code,
            extra={"status": current, "action": action} if extra is None else extra,
        )
    return allowed[current]


def order_move(*, order: Order, action: str, actor=None, note: str = "") -> list[str]:
    """Check and apply one move of an order the caller has locked: the event trail gets
    its row and the status changes. Returns the fields to save (with whatever else the
    caller changes). Raises InvalidTransition."""
    to = next_status(table=ORDER_TRANSITIONS, action=action, current=order.status)
    event_record(order=order, actor=actor, from_status=order.status, to_status=to, note=note)
    order.status = to
    return ["status", "updated_at"]


def shop_order_move(
    *, order: Order, shop_order: ShopOrder, action: str, actor=None, note: str = ""
) -> list[str]:
    """Check and apply one move of a shop order whose order the caller has locked: the
    event trail gets its row, the status changes and the state's time is stamped.
    Returns the fields to save. Raises InvalidTransition."""
    to = next_status(table=SHOP_ORDER_TRANSITIONS, action=action, current=shop_order.status)
    event_record(
        order=order,
        shop_order=shop_order,
        actor=actor,
        from_status=shop_order.status,
        to_status=to,
        note=note,
    )
    shop_order.status = to
    fields = ["status"]
    stamp = _STAMPS.get(to)
    if stamp:
        setattr(shop_order, stamp, timezone.now())
        fields.append(stamp)
    return fields


def ticket_move(*, ticket: Ticket, action: str) -> list[str]:
    """Check and apply one move of a locked ticket; returns the fields to save. Raises
    InvalidTransition ("This ticket is used.")."""
    ticket.status = next_status(
        table=TICKET_TRANSITIONS,
        action=action,
        current=ticket.status,
        message=f"This ticket is {ticket.status}.",
        extra={"status": ticket.status},
    )
    fields = ["status"]
    if ticket.status == TicketStatus.USED:
        ticket.used_at = timezone.now()
        fields.append("used_at")
    return fields
