"""The Stripe gateway: the one module of the project that imports `stripe`.

Amounts are whole đồng: VND is a zero-decimal currency, so 150000 charges 150.000 ₫.
In tests and `make run` the SDK talks to a local fake Stripe server (STRIPE_API_BASE).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import stripe
from django.conf import settings

from marketplace.core.numbers import is_whole_number

CURRENCY = "vnd"


class PaymentGatewayError(Exception):
    """Stripe refused or could not be reached. `retryable` tells a task whether to retry."""

    def __init__(self, message: str, *, retryable: bool, code: str | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code


@dataclass(frozen=True)
class PaymentIntentInfo:
    id: str
    status: str
    amount: int
    currency: str
    client_secret: str | None
    metadata: dict[str, str] = field(default_factory=dict)


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def _info(intent: Any) -> PaymentIntentInfo:
    return PaymentIntentInfo(
        id=intent.id,
        status=intent.status,
        amount=int(intent.amount),
        currency=intent.currency,
        client_secret=getattr(intent, "client_secret", None),
        metadata=intent.metadata.to_dict() if intent.metadata else {},
    )


def _translate(exc: stripe.StripeError) -> PaymentGatewayError:
    retryable = isinstance(exc, stripe.RateLimitError | stripe.APIConnectionError | stripe.APIError)
    return PaymentGatewayError(str(exc), retryable=retryable, code=getattr(exc, "code", None))


def payment_intent_create(
    *,
    amount: int,
    idempotency_key: str,
    metadata: dict[str, str] | None = None,
) -> PaymentIntentInfo:
    """Create a card PaymentIntent for `amount` đồng. The idempotency key makes a retry
    after a lost response return the same intent instead of a second one."""
    if not is_whole_number(amount) or amount <= 0:
        raise ValueError("amount must be a positive integer number of đồng")
    try:
        intent = _client().v1.payment_intents.create(
            params={
                "amount": amount,
                "currency": CURRENCY,
                # Only parameters both Stripe and the local server accept.
                "payment_method_types": ["card"],
                "metadata": metadata or {},
            },
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise _translate(exc) from exc
    return _info(intent)


def payment_intent_retrieve(intent_id: str) -> PaymentIntentInfo:
    try:
        intent = _client().v1.payment_intents.retrieve(intent_id)
    except stripe.StripeError as exc:
        raise _translate(exc) from exc
    return _info(intent)


def payment_intent_cancel(intent_id: str) -> PaymentIntentInfo:
    """Cancel an intent nobody paid (an expired or cancelled order)."""
    try:
        intent = _client().v1.payment_intents.cancel(intent_id)
    except stripe.StripeError as exc:
        raise _translate(exc) from exc
    return _info(intent)


@dataclass(frozen=True)
class RefundInfo:
    id: str
    status: str
    amount: int


def refund_create(*, intent_id: str, amount: int, idempotency_key: str) -> RefundInfo:
    """Refund `amount` đồng of a paid intent (part of it when one shop order is cancelled)."""
    if not is_whole_number(amount) or amount <= 0:
        raise ValueError("amount must be a positive integer number of đồng")
    try:
        refund = _client().v1.refunds.create(
            params={"payment_intent": intent_id, "amount": amount},
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise _translate(exc) from exc
    return RefundInfo(id=refund.id, status=refund.status, amount=int(refund.amount))
