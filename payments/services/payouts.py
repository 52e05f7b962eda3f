"""Paying shops what they are owed. A payout takes a shop's payable balance (money of
completed shop orders, less earlier payouts) into one `Payout` and one negative ledger
row, under the shop's row lock, once per batch: the weekly beat task and an
operator's run may overlap and still pay once.

Two rails behind one interface. Stripe cannot pay out to Vietnamese bank accounts, so
the default is a bank transfer: the payout waits in its batch's CSV, operators make the
transfers and mark each paid (or failed, which gives the money back to the payable
balance). A shop abroad with a Stripe connected account is paid by Connect transfer:
`StripeConnectRail` calls Stripe; the local Stripe server has no Connect, so tests and
the demo use `RecordingConnectRail`, which records the transfer in our database only
(`PAYOUT_CONNECT_RAIL`).
"""

from __future__ import annotations

import csv
import io
import logging
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.core.clock import local_today
from marketplace.core.errors import InvalidTransition
from payments import gateway
from payments.models import (
    LedgerEntry,
    LedgerKind,
    Payout,
    PayoutBatch,
    PayoutMethod,
    PayoutStatus,
    ShopPayoutAccount,
)
from payments.selectors import shop_balance
from shops.models import Shop, ShopMember, ShopMemberRole
from worker.models import NotificationKind
from worker.notifications import notify
from worker.outbox import outbox_enqueue

logger = logging.getLogger(__name__)

TRANSFER_TASK = "payments.tasks.payout_transfer"


class PayoutRail(Protocol):
    def transfer(self, payout: Payout) -> str:
        """Send the payout's amount to the shop's connected account; returns the
        transfer's id. Raises PaymentGatewayError."""


class StripeConnectRail:
    def transfer(self, payout: Payout) -> str:
        account = ShopPayoutAccount.objects.get(shop_id=payout.shop_id)
        return gateway.transfer_create(
            amount=payout.amount,
            destination=account.stripe_account_id,
            idempotency_key=f"payout-{payout.reference}",
            metadata={"payout": payout.reference, "shop_id": str(payout.shop_id)},
        ).id


class RecordingConnectRail:
    """For the local Stripe server, which has no Connect: the transfer is recorded on
    the payout (its id says so) and nothing leaves the machine."""

    def transfer(self, payout: Payout) -> str:
        logger.info("connect transfer recorded", extra={"payout": payout.reference})
        return f"tr_recorded_{payout.reference}"


RAILS: dict[str, type[PayoutRail]] = {
    "stripe": StripeConnectRail,
    "recording": RecordingConnectRail,
}


def connect_rail() -> PayoutRail:
    return RAILS[settings.PAYOUT_CONNECT_RAIL]()


def weekly_period(today=None) -> str:
    """The weekly batch's name: the ISO week by the Vietnamese calendar, `2026-W49`."""
    year, week, _ = (today or local_today()).isocalendar()
    return f"{year}-W{week:02d}"


def payouts_run(
    *, period: str | None = None, actor=None, shop_ids: list[int] | None = None
) -> list[Payout]:
    """Pay every shop with a payout account (or those of `shop_ids`) its payable
    balance, in the batch named `period` (this week's by default). A shop already paid
    in that batch, or with nothing payable, is skipped, so running it again pays nobody
    twice."""
    batch, _ = PayoutBatch.objects.get_or_create(
        period=period or weekly_period(),
        defaults={"created_by": actor if getattr(actor, "pk", None) else None},
    )
    accounts = ShopPayoutAccount.objects.order_by("shop_id")
    if shop_ids is not None:
        accounts = accounts.filter(shop_id__in=shop_ids)
    made = []
    for shop_id in accounts.values_list("shop_id", flat=True):
        payout = payout_create(batch=batch, shop_id=shop_id)
        if payout is not None:
            made.append(payout)
    return made


