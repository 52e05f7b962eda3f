"""The stock ledger and the no-oversell primitives later issues (cart, checkout) call.

Every change writes a StockMovement in the same transaction, so a variant's stock always
equals the sum of its movements. Decrements are conditional UPDATEs (`stock >= n`), and
batch reservations lock variants in primary-key order, so two checkouts never deadlock
and never oversell.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from marketplace.core.errors import Conflict, InvalidInput, NotFound
from marketplace.core.numbers import is_whole_number
from shops.models import ProductVariant, ServiceSession, StockMovement, StockReason
from shops.services.effects import shop_notify
from shops.services.listing import product_refresh_listing

# Far above any real shelf, and far below the 32-bit column's limit.
MAX_STOCK = 1_000_000_000


class InsufficientStock(Conflict):
    code = "insufficient_stock"
    message = "Not enough stock."


def _movement(*, variant_id: int, delta: int, stock_after: int, reason: str, actor, reference):
    return StockMovement.objects.create(
        variant_id=variant_id,
        delta=delta,
        stock_after=stock_after,
        reason=reason,
        actor=actor if getattr(actor, "pk", None) else None,
        reference=(reference or "")[:100],
    )


def _low_stock_check(*, variant_id: int, movement: StockMovement) -> None:
    """Alert when this movement takes the stock from above the threshold to at or below
    it: once per downward crossing by construction (a restock climbing back above it
    re-arms the next one), never on a sale below it or on a restock still below it."""
    variant = ProductVariant.objects.select_related("shop", "product").get(pk=variant_id)
    low = movement.stock_after <= variant.low_stock_threshold
    if low != variant.is_low_stock:
        ProductVariant.objects.filter(pk=variant_id).update(is_low_stock=low)
    before = movement.stock_after - movement.delta
    if movement.delta < 0 and low and before > variant.low_stock_threshold:
        shop_notify(
            shop=variant.shop,
            kind="stock_low",
            context={
                "product_name": variant.product.name,
                "variant_name": variant.name,
                "sku": variant.sku,
                "stock": movement.stock_after,
                "threshold": variant.low_stock_threshold,
                "link": f"/api/v1/shops/{variant.shop.slug}/products/{variant.product_id}/",
            },
            target=variant.product,
            dedupe_key=f"stock_low:v{variant_id}:m{movement.pk}",
        )


def stock_adjust(
    *, variant: ProductVariant | int, delta: int, reason: str, actor=None, reference: str = ""
) -> StockMovement:
    """Move one variant's stock by `delta` (negative takes), writing the ledger row and
    the product's listing columns.

    Raises InsufficientStock (409 `insufficient_stock`) if it would go below zero,
    InvalidInput for a zero delta or an unknown reason, NotFound for an unknown variant."""
    with transaction.atomic():
        movement, product_id = _stock_move(
            variant=variant, delta=delta, reason=reason, actor=actor, reference=reference
        )
        product_refresh_listing(product_ids=[product_id])
        return movement


def _stock_move(
    *, variant: ProductVariant | int, delta: int, reason: str, actor, reference: str
) -> tuple[StockMovement, int]:
    """`stock_adjust()` without the listing refresh, for batches that refresh all their
    products at once. Returns the movement and the variant's product id."""
    variant_id = variant if isinstance(variant, int) else variant.pk
    if not is_whole_number(delta) or delta == 0:
        raise InvalidInput("A stock change is a non-zero whole number.", code="invalid_delta")
    if reason not in StockReason.values:
        raise InvalidInput(f"Unknown stock reason {reason!r}.", code="invalid_reason")
    if abs(delta) > MAX_STOCK:
        raise InvalidInput(f"At most {MAX_STOCK} at a time.", code="invalid_delta")
    # Inside the caller's transaction: no savepoint of its own (two statements saved).
    with transaction.atomic(savepoint=False):
        if delta < 0:
            rows = ProductVariant.objects.filter(pk=variant_id, stock__gte=-delta).update(
                stock=F("stock") + delta
            )
        else:
            rows = ProductVariant.objects.filter(
                pk=variant_id, stock__lte=MAX_STOCK - delta
            ).update(stock=F("stock") + delta)
            if rows != 1 and ProductVariant.objects.filter(pk=variant_id).exists():
                raise InvalidInput(
                    f"A variant holds at most {MAX_STOCK} units.", code="stock_too_large"
                )
        if rows != 1:
            available = (
                ProductVariant.objects.filter(pk=variant_id).values_list("stock", flat=True).first()
            )
            if available is None:
                raise NotFound("No such variant.", code="variant_not_found")
            raise InsufficientStock(
                f"Only {available} left.",
                extra={
                    "variants": [
                        {"variant_id": variant_id, "requested": -delta, "available": available}
                    ]
                },
            )
        stock_after, product_id = ProductVariant.objects.values_list("stock", "product_id").get(
            pk=variant_id
        )
        movement = _movement(
            variant_id=variant_id,
            delta=delta,
            stock_after=stock_after,
            reason=reason,
            actor=actor,
            reference=reference,
        )
        _low_stock_check(variant_id=variant_id, movement=movement)
        if not isinstance(variant, int):
            variant.stock = stock_after
        return movement, product_id


