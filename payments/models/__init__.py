"""The money side of the marketplace: Stripe's events as received, the refunds and
disputes Stripe reports, what needs an operator, the shops' money ledger, payouts,
cash-on-delivery remittances and the withholding-tax rates.

Models hold data and constraints; every write goes through `payments.services`.
Amounts are integer đồng; a ledger amount is signed, seen from the shop: what the shop
is owed is positive, what leaves it (commission, tax, refunds, payouts) negative.
"""

from payments.models.events import (
    Dispute,
    PaymentIssue,
    PaymentIssueKind,
    StripeEvent,
    StripeEventStatus,
    StripeRefund,
    StripeRefundStatus,
)
from payments.models.ledger import (
    LEDGER_HOLD_KINDS,
    LEDGER_NEGATIVE_KINDS,
    LEDGER_PAYOUT_KINDS,
    LedgerEntry,
    LedgerEntryQuerySet,
    LedgerKind,
    TaxCategory,
    WithholdingRate,
    WithholdingShop,
)
from payments.models.payouts import (
    CodCollection,
    CodRemittanceStatus,
    Payout,
    PayoutBatch,
    PayoutMethod,
    PayoutStatus,
    ShopPayoutAccount,
)

__all__ = [
    "LEDGER_HOLD_KINDS",
    "LEDGER_NEGATIVE_KINDS",
    "LEDGER_PAYOUT_KINDS",
    "CodCollection",
    "CodRemittanceStatus",
    "Dispute",
    "LedgerEntry",
    "LedgerEntryQuerySet",
    "LedgerKind",
    "PaymentIssue",
    "PaymentIssueKind",
    "Payout",
    "PayoutBatch",
    "PayoutMethod",
    "PayoutStatus",
    "ShopPayoutAccount",
    "StripeEvent",
    "StripeEventStatus",
    "StripeRefund",
    "StripeRefundStatus",
    "TaxCategory",
    "WithholdingRate",
    "WithholdingShop",
]
