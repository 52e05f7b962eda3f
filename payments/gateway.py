"""The Stripe gateway: the one module of the project that imports `stripe`.

Amounts are whole đồng: VND is a zero-decimal currency, so 150000 charges 150.000 ₫.
In tests and `make run` the SDK talks to a local fake Stripe server (STRIPE_API_BASE).
"""

from __future__ import annotations

import json
import time
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
    last_error: str = ""


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def _info(intent: Any) -> PaymentIntentInfo:
    return intent_info(intent.to_dict())


def intent_info(data: dict[str, Any]) -> PaymentIntentInfo:
    """An intent from the SDK (as a dict) or from an event's payload. The amount is
    what was received when Stripe says so (the local server does not)."""
    received = data.get("amount_received")
    return PaymentIntentInfo(
        id=data["id"],
        status=data.get("status") or "",
        amount=int(received if received else data["amount"]),
        currency=(data.get("currency") or "").lower(),
        client_secret=data.get("client_secret"),
        metadata=dict(data.get("metadata") or {}),
        last_error=((data.get("last_payment_error") or {}).get("message") or ""),
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
    intent_id: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


def refund_info(refund: Any) -> RefundInfo:
    """A refund from the SDK or from an event's payload (a plain dict)."""
    data = refund if isinstance(refund, dict) else refund.to_dict()
    intent = data.get("payment_intent") or ""
    return RefundInfo(
        id=data["id"],
        status=data.get("status") or "",
        amount=int(data["amount"]),
        intent_id=intent if isinstance(intent, str) else intent.get("id", ""),
        metadata=dict(data.get("metadata") or {}),
    )


def refund_create(
    *, intent_id: str, amount: int, idempotency_key: str, metadata: dict[str, str] | None = None
) -> RefundInfo:
    """Refund `amount` đồng of a paid intent (part of it when one shop order is
    cancelled). `metadata` names what it is for, so `charge.refunded` can tell."""
    if not is_whole_number(amount) or amount <= 0:
        raise ValueError("amount must be a positive integer number of đồng")
    try:
        refund = _client().v1.refunds.create(
            params={"payment_intent": intent_id, "amount": amount, "metadata": metadata or {}},
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise _translate(exc) from exc
    info = refund_info(refund)
    return RefundInfo(
        id=info.id,
        status=info.status,
        amount=info.amount,
        intent_id=intent_id,
        metadata=info.metadata,
    )


def refund_retrieve(refund_id: str) -> RefundInfo:
    try:
        refund = _client().v1.refunds.retrieve(refund_id)
    except stripe.StripeError as exc:
        raise _translate(exc) from exc
    return refund_info(refund)


def refunds_for_intent(intent_id: str) -> list[RefundInfo]:
    """Every refund of an intent, as Stripe has them now (reconciliation, and a
    `charge.refunded` whose charge does not list them)."""
    try:
        page = _client().v1.refunds.list(params={"payment_intent": intent_id, "limit": 100})
    except stripe.StripeError as exc:
        raise _translate(exc) from exc
    return [refund_info(refund) for refund in page.data]


@dataclass(frozen=True)
class TransferInfo:
    id: str
    amount: int


def transfer_create(
    *, amount: int, destination: str, idempotency_key: str, metadata: dict[str, str]
) -> TransferInfo:
    """Send `amount` đồng to a Stripe connected account (shops abroad). The local Stripe
    server has no Connect: this runs only against Stripe with real test-mode keys."""
    if not is_whole_number(amount) or amount <= 0:
        raise ValueError("amount must be a positive integer number of đồng")
    try:
        transfer = _client().v1.transfers.create(
            params={
                "amount": amount,
                "currency": CURRENCY,
                "destination": destination,
                "metadata": metadata,
            },
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise _translate(exc) from exc
    return TransferInfo(id=transfer.id, amount=int(transfer.amount))


class WebhookSignatureInvalid(Exception):
    """The payload was not signed by Stripe with our webhook secret, or too long ago."""


def webhook_payload_verify(*, payload: bytes, signature: str | None) -> dict[str, Any]:
    """Check Stripe's signature on the raw request body with Stripe's own function (the
    default 300 s tolerance kept) before parsing anything; then parse it.

    Raises WebhookSignatureInvalid (also for a body that is not UTF-8 JSON)."""
    if not signature:
        raise WebhookSignatureInvalid("no Stripe-Signature header")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text, signature, settings.STRIPE_WEBHOOK_SECRET, stripe.Webhook.DEFAULT_TOLERANCE
        )
        data = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise WebhookSignatureInvalid(str(exc)) from exc
    if not isinstance(data, dict):
        raise WebhookSignatureInvalid("the event is not a JSON object")
    return data


def webhook_signature_header(*, payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header for `payload`, as Stripe makes it: for events the
    local server never sends, built by the tests and the benchmark."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = stripe.WebhookSignature._compute_signature(
        f"{timestamp}.{payload.decode('utf-8')}", secret
    )
    return f"t={timestamp},v1={signature}"
