"""The stock ledger and the no-oversell primitives later issues (cart, checkout) call.

Every change writes a StockMovement in the same transaction, so a variant's stock always
equals the sum of its movements. Decrements are conditional UPDATEs (`stock >= n`), and
batch reservations lock variants in primary-key order, so two checkouts never deadlock
and never oversell.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from marketplace.core.db import prepared_rows
from marketplace.core.errors import Conflict, InvalidInput, NotFound
from marketplace.core.numbers import is_whole_number
from shops.models import ProductVariant, StockMovement, StockReason
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
        _low_stock_alert(variant=variant, movement=movement)


def _low_stock_alert(*, variant: ProductVariant, movement: StockMovement) -> None:
    """The `stock_low` notification of one downward crossing (`variant` with its shop and
    product loaded); the movement's id makes it once per crossing even if retried."""
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
        dedupe_key=f"stock_low:v{variant.pk}:m{movement.pk}",
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
    concurrent checkouts queue instead of deadlocking. On PostgreSQL the whole batch is
    two statements whatever the number of lines (see `_move_many_postgres`). Raises
    InsufficientStock (409 `insufficient_stock`) with `variants: [{variant_id,
    requested, available}]` naming every short variant, NotFound `variant_not_found`,
    InvalidInput `invalid_quantity`."""
    wanted = _merge(items)
    if not wanted:
        return []
    return _move_many(
        deltas={pk: -qty for pk, qty in wanted.items()},
        reason=StockReason.RESERVATION,
        actor=actor,
        reference=reference,
    )


def stock_release_many(
    *, items: list[tuple[int, int]], reference: str, actor=None
) -> list[StockMovement]:
    """Give reserved stock back (cancelled or expired order), in primary-key order.

    Raises NotFound `variant_not_found`, InvalidInput `invalid_quantity`,
    `stock_too_large`."""
    wanted = _merge(items)
    if not wanted:
        return []
    return _move_many(
        deltas=dict(wanted), reason=StockReason.RELEASE, actor=actor, reference=reference
    )


def _move_many(
    *, deltas: dict[int, int], reason: str, actor, reference: str
) -> list[StockMovement]:
    """Move the stock of several variants (keys in primary-key order) all or nothing,
    with a movement per variant, the low-stock flag and alert, and the listing columns
    of every product whose `in_stock` may have flipped."""
    if connection.in_atomic_block:
        # No savepoint (two statements more per checkout): the batch is a statement
        # that moves everything or nothing, so a refusal leaves the caller's transaction
        # as it was, and usable.
        return _move_many_postgres(deltas=deltas, reason=reason, actor=actor, reference=reference)
    with transaction.atomic():
        return _move_many_postgres(deltas=deltas, reason=reason, actor=actor, reference=reference)


def _refuse(*, deltas: dict[int, int], current: dict[int, int]) -> None:
    """Raise for a batch that cannot move as a whole: an unknown variant, a shortage
    (naming every short variant with what it has), or a restock beyond MAX_STOCK."""
    missing = [pk for pk in deltas if pk not in current]
    if missing:
        raise NotFound(
            "Some variants do not exist.",
            code="variant_not_found",
            extra={"variant_ids": missing},
        )
    short = [
        {"variant_id": pk, "requested": -delta, "available": current[pk]}
        for pk, delta in deltas.items()
        if delta < 0 and current[pk] < -delta
    ]
    if short:
        raise InsufficientStock("Some items do not have enough stock.", extra={"variants": short})
    if any(delta > 0 and current[pk] > MAX_STOCK - delta for pk, delta in deltas.items()):
        raise InvalidInput(f"A variant holds at most {MAX_STOCK} units.", code="stock_too_large")


# The row locks first, in primary-key order (the sort runs below the row locking), in a
# statement of their own; NO KEY UPDATE, as an UPDATE of the stock takes, so that
# inserts referencing the variants (cart items, order lines) are not held up.
#
# Not inside the batch statement below: a statement reads with the snapshot it started
# with, so one that waited for a lock midway could go on to update rows as they were
# before the wait (depending on the plan PostgreSQL picks, the update read the variants
# before every lock was taken) and have to re-lock them behind the checkouts queued on
# the same rows: deadlocks under load (seen in bench-checkout, three checkouts of the
# same five jars). Started once every lock is held, the batch sees the rows as they are.
_LOCK_MANY_SQL = """
SELECT v.id FROM shops_productvariant v
WHERE v.id = ANY(%s::bigint[])
ORDER BY v.id
FOR NO KEY UPDATE OF v
"""

# Then one statement for the whole batch. `locked` reads the stock under those locks. `ok`
# (an aggregate over all of `locked`) is true only if every variant exists and can move:
# nothing moves unless everything does. `moved` applies the deltas
# with the low-stock flag, still guarded by the conditions; `ledger` writes one movement
# per variant. The final SELECT answers per variant: what it had under the lock and, if
# moved, the new stock and the movement's id.
_MOVE_MANY_SQL = """
WITH wanted AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(deltas)s::integer[]) AS w(id, delta)
),
locked AS MATERIALIZED (
    SELECT v.id, v.stock, v.product_id, v.low_stock_threshold
    FROM shops_productvariant v
    WHERE v.id = ANY(%(ids)s::bigint[])
    ORDER BY v.id
    FOR NO KEY UPDATE OF v
),
ok AS (
    SELECT count(*) = cardinality(%(ids)s::bigint[])
        AND bool_and(
            CASE WHEN w.delta < 0 THEN l.stock >= -w.delta
                 ELSE l.stock <= %(max_stock)s - w.delta END
        ) AS ok
    FROM locked l JOIN wanted w ON w.id = l.id
),
moved AS (
    UPDATE shops_productvariant v
    SET stock = v.stock + w.delta,
        is_low_stock = (v.stock + w.delta <= v.low_stock_threshold)
    FROM locked l, wanted w, ok
    WHERE ok.ok AND v.id = l.id AND w.id = l.id
        AND CASE WHEN w.delta < 0 THEN v.stock >= -w.delta
                 ELSE v.stock <= %(max_stock)s - w.delta END
    RETURNING v.id, v.stock
),
ledger AS (
    INSERT INTO shops_stockmovement
        (variant_id, delta, stock_after, reason, actor_id, reference, created_at)
    SELECT m.id, w.delta, m.stock, %(reason)s, %(actor_id)s, %(reference)s, %(created_at)s
    FROM moved m JOIN wanted w ON w.id = m.id
    ORDER BY m.id
    RETURNING id, variant_id
)
SELECT l.id, l.stock, l.product_id, l.low_stock_threshold, m.stock, g.id
FROM locked l
LEFT JOIN moved m ON m.id = l.id
LEFT JOIN ledger g ON g.variant_id = l.id
ORDER BY l.id
"""


def _move_many_postgres(
    *, deltas: dict[int, int], reason: str, actor, reference: str
) -> list[StockMovement]:
    """`_move_many` in two statements (constant in the number of lines): the locks, then
    the batch; the low-stock alert and the listing refresh add statements only when they
    have something to do."""
    now = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    reference = (reference or "")[:100]
    # Fixed statements, run by every checkout: prepared once per connection.
    prepared_rows(_LOCK_MANY_SQL, [list(deltas)])
    rows = prepared_rows(
        _MOVE_MANY_SQL,
        {
            "ids": list(deltas),
            "deltas": list(deltas.values()),
            "max_stock": MAX_STOCK,
            "reason": reason,
            "actor_id": actor_id,
            "reference": reference,
            "created_at": now,
        },
    )
    if len(rows) != len(deltas) or any(movement_id is None for *_, movement_id in rows):
        # Nothing moved: say why, from the stock read under the locks.
        _refuse(deltas=deltas, current={row[0]: row[1] for row in rows})
        raise AssertionError("a stock batch moved nothing without a reason")  # pragma: no cover
    movements = []
    crossed: dict[int, StockMovement] = {}
    flipped: set[int] = set()
    for variant_id, _, product_id, threshold, after, movement_id in rows:
        before = after - deltas[variant_id]
        movement = StockMovement(
            pk=movement_id,
            variant_id=variant_id,
            delta=deltas[variant_id],
            stock_after=after,
            reason=reason,
            actor_id=actor_id,
            reference=reference,
            created_at=now,
        )
        movements.append(movement)
        if before > threshold >= after:
            crossed[variant_id] = movement
        if (before > 0) != (after > 0):
            # Only `in_stock` depends on the stock, and only when a variant runs out or
            # comes back: prices do not move with it.
            flipped.add(product_id)
    if crossed:
        for variant in ProductVariant.objects.select_related("shop", "product").filter(
            pk__in=list(crossed)
        ):
            _low_stock_alert(variant=variant, movement=crossed[variant.pk])
    if flipped:
        product_refresh_listing(product_ids=flipped)
    return movements
