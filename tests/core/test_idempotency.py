import threading

import pytest
from django.db import connection, transaction

from marketplace.core.errors import InvalidInput
from marketplace.core.idempotency import (
    IdempotencyKeyReused,
    idempotency_claim,
    idempotency_complete,
    idempotency_key_from,
    request_fingerprint,
)
from marketplace.core.models import IdempotencyRecord
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_same_key_same_request_replays_the_first_result():
    user = UserFactory()
    fingerprint = request_fingerprint({"cart": [[1, 2]], "payment_method": "cod"})
    with transaction.atomic():
        first = idempotency_claim(
            user_id=user.id, scope="checkout", key="k1", fingerprint=fingerprint
        )
        idempotency_complete(claim=first, result_id=42)
    again = idempotency_claim(user_id=user.id, scope="checkout", key="k1", fingerprint=fingerprint)
    assert first.is_new and not again.is_new
    assert again.record.result_id == "42"


@pytest.mark.django_db
def test_same_key_different_request_is_refused():
    user = UserFactory()
    idempotency_claim(user_id=user.id, scope="checkout", key="k1", fingerprint="a" * 64)
    with pytest.raises(IdempotencyKeyReused) as excinfo:
        idempotency_claim(user_id=user.id, scope="checkout", key="k1", fingerprint="b" * 64)
    assert excinfo.value.status_code == 409


@pytest.mark.django_db
def test_keys_are_per_user_and_per_operation():
    alice, bob = UserFactory(), UserFactory()
    assert idempotency_claim(user_id=alice.id, scope="checkout", key="k", fingerprint="a").is_new
    assert idempotency_claim(user_id=bob.id, scope="checkout", key="k", fingerprint="b").is_new
    assert idempotency_claim(user_id=alice.id, scope="refund", key="k", fingerprint="c").is_new


def test_fingerprint_ignores_key_order():
    assert request_fingerprint({"a": 1, "b": [1, 2]}) == request_fingerprint({"b": [1, 2], "a": 1})
    assert request_fingerprint({"a": 1}) != request_fingerprint({"a": 2})


@pytest.mark.parametrize(
    "headers, code",
    [
        ({}, "idempotency_key_required"),
        ({"Idempotency-Key": "   "}, "idempotency_key_required"),
        ({"Idempotency-Key": "x" * 256}, "invalid_idempotency_key"),
        ({"Idempotency-Key": "a\nb"}, "invalid_idempotency_key"),
    ],
)
def test_bad_headers_are_400_with_a_code(headers, code):
    with pytest.raises(InvalidInput) as excinfo:
        idempotency_key_from(headers)
    assert excinfo.value.code == code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_of_one_key_let_exactly_one_through():
    user = UserFactory()
    barrier = threading.Barrier(8)
    results = []

    def claim():
        try:
            barrier.wait()
            with transaction.atomic():
                result = idempotency_claim(
                    user_id=user.id, scope="checkout", key="double-click", fingerprint="f"
                )
                results.append(result.is_new)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    assert IdempotencyRecord.objects.filter(key="double-click").count() == 1
