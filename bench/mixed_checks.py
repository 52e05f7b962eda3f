"""The consistency check `make bench-mixed` runs once the worker has drained: what a busy
evening must not leave behind, read from the database alone (in the Django process that
calls it, on whatever database it is set up with; tests/bench runs it on a crafted one).

- stock: no variant below zero; every variant's stock is the sum of its movements (the
  stock ledger); and what checkouts took and gave back (`reservation` and `release`
  movements) is exactly what the order lines still hold (lines of shop orders that were
  not cancelled): no stock sold twice, none lost.
- payments: every paid card order (paid_at set) has one `paid` event, a succeeded payment
  and exactly one `sale` ledger row per shop order.
- events: every stored Stripe event was applied (none left `received` or `failed`), and
  no order was paid more than once.
- work: nothing left unsent in the outbox.
"""

from __future__ import annotations

from django.db import connection

# Each query returns one row of counts; a count above zero is a problem.
_QUERIES = {
    "variants_below_zero": "SELECT count(*) FROM shops_productvariant WHERE stock < 0",
    "variants_off_their_stock_ledger": """
        SELECT count(*) FROM shops_productvariant v
        LEFT JOIN (
            SELECT variant_id, sum(delta) AS total FROM shops_stockmovement GROUP BY variant_id
        ) m ON m.variant_id = v.id
        WHERE v.stock <> coalesce(m.total, 0)""",
    "variants_held_unlike_order_lines": """
        SELECT count(*) FROM (
            SELECT variant_id, -sum(delta) AS held FROM shops_stockmovement
            WHERE reason IN ('reservation', 'release') GROUP BY variant_id
        ) m FULL JOIN (
            SELECT line.variant_id, sum(line.quantity) AS ordered
            FROM orders_orderline line
            JOIN orders_shoporder so ON so.id = line.shop_order_id
            WHERE so.status <> 'cancelled' AND line.variant_id IS NOT NULL
            GROUP BY line.variant_id
        ) o ON o.variant_id = m.variant_id
        WHERE coalesce(m.held, 0) <> coalesce(o.ordered, 0)""",
    "paid_orders_without_one_paid_event": """
        SELECT count(*) FROM orders_order o
        WHERE o.paid_at IS NOT NULL AND o.payment_method = 'stripe' AND (
            SELECT count(*) FROM orders_orderevent e
            WHERE e.order_id = o.id AND e.shop_order_id IS NULL AND e.to_status = 'paid'
        ) <> 1""",
    "paid_orders_without_succeeded_payment": """
        SELECT count(*) FROM orders_order o
        WHERE o.paid_at IS NOT NULL AND o.payment_method = 'stripe' AND NOT EXISTS (
            SELECT 1 FROM orders_payment p WHERE p.order_id = o.id AND p.status = 'succeeded'
        )""",
    "paid_shop_orders_without_one_sale_row": """
        SELECT count(*) FROM orders_shoporder so
        JOIN orders_order o ON o.id = so.order_id
        WHERE o.paid_at IS NOT NULL AND o.payment_method = 'stripe' AND (
            SELECT count(*) FROM payments_ledgerentry l
            WHERE l.shop_order_id = so.id AND l.kind = 'sale'
        ) <> 1""",
    "stripe_events_not_applied": """
        SELECT count(*) FROM payments_stripeevent WHERE status IN ('received', 'failed')""",
    "outbox_unsent": "SELECT count(*) FROM worker_outboxmessage WHERE sent_at IS NULL",
}

# Figures printed beside the problems (not problems themselves).
_FIGURES = {
    "orders": "SELECT count(*) FROM orders_order",
    "orders_paid": "SELECT count(*) FROM orders_order WHERE paid_at IS NOT NULL",
    "stripe_events": "SELECT count(*) FROM payments_stripeevent",
    "stock_movements": "SELECT count(*) FROM shops_stockmovement",
    "sale_rows": "SELECT count(*) FROM payments_ledgerentry WHERE kind = 'sale'",
}


def consistency_check() -> dict:
    """{"ok", "problems": {name: count} (non-zero only), "figures": {...}}."""
    counts, figures = {}, {}
    with connection.cursor() as cursor:
        for target, queries in ((counts, _QUERIES), (figures, _FIGURES)):
            for name, sql in queries.items():
                cursor.execute(sql)
                target[name] = cursor.fetchone()[0]
    problems = {name: n for name, n in counts.items() if n}
    return {"ok": not problems, "problems": problems, "counts": counts, "figures": figures}
