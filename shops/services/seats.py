"""Dated seats of community-tourism (group 6) products: a session's capacity on a date
and the seats booked on it, instead of a variant's stock. Bookings are all or nothing and
lock sessions in (variant, date) order, as the stock ledger locks variants.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F

from marketplace.core.errors import Conflict, InvalidInput, NotFound
from shops.models import ProductVariant, ServiceSession
from shops.services.stock import MAX_STOCK, InsufficientStock


def session_capacity_set(
    *, variant: ProductVariant, date: datetime.date, capacity: int
) -> ServiceSession:
    """Open (or resize) the seats of a tourism variant on a date. Capacity cannot drop
    below the seats already reserved.

    Raises InvalidInput `not_a_service`, `invalid_capacity`; Conflict `capacity_below_reserved`."""
    if not variant.product.is_service:
        raise InvalidInput(
            "Only community-tourism (group 6) products sell dated seats.", code="not_a_service"
        )
    if not isinstance(capacity, int) or not 0 <= capacity <= MAX_STOCK:
        raise InvalidInput(code="invalid_capacity", fields={"capacity": ["A whole number ≥ 0."]})
    with transaction.atomic():
        session, created = ServiceSession.objects.select_for_update().get_or_create(
            variant=variant, date=date, defaults={"capacity": capacity}
        )
        if not created:
            if capacity < session.reserved:
                raise Conflict(
                    f"{session.reserved} seats are already booked for that date.",
                    code="capacity_below_reserved",
                )
            session.capacity = capacity
            session.save(update_fields=["capacity"])
        return session


def session_reserve_many(*, items: list[tuple[int, datetime.date, int]]) -> None:
    """Book seats on dated sessions, all or nothing, locking in (variant, date) order.

    Raises InsufficientStock (409 `insufficient_stock`) with `sessions: [{variant_id,
    date, requested, available}]`, NotFound `session_not_found`."""
    wanted: dict[tuple[int, datetime.date], int] = {}
    for variant_id, date, quantity in items:
        if not isinstance(quantity, int) or quantity <= 0:
            raise InvalidInput(code="invalid_quantity")
        wanted[(int(variant_id), date)] = wanted.get((int(variant_id), date), 0) + quantity
    with transaction.atomic():
        sessions = {}
        for variant_id, date in sorted(wanted):
            session = (
                ServiceSession.objects.select_for_update()
                .filter(variant_id=variant_id, date=date)
                .first()
            )
            if session is None:
                raise NotFound(
                    "No seats are offered on that date.",
                    code="session_not_found",
                    extra={"variant_id": variant_id, "date": date.isoformat()},
                )
            sessions[(variant_id, date)] = session
        short = [
            {
                "variant_id": key[0],
                "date": key[1].isoformat(),
                "requested": qty,
                "available": sessions[key].available,
            }
            for key, qty in sorted(wanted.items())
            if sessions[key].available < qty
        ]
        if short:
            raise InsufficientStock("Not enough seats.", extra={"sessions": short})
        for key, qty in sorted(wanted.items()):
            ServiceSession.objects.filter(pk=sessions[key].pk).update(reserved=F("reserved") + qty)


def session_release_many(*, items: list[tuple[int, datetime.date, int]]) -> None:
    """Give booked seats back. Never below zero. Raises NotFound `session_not_found`."""
    with transaction.atomic():
        for variant_id, date, quantity in sorted(items):
            rows = ServiceSession.objects.filter(
                variant_id=variant_id, date=date, reserved__gte=quantity
            ).update(reserved=F("reserved") - quantity)
            if rows != 1:
                raise NotFound(code="session_not_found")
