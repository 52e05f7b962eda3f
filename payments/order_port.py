"""Payments' side of `orders.payment_port`: the Stripe gateway behind the functions
orders calls to ask for a PaymentIntent, cancel one, refund, or ask what became of
an order's intent; and whether a carrier remitted a cash-on-delivery shop order's cash."""

from __future__ import annotations

from orders.payment_port import IntentCreated, PaymentProviderError, RefundCreated
from payments import gateway
from payments.models import CodCollection, CodRemittanceStatus
from payments.services import reconcile, refunds


class StripeOrderPort:
    def intent_create(
        self, *, amount: int, idempotency_key: str, metadata: dict[str, str]
    ) -> IntentCreated:
        try:
            info = gateway.payment_intent_create(
                amount=amount, idempotency_key=idempotency_key, metadata=metadata
            )
        except gateway.PaymentGatewayError as exc:
            raise PaymentProviderError(str(exc), retryable=exc.retryable) from exc
        return IntentCreated(
            intent_id=info.id, client_secret=info.client_secret or "", status=info.status
        )

    def intent_cancel(self, *, intent_id: str) -> None:
        try:
            gateway.payment_intent_cancel(intent_id)
        except gateway.PaymentGatewayError as exc:
            raise PaymentProviderError(str(exc), retryable=exc.retryable) from exc

    def refund_create(
        self, *, intent_id: str, amount: int, idempotency_key: str, shop_order_id: int
    ) -> RefundCreated:
        try:
            return refunds.shop_order_refund_create(
                intent_id=intent_id,
                amount=amount,
                idempotency_key=idempotency_key,
                shop_order_id=shop_order_id,
            )
        except gateway.PaymentGatewayError as exc:
            raise PaymentProviderError(str(exc), retryable=exc.retryable) from exc

    def payment_reconcile(self, *, order_id: int) -> str:
        try:
            return reconcile.order_payment_reconcile(order_id=order_id)
        except gateway.PaymentGatewayError as exc:
            raise PaymentProviderError(str(exc), retryable=exc.retryable) from exc

    def cash_collected(self, *, shop_order_id: int) -> bool:
        return CodCollection.objects.filter(
            shop_order_id=shop_order_id, status=CodRemittanceStatus.REMITTED
        ).exists()
