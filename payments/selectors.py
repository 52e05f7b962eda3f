"""Reads of the money side: a shop's balance, ledger, payouts and withholding."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from marketplace.core.clock import local_midnight
from orders.models import ShopOrderStatus
from payments.models import (
    LEDGER_HOLD_KINDS,
    LEDGER_PAYOUT_KINDS,
    LedgerEntry,
    LedgerKind,
    Payout,
)


@dataclass(frozen=True)
class Balance:
    """A shop's money, each figure a sum of its ledger rows:
    - pending: credited for shop orders not completed yet;
    - payable: credited for completed shop orders, less what was paid out;
    - held: taken aside while a dispute is open;
    - paid_out: sent (or being sent) to the shop.
    pending + payable + held + paid_out is everything the shop earned, net."""

    pending: int
    payable: int
    held: int
    paid_out: int


def shop_balance(*, shop_id: int) -> Balance:
    completed = Q(shop_order__status=ShopOrderStatus.COMPLETED)
    sums = LedgerEntry.objects.filter(shop_id=shop_id).aggregate(
        pending=Sum("amount", filter=Q(shop_order__isnull=False) & ~completed),
        completed=Sum("amount", filter=completed),
        payouts=Sum("amount", filter=Q(kind__in=LEDGER_PAYOUT_KINDS)),
        holds=Sum("amount", filter=Q(kind__in=LEDGER_HOLD_KINDS)),
    )
    payouts = sums["payouts"] or 0
    return Balance(
        pending=sums["pending"] or 0,
        payable=(sums["completed"] or 0) + payouts,
        held=-(sums["holds"] or 0),
        paid_out=-payouts,
    )


def shop_ledger(*, shop_id: int) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(shop_id=shop_id).order_by("-created_at", "-pk")


def shop_payouts(*, shop_id: int) -> QuerySet[Payout]:
    return Payout.objects.filter(shop_id=shop_id).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class WithholdingRow:
    shop_order_id: int
    base: int
    vat: int
    pit: int


@dataclass(frozen=True)
class WithholdingReport:
    month: str
    rows: list[WithholdingRow]
    base: int
    vat: int
    pit: int


_TAX_KINDS = {
    LedgerKind.VAT_WITHHELD: ("vat", 1),
    LedgerKind.VAT_WITHHELD_REVERSAL: ("vat", 1),
    LedgerKind.PIT_WITHHELD: ("pit", 1),
    LedgerKind.PIT_WITHHELD_REVERSAL: ("pit", 1),
}


def shop_withholding(*, shop_id: int, month: datetime.date) -> WithholdingReport:
    """What was withheld from a shop's sales in a Vietnamese calendar month, per shop
    order (a refund in the month nets its reversal against it). Amounts are positive
    when withheld. The base is the VAT row's (the shop order's subtotal), negative for
    a reversal."""
    start = local_midnight(month)
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    entries = (
        LedgerEntry.objects.filter(
            shop_id=shop_id,
            kind__in=list(_TAX_KINDS),
            created_at__gte=start,
            created_at__lt=local_midnight(following),
        )
        .order_by("shop_order_id", "pk")
        .values_list("shop_order_id", "kind", "amount", "base")
    )
    per_order: dict[int, dict[str, int]] = {}
    for shop_order_id, kind, amount, base in entries:
        row = per_order.setdefault(shop_order_id, {"base": 0, "vat": 0, "pit": 0})
        field, _ = _TAX_KINDS[kind]
        row[field] -= amount
        if kind == LedgerKind.VAT_WITHHELD:
            row["base"] += base or 0
        elif kind == LedgerKind.VAT_WITHHELD_REVERSAL:
            row["base"] -= base or 0
    rows = [WithholdingRow(shop_order_id=pk, **values) for pk, values in per_order.items()]
    return WithholdingReport(
        month=month.strftime("%Y-%m"),
        rows=rows,
        base=sum(r.base for r in rows),
        vat=sum(r.vat for r in rows),
        pit=sum(r.pit for r in rows),
    )


def withholding_csv(report: WithholdingReport, *, shop) -> str:
    """The month's report as the CSV a household or individual seller files: a line
    per shop order, then the totals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["shop", "tax_code", "month", "shop_order_id", "base", "vat", "pit"])
    name = shop.legal_name or shop.name
    for row in report.rows:
        writer.writerow(
            [name, shop.tax_code, report.month, row.shop_order_id, row.base, row.vat, row.pit]
        )
    writer.writerow(
        [name, shop.tax_code, report.month, "total", report.base, report.vat, report.pit]
    )
    return out.getvalue()
