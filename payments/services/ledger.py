"""The shops' money ledger: rows added, never changed.

When a shop order's money comes in (a card order paid, a cash-on-delivery parcel
delivered), the shop is credited its total (`sale`) and debited the platform's
commission and, for household and individual sellers, the VAT and PIT the platform
withholds (Decree 117/2025). A refund writes `refund` and gives back the commission and
tax (`*_reversal`). A dispute holds the shop order's net (`dispute_hold`) until it
closes (`dispute_release`). Payouts are in `payouts.py`.

Rounding, the one way: commission = subtotal * commission_bp / 10,000 and each tax =
base * rate_bp / 10,000, each rounded to the nearest whole đồng, halves up
(`bp_of`). The tax base is the shop order's subtotal, the goods or service sold; the
shipping fee passes to the carrier and is neither commissioned nor taxed here.

Every function is idempotent: a row's `reference` names its cause, and the unique
(shop, kind, reference) makes a second write of the same cause add nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Sum

from marketplace.core.clock import local_date
from orders.models import Order, ShopOrder
from payments.models import LEDGER_HOLD_KINDS, LedgerEntry, LedgerKind, TaxCategory
from payments.services.tax import withholding_applies, withholding_rate_on

K = LedgerKind


def bp_of(amount: int, bp: int) -> int:
    """`amount` * `bp` / 10,000 rounded to the nearest đồng, halves up (integers only)."""
    return (amount * bp + 5_000) // 10_000


def shop_order_reference(shop_order: ShopOrder) -> str:
    return f"shop-order:{shop_order.pk}"


def _write(rows: list[LedgerEntry]) -> None:
    """Add the rows whose cause is not written yet (a cause already written is left
    alone: ON CONFLICT DO NOTHING on the unique shop, kind and reference)."""
    if rows:
        LedgerEntry.objects.bulk_create(
            rows, ignore_conflicts=True, unique_fields=["shop", "kind", "reference"]
        )


def sale_rows(*, shop_order: ShopOrder, on: datetime.date) -> list[LedgerEntry]:
    """The rows one shop order's money brings in, taxed at the rates in force `on`."""
    ref = shop_order_reference(shop_order)
    common = {"shop_id": shop_order.shop_id, "shop_order": shop_order, "reference": ref}
    rows = [
        LedgerEntry(kind=K.SALE, amount=shop_order.total, **common),
        LedgerEntry(
            kind=K.COMMISSION,
            amount=-bp_of(shop_order.subtotal, shop_order.commission_bp),
            base=shop_order.subtotal,
            rate_bp=shop_order.commission_bp,
            **common,
        ),
    ]
    if withholding_applies(shop_order.shop):
        category = TaxCategory.SERVICES if shop_order.is_service else TaxCategory.GOODS
        rate = withholding_rate_on(category=category, on=on)
        for kind, bp in ((K.VAT_WITHHELD, rate.vat_bp), (K.PIT_WITHHELD, rate.pit_bp)):
            rows.append(
                LedgerEntry(
                    kind=kind,
                    amount=-bp_of(shop_order.subtotal, bp),
                    base=shop_order.subtotal,
                    rate_bp=bp,
                    **common,
                )
            )
    return rows


def ledger_shop_order_sale(*, shop_order: ShopOrder, on: datetime.date) -> None:
    """Credit one shop order's money to its shop (idempotent)."""
    _write(sale_rows(shop_order=shop_order, on=on))


def _sale_date(shop_order: ShopOrder) -> datetime.date | None:
    """When the shop order's money came in: the card payment, or the COD delivery."""
    order = shop_order.order
    if order.payment_method == "stripe":
        return local_date(order.paid_at) if order.paid_at else None
    return local_date(shop_order.delivered_at) if shop_order.delivered_at else None


