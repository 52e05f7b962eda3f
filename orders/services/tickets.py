"""Tickets for group-6 community-tourism services: one code per seat, issued when paid,
voided when the booking is cancelled. Marking one used at the visit drives the shop
order's state machine (orders.services.transitions) too: orders.services.checkins."""

from __future__ import annotations

import secrets

from orders.models import ShopOrder, Ticket
from orders.services.transitions import TICKET_TRANSITIONS

# Unambiguous when read aloud or typed from a phone screen: no 0/O, 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


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
    """Void the still-valid tickets of a cancelled service order: the "void" move of
    TICKET_TRANSITIONS, as one conditional UPDATE."""
    ((valid, void),) = TICKET_TRANSITIONS["void"].items()
    return Ticket.objects.filter(shop_order=shop_order, status=valid).update(status=void)
