"""The producer checks a visitor in with a ticket's code; the first code of a booking used
completes its shop order. Above the state machine (orders.services.fulfilment), which
voids tickets through orders.services.tickets."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import InvalidTransition, NotFound
from orders.models import Ticket
from orders.services.common import SHOP_ORDER_TRANSITIONS, order_lock
from orders.services.fulfilment import shop_order_transition
from orders.services.tickets import TICKET_TRANSITIONS


def ticket_use(*, shop, code: str, actor) -> Ticket:
    """The producer checks a visitor in: the code is marked used, and the first code of a
    paid booking used completes its shop order (the visit happened).

    Raises NotFound `ticket_not_found` (not this shop's), InvalidTransition (already used
    or void)."""
    code = (code or "").strip().upper()
    found = (
        Ticket.objects.filter(code=code, shop_order__shop=shop)
        .values_list("pk", "shop_order__order_id")
        .first()
    )
    if found is None:
        raise NotFound("No such ticket.", code="ticket_not_found")
    ticket_id, order_id = found
    with transaction.atomic():
        order_lock(order_id=order_id)
        ticket = Ticket.objects.select_for_update().select_related("shop_order").get(pk=ticket_id)
        if ticket.status not in TICKET_TRANSITIONS["use"]:
            raise InvalidTransition(
                f"This ticket is {ticket.status}.", extra={"status": ticket.status}
            )
        if ticket.shop_order.status in SHOP_ORDER_TRANSITIONS["ticket_use"]:
            shop_order_transition(
                shop_order_id=ticket.shop_order_id, action="ticket_use", actor=actor, note=code
            )
        ticket.status = TICKET_TRANSITIONS["use"][ticket.status]
        ticket.used_at = timezone.now()
        ticket.save(update_fields=["status", "used_at"])
    return ticket
