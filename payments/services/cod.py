"""Cash on delivery: the carrier collects the money when it hands the parcel over, so
the shop's ledger rows are written at delivery (same rules as a card sale), and the
platform waits for the carrier to remit the cash; operators reconcile each remittance
per shop order in the back office."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from marketplace.core.clock import local_date
from marketplace.core.errors import InvalidInput, InvalidTransition
from orders.models import PaymentMethod, ShopOrder, ShopOrderStatus
from payments.models import CodCollection, CodRemittanceStatus
from payments.services.ledger import ledger_shop_order_sale

_DELIVERED_OR_LATER = (ShopOrderStatus.DELIVERED, ShopOrderStatus.COMPLETED)


def cod_collected(*, shop_order_id: int) -> CodCollection | None:
    """A COD shop order was delivered: the carrier holds its total for the platform,
    and the shop is credited (idempotent). None when it is not a delivered COD order."""
    shop_order = ShopOrder.objects.select_related("order", "shop").get(pk=shop_order_id)
    if (
        shop_order.order.payment_method != PaymentMethod.COD
        or shop_order.status not in _DELIVERED_OR_LATER
        or shop_order.delivered_at is None
    ):
        return None
    with transaction.atomic():
        collection, _ = CodCollection.objects.get_or_create(
            shop_order=shop_order,
            defaults={
                "carrier": shop_order.carrier,
                "amount": shop_order.total,
                "collected_at": shop_order.delivered_at,
            },
        )
        ledger_shop_order_sale(shop_order=shop_order, on=local_date(shop_order.delivered_at))
    return collection


def cod_remittance_record(
    *, shop_order_id: int, amount: int, reference: str, actor
) -> CodCollection:
    """An operator records what the carrier handed over for one shop order: all of it
    (`remitted`) or less (`short`, to chase). Raises InvalidInput `invalid_amount`,
    InvalidTransition `already_remitted`."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise InvalidInput("A whole number of đồng, zero or more.", code="invalid_amount")
    with transaction.atomic():
        collection = CodCollection.objects.select_for_update().get(shop_order_id=shop_order_id)
        if collection.status == CodRemittanceStatus.REMITTED:
            raise InvalidTransition("Already remitted in full.", code="already_remitted")
        collection.remitted_amount = amount
        collection.status = (
            CodRemittanceStatus.REMITTED
            if amount >= collection.amount
            else CodRemittanceStatus.SHORT
        )
        collection.remittance_reference = reference[:80]
        collection.remitted_at = timezone.now()
        collection.remitted_by = actor if getattr(actor, "pk", None) else None
        collection.save()
    return collection
