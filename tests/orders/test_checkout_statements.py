"""What one checkout costs the database, and that its answer is what a read-back shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.migrations import _default_rates
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.orders.factories import address, cart_add, shop_in, stocked_variant

# The target: at most this many statements per checkout request, whatever the
# number of lines (authentication, transaction, outbox stamp and answer included).
MAX_STATEMENTS = 15


def checkout_statements(lines: int, monkeypatch) -> int:
    """Statements sent to the database by one cash-on-delivery checkout request of a cart
    of `lines` lines from two shops, with the broker taking the outbox message (as in
    production: the order's notifications run later, in a worker)."""
    published = []
    monkeypatch.setattr("worker.outbox.publish", published.append)
    buyer = UserFactory(role="buyer")
    shops = (shop_in(), shop_in("91"))
    for n in range(lines):
        cart_add(buyer, stocked_variant(shop=shops[n % 2], stock=1000), 1 + n % 3)
    client = bearer_client(buyer)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/api/v1/checkout/",
            {"shipping_address": address(), "payment_method": "cod"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"count-{lines}",
        )
    assert response.status_code == 201, response.json()
    assert len(response.json()["shop_orders"]) == min(lines, 2)
    assert len(published) == 1
    return len(captured)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_checkout_costs_the_same_few_statements_whatever_the_number_of_lines(
    regions, monkeypatch
):
    # A transactional test (real BEGIN and COMMIT, on-commit work runs) starts from a
    # flushed database: put the fee table back.
    _default_rates.add_rates_now()
    one, ten = checkout_statements(1, monkeypatch), checkout_statements(10, monkeypatch)
    assert one == ten, f"{one} statements for 1 line, {ten} for 10"
    assert ten <= MAX_STATEMENTS


@pytest.mark.django_db
def test_the_checkout_answer_is_what_reading_the_order_back_shows(buyer, buyer_client):
    shops = (shop_in(), shop_in("91", free_shipping_threshold=100_000))
    for n in range(4):
        cart_add(buyer, stocked_variant(shop=shops[n % 2], stock=50, price=60_000 + n), n + 1)

    placed = buyer_client.post(
        "/api/v1/checkout/",
        {"shipping_address": address(), "payment_method": "cod"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="answer",
    )

    assert placed.status_code == 201, placed.json()
    read = buyer_client.get(f"/api/v1/orders/{placed.json()['id']}/")
    assert placed.json() == read.json()


@pytest.mark.django_db
def test_adding_to_the_cart_costs_the_same_statements_however_full_it_is(buyer, buyer_client):
    shops = (shop_in(), shop_in("91"))
    variants = [stocked_variant(shop=shops[n % 2]) for n in range(5)]

    def add(variant) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = buyer_client.post(
                "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1}, format="json"
            )
        assert response.status_code == 201, response.json()
        return len(captured)

    first = add(variants[0])
    counts = [add(variant) for variant in variants[1:]]
    # The answer is the whole cart: its lines are read in one query, never one by one.
    assert counts == [first] * 4
    assert len(buyer_client.get("/api/v1/cart/").json()["items"]) == 5
