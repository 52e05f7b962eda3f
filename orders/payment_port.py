"""The one door from orders to the payment provider.

Orders sits below payments and never imports it. Payments fills this port in its
`AppConfig.ready()` with functions that call the Stripe gateway; orders calls them
outside any transaction that holds row locks (they cross the network). It also answers
what only payments records (`cash_collected`, a carrier's remittance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class IntentCreated:
    intent_id: str
    client_secret: str
    status: str


@dataclass(frozen=True)
class RefundCreated:
    refund_id: str
    # Stripe's word: "succeeded" (money on its way back), "pending", "failed", "canceled".
    status: str


class PaymentPort(Protocol):
    def intent_create(
        self, *, amount: int, idempotency_key: str, metadata: dict[str, str]
    ) -> IntentCreated:
        """Create a card PaymentIntent for `amount` đồng. Raises PaymentProviderError."""

    def intent_cancel(self, *, intent_id: str) -> None:
        """Cancel an unpaid intent (an expired or cancelled order). Raises
        PaymentProviderError."""

    def refund_create(
        self, *, intent_id: str, amount: int, idempotency_key: str, shop_order_id: int
    ) -> RefundCreated:
        """Refund `amount` đồng of a paid intent for one shop order. Raises
        PaymentProviderError."""

    def payment_reconcile(self, *, order_id: int) -> str:
        """Ask the provider what became of the order's intent and, if it was paid, apply
        that exactly as the webhook would (the order becomes paid). Returns the intent's
        status ("" when the order has none). Raises PaymentProviderError."""

    def cash_collected(self, *, shop_order_id: int) -> bool:
        """Whether the carrier handed over in full the cash it collected for this
        cash-on-delivery shop order (an operator recorded the remittance): evidence
        from outside the buyer's and the shop's hands that the goods were bought. A
        read of payments' own records; no network."""


class PaymentProviderError(Exception):
    """The provider refused or could not be reached; `retryable` says whether a later
    attempt may succeed. Port implementations translate their own errors into this."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class PaymentPortMissing(RuntimeError):
    """No payment provider registered: the payments app is not installed."""


_port: PaymentPort | None = None


def payment_port_register(port: PaymentPort) -> None:
    global _port
    _port = port


def payment_port() -> PaymentPort:
    if _port is None:
        raise PaymentPortMissing("no payment provider registered (payments app not ready)")
    return _port
