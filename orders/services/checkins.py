"""The producer checks a visitor in with a ticket's code; the first code of a booking used
completes its shop order. Above the shop order's moves (orders.services.fulfilment),
which void tickets through orders.services.tickets; both check with
orders.services.transitions."""

from __future__ import annotations

from django.db import transaction

from marketplace.core.errors import NotFound
from orders.models import Ticket
from orders.services.common import order_lock
from orders.services.fulfilment import shop_order_transition
from orders.services.transitions import SHOP_ORDER_TRANSITIONS, ticket_move


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
        fields = ticket_move(ticket=ticket, action="use")
        if ticket.shop_order.status in SHOP_ORDER_TRANSITIONS["ticket_use"]:
            shop_order_transition(
                shop_order_id=ticket.shop_order_id, action="ticket_use", actor=actor, note=code
            )
        ticket.save(update_fields=fields)
    return ticket
