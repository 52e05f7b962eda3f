"""Tickets for group-6 community-tourism services: one code per seat, issued when paid,
voided when the booking is cancelled. Marking one used at the visit drives the shop
order's state machine, so it lives above it, in orders.services.checkins."""

from __future__ import annotations

import secrets

from orders.models import ShopOrder, Ticket, TicketStatus

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