def stock_set(
    *,
    variant: ProductVariant,
    stock: int,
    actor=None,
    reason: str = StockReason.ADJUSTMENT,
    reference: str = "",
) -> StockMovement | None:
    """Set a variant's stock to a counted figure: the ledger records the difference.

    Returns None when nothing changes. Raises InvalidInput `invalid_stock`."""
    if not is_whole_number(stock) or not 0 <= stock <= MAX_STOCK:
        raise InvalidInput(
            code="invalid_stock", fields={"stock": [f"A whole number from 0 to {MAX_STOCK}."]}
        )
    with transaction.atomic():
        current = (
            ProductVariant.objects.select_for_update()
            .values_list("stock", flat=True)
            .get(pk=variant.pk)
        )
        if stock == current:
            variant.stock = current
            return None
        return stock_adjust(
            variant=variant,
            delta=stock - current,
            reason=reason,
            actor=actor,
            reference=reference,
        )


def _merge(items: Iterable[tuple[int, int]]) -> OrderedDict[int, int]:
    merged: dict[int, int] = {}
    for variant_id, quantity in items:
        if not is_whole_number(quantity) or quantity <= 0:
            raise InvalidInput("Quantities are whole numbers above zero.", code="invalid_quantity")
        merged[int(variant_id)] = merged.get(int(variant_id), 0) + quantity
    return OrderedDict(sorted(merged.items()))


def stock_reserve_many(
    *, items: list[tuple[int, int]], reference: str, actor=None
) -> list[StockMovement]:
    """Take stock for a whole order, all or nothing.

    Variants are locked in primary-key order (the project's global lock order), so
    concurrent checkouts queue instead of deadlocking. Raises InsufficientStock (409
    `insufficient_stock`) with `variants: [{variant_id, requested, available}]` naming
    every short variant, NotFound `variant_not_found`, InvalidInput `invalid_quantity`."""
    wanted = _merge(items)
    if not wanted:
        return []
    with transaction.atomic():
        locked = {
            v.pk: v
            for v in ProductVariant.objects.filter(pk__in=list(wanted))
            .order_by("pk")
            .select_for_update(of=("self",))
        }
        missing = [pk for pk in wanted if pk not in locked]
        if missing:
            raise NotFound(
                "Some variants do not exist.",
                code="variant_not_found",
                extra={"variant_ids": missing},
            )
        short = [
            {"variant_id": pk, "requested": qty, "available": locked[pk].stock}
            for pk, qty in wanted.items()
            if locked[pk].stock < qty
        ]
        if short:
            raise InsufficientStock(
                "Some items do not have enough stock.", extra={"variants": short}
            )
        movements = [
            _stock_move(
                variant=pk,
                delta=-qty,
                reason=StockReason.RESERVATION,
                actor=actor,
                reference=reference,
            )[0]
            for pk, qty in wanted.items()
        ]
        product_refresh_listing(product_ids={v.product_id for v in locked.values()})
        return movements


def stock_release_many(
    *, items: list[tuple[int, int]], reference: str, actor=None
) -> list[StockMovement]:
    """Give reserved stock back (cancelled or expired order), in primary-key order.

    Raises NotFound `variant_not_found`, InvalidInput `invalid_quantity`."""
    wanted = _merge(items)
    with transaction.atomic():
        found = dict(
            ProductVariant.objects.filter(pk__in=list(wanted))
            .order_by("pk")
            .select_for_update(of=("self",))
            .values_list("pk", "product_id")
        )
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            raise NotFound(code="variant_not_found", extra={"variant_ids": missing})
        movements = [
            _stock_move(
                variant=pk,
                delta=qty,
                reason=StockReason.RELEASE,
                actor=actor,
                reference=reference,
            )[0]
            for pk, qty in wanted.items()
        ]
        product_refresh_listing(product_ids=found.values())
        return movements


# --- Group 6: dated seats instead of parcels ------------------------------------------


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