def payout_create(*, batch: PayoutBatch, shop_id: int) -> Payout | None:
    """One shop's payout in a batch, with its ledger row, or None if there is nothing to
    pay or it was paid in this batch already."""
    with transaction.atomic():
        # The shop's row serialises its payouts: two runs cannot both read the balance.
        shop = Shop.objects.select_for_update().get(pk=shop_id)
        if Payout.objects.filter(batch=batch, shop=shop).exists():
            return None
        account = ShopPayoutAccount.objects.filter(shop=shop).first()
        if account is None or not (account.stripe_account_id or account.account_number):
            return None
        payable = shop_balance(shop_id=shop.pk).payable
        if payable <= 0:
            return None
        connect = bool(account.stripe_account_id)
        payout = Payout.objects.create(
            batch=batch,
            shop=shop,
            amount=payable,
            method=PayoutMethod.STRIPE_CONNECT if connect else PayoutMethod.BANK_TRANSFER,
            reference=f"PO{batch.pk:05d}S{shop.pk}",
            tax_code=shop.tax_code,
            bank_name=account.bank_name,
            account_number=account.account_number,
            account_holder=account.account_holder or shop.legal_name,
        )
        LedgerEntry.objects.create(
            shop=shop,
            payout=payout,
            kind=LedgerKind.PAYOUT,
            amount=-payable,
            reference=f"payout:{payout.pk}",
        )
        if connect:
            outbox_enqueue(
                task=TRANSFER_TASK,
                kwargs={"payout_id": payout.pk},
                dedupe_key=f"payout-transfer:{payout.pk}",
            )
    return payout


def payout_transfer_send(*, payout_id: int) -> bool:
    """Send a Connect payout. Returns False when it is not a pending Connect payout.
    Raises PaymentGatewayError (retried when retryable)."""
    payout = Payout.objects.get(pk=payout_id)
    if payout.status != PayoutStatus.PENDING or payout.method != PayoutMethod.STRIPE_CONNECT:
        return False
    transfer_id = connect_rail().transfer(payout)
    payout_mark_paid(payout_id=payout.pk, transfer_id=transfer_id)
    return True


def _payout_locked(payout_id: int) -> Payout:
    payout = Payout.objects.select_for_update().select_related("shop").get(pk=payout_id)
    if payout.status != PayoutStatus.PENDING:
        raise InvalidTransition(
            "Only a pending payout can change.", extra={"status": payout.status}
        )
    return payout


def payout_mark_paid(*, payout_id: int, actor=None, transfer_id: str = "") -> Payout:
    """The money reached the shop (a bank transfer an operator made, or a Connect
    transfer). The shop's owners are told. Raises InvalidTransition."""
    with transaction.atomic():
        payout = _payout_locked(payout_id)
        payout.status = PayoutStatus.PAID
        payout.paid_at = timezone.now()
        payout.transfer_id = transfer_id or payout.transfer_id
        payout.save(update_fields=["status", "paid_at", "transfer_id"])
        owners = ShopMember.objects.filter(shop=payout.shop, role=ShopMemberRole.OWNER)
        for member in owners.select_related("user").order_by("pk"):
            notify(
                recipient=member.user,
                kind=NotificationKind.PAYOUT_SENT,
                context={
                    "shop_name": payout.shop.name,
                    "amount": payout.amount,
                    "reference": payout.reference,
                    "link": f"/api/v1/shops/{payout.shop.slug}/payouts/",
                },
                target=payout,
                dedupe_key=f"payout-sent:{payout.pk}:u{member.user_id}",
            )
    return payout


def payout_mark_failed(*, payout_id: int, reason: str, actor=None) -> Payout:
    """The transfer bounced: the amount goes back to the shop's payable balance (a
    `payout_reversal` row) for the next batch. Raises InvalidTransition."""
    with transaction.atomic():
        payout = _payout_locked(payout_id)
        payout.status = PayoutStatus.FAILED
        payout.failure_reason = reason
        payout.save(update_fields=["status", "failure_reason"])
        LedgerEntry.objects.create(
            shop=payout.shop,
            payout=payout,
            kind=LedgerKind.PAYOUT_REVERSAL,
            amount=payout.amount,
            reference=f"payout:{payout.pk}",
        )
    return payout


CSV_COLUMNS = [
    "shop",
    "tax_code",
    "bank_name",
    "account_number",
    "account_holder",
    "amount",
    "reference",
]


def payout_batch_csv(*, batch_id: int) -> str:
    """The batch's bank transfers for operators to make: one line per pending payout."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    payouts = Payout.objects.filter(
        batch_id=batch_id, method=PayoutMethod.BANK_TRANSFER, status=PayoutStatus.PENDING
    ).select_related("shop")
    for payout in payouts.order_by("pk"):
        writer.writerow(
            [
                payout.shop.legal_name or payout.shop.name,
                payout.tax_code,
                payout.bank_name,
                payout.account_number,
                payout.account_holder,
                payout.amount,
                payout.reference,
            ]
        )
    return out.getvalue()