def ledger_order_paid(*, order_id: int) -> None:
    """A card order is paid: every shop order's sale, commission and tax rows."""
    order = Order.objects.get(pk=order_id)
    if order.paid_at is None:
        return
    with transaction.atomic():
        for shop_order in ShopOrder.objects.filter(order=order).select_related("shop", "order"):
            ledger_shop_order_sale(shop_order=shop_order, on=local_date(order.paid_at))


def ledger_shop_order_refunded(*, shop_order_id: int, reference: str | None = None) -> None:
    """A shop order's money went back to the buyer: `refund` of its total and the
    reversal of each commission and tax row. The sale rows are written first if their
    task has not run yet (the two tasks may run in either order)."""
    shop_order = ShopOrder.objects.select_related("shop", "order").get(pk=shop_order_id)
    on = _sale_date(shop_order)
    if on is None:
        return
    ref = reference or shop_order_reference(shop_order)
    with transaction.atomic():
        ledger_shop_order_sale(shop_order=shop_order, on=on)
        taken = {
            kind: (amount, base, rate_bp)
            for kind, amount, base, rate_bp in LedgerEntry.objects.filter(
                shop_order=shop_order,
                reference=shop_order_reference(shop_order),
                kind__in=[K.COMMISSION, K.VAT_WITHHELD, K.PIT_WITHHELD],
            ).values_list("kind", "amount", "base", "rate_bp")
        }
        common = {"shop_id": shop_order.shop_id, "shop_order": shop_order, "reference": ref}
        rows = [LedgerEntry(kind=K.REFUND, amount=-shop_order.total, **common)]
        for kind, reversal in (
            (K.COMMISSION, K.COMMISSION_REVERSAL),
            (K.VAT_WITHHELD, K.VAT_WITHHELD_REVERSAL),
            (K.PIT_WITHHELD, K.PIT_WITHHELD_REVERSAL),
        ):
            if kind in taken:
                amount, base, rate_bp = taken[kind]
                rows.append(
                    LedgerEntry(kind=reversal, amount=-amount, base=base, rate_bp=rate_bp, **common)
                )
        _write(rows)


def shop_order_net(shop_order: ShopOrder) -> int:
    """What the shop is owed for one shop order now (its rows, holds excluded)."""
    total = (
        LedgerEntry.objects.filter(shop_order=shop_order)
        .exclude(kind__in=LEDGER_HOLD_KINDS)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or 0


def ledger_dispute_hold(*, dispute_id: str, order: Order) -> None:
    """A chargeback: each shop order's net is held until the dispute closes."""
    with transaction.atomic():
        for shop_order in ShopOrder.objects.filter(order=order).select_related("shop", "order"):
            on = _sale_date(shop_order)
            if on is None:
                continue
            ledger_shop_order_sale(shop_order=shop_order, on=on)
            net = shop_order_net(shop_order)
            if net <= 0:
                continue
            _write(
                [
                    LedgerEntry(
                        shop_id=shop_order.shop_id,
                        shop_order=shop_order,
                        kind=K.DISPUTE_HOLD,
                        amount=-net,
                        reference=f"dispute:{dispute_id}",
                    )
                ]
            )


def ledger_dispute_close(*, dispute_id: str, order: Order, lost: bool) -> None:
    """The dispute closed: what was held is released; a lost dispute then takes each
    shop order's money back like a refund (the bank returned it to the buyer)."""
    with transaction.atomic():
        holds = LedgerEntry.objects.filter(
            kind=K.DISPUTE_HOLD, reference=f"dispute:{dispute_id}"
        ).select_related("shop_order")
        for hold in holds:
            _write(
                [
                    LedgerEntry(
                        shop_id=hold.shop_id,
                        shop_order=hold.shop_order,
                        kind=K.DISPUTE_RELEASE,
                        amount=-hold.amount,
                        reference=hold.reference,
                    )
                ]
            )
        if lost:
            for shop_order in ShopOrder.objects.filter(order=order):
                if shop_order.refund_status != "done":
                    ledger_shop_order_refunded(
                        shop_order_id=shop_order.pk, reference=f"dispute:{dispute_id}"
                    )
