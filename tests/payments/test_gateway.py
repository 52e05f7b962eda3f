import pytest

from payments import gateway


def test_vnd_payment_intent_created_and_retrieved_on_local_stripe(local_stripe):
    created = gateway.payment_intent_create(
        amount=150_000, idempotency_key="order-1-attempt-1", metadata={"order_id": "1"}
    )
    assert created.id.startswith("pi_")
    # Zero-decimal: 150000 means 150.000 ₫, never multiplied by 100.
    assert created.amount == 150_000
    assert created.currency == "vnd"
    assert created.client_secret
    assert created.status == "requires_payment_method"

    fetched = gateway.payment_intent_retrieve(created.id)
    assert fetched.id == created.id
    assert fetched.amount == 150_000
    assert fetched.metadata == {"order_id": "1"}


def test_unknown_intent_is_a_final_gateway_error(local_stripe):
    with pytest.raises(gateway.PaymentGatewayError) as excinfo:
        gateway.payment_intent_retrieve("pi_doesnotexist")
    assert excinfo.value.retryable is False


def test_unreachable_stripe_is_a_retryable_gateway_error(settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:1"
    with pytest.raises(gateway.PaymentGatewayError) as excinfo:
        gateway.payment_intent_create(amount=10_000, idempotency_key="k")
    assert excinfo.value.retryable is True


@pytest.mark.parametrize("amount", [0, -5, 1.5, True])
def test_amount_must_be_positive_whole_dong(amount):
    with pytest.raises(ValueError):
        gateway.payment_intent_create(amount=amount, idempotency_key="k")
