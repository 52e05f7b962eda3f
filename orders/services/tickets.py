"""Tickets for group-6 community-tourism services: one code per seat, issued when paid,
marked used by the producer at the visit."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import InvalidTransition, NotFound
from orders.models import ShopOrder, Ticket, TicketStatus
from orders.services.common import SHOP_ORDER_TRANSITIONS, order_lock

# Unambiguous when read aloud or typed from a phone screen: no 0/O, 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10

TICKET_TRANSITIONS: dict[str, dict[str, str]] = {
    "use": {TicketStatus.VALID: TicketStatus.USED},
    "void": {TicketStatus.VALID: TicketStatus.VOID},
}


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def tickets_issue(*, shop_order: ShopOrder) -> list[Ticket]:
    """One ticket per seat of every dated line; called in the payment's transaction."""
    tickets = [
        Ticket(shop_order=shop_order, line=line, code=_code(), service_date=line.service_date)
        for line in shop_order.lines.filter(service_date__isnull=False).order_by("pk")
        for _ in range(line.quantity)
    ]
    return Ticket.objects.bulk_create(tickets)


def tickets_void(*, shop_order: ShopOrder) -> int:
    """Void the still-valid tickets of a cancelled service order."""
    return Ticket.objects.filter(shop_order=shop_order, status=TicketStatus.VALID).update(
        status=TicketStatus.VOID
    )


def ticket_use(*, shop, code: str, actor) -> Ticket:
    """The producer checks a visitor in: the code is marked used, and the first code of a
    paid booking used completes its shop order (the visit happened).

    Raises NotFound `ticket_not_found` (not this shop's), InvalidTransition (already used
    or void)."""
    from orders.services.fulfilment import shop_order_transition

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
