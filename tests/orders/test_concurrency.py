"""Races for real: threads with their own PostgreSQL connections."""

import contextlib
import threading

import pytest
from django.db import connection

from marketplace.core.errors import Conflict
from orders import services
from orders.migrations import _default_rates
from orders.models import Order
from orders.services import checkout
from shops.models import StockMovement
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.orders.factories import address, cart_add, ledger_sum, shop_in, stocked_variant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(regions):
    # A transactional test starts from a flushed database: the fee table the data
    # migration loaded is gone with the regions.
    _default_rates.add_rates_now()


def run_together(targets):
    """Start every target at the same instant, each on its own connection."""
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait(timeout=30)
            results[i] = target()
        except Exception as exc:  # the test inspects what each thread met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a checkout hung"
    return results


def place(buyer, key="race"):
    return lambda: services.checkout_place(
        buyer=buyer,
        idempotency_key=key,
        shipping_address=services.ShippingAddress(**address()),
        payment_method="cod",
    )


def test_fifty_buyers_race_for_the_last_ten_jars():
    variant = stocked_variant(stock=10)
    buyers = [UserFactory(role="buyer") for _ in range(50)]
    for buyer in buyers:
        cart_add(buyer, variant, 1)

    results = run_together([place(buyer) for buyer in buyers])

    won = [r for r in results if isinstance(r, services.CheckoutResult)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 10, results
    assert len(lost) == 40
    assert {e.code for e in lost} == {"insufficient_stock"}
    variant.refresh_from_db()
    assert variant.stock == 0 == ledger_sum(variant)
    assert StockMovement.objects.filter(variant=variant, reason="reservation").count() == 10
    assert Order.objects.count() == 10


def test_crossed_carts_never_deadlock(settings):
    # Each buyer places order after order, none accepted: no cap on open orders here.
    settings.MAX_OPEN_ORDERS_PER_BUYER = 0
    shop = shop_in()
    first = stocked_variant(shop=shop, stock=1000)
    second = stocked_variant(shop=shop, stock=1000)
    alice, bao = UserFactory(role="buyer"), UserFactory(role="buyer")
    rounds = 15
    for n in range(rounds):
        # Opposite cart orders: a naive lock-as-you-go checkout deadlocks here.
        cart_add(alice, first, 1)
        cart_add(alice, second, 1)
        cart_add(bao, second, 1)
        cart_add(bao, first, 1)
        results = run_together([place(alice, f"a-{n}"), place(bao, f"b-{n}")])
        assert all(isinstance(r, services.CheckoutResult) for r in results), results
    for variant in (first, second):
        variant.refresh_from_db()
        assert variant.stock == 1000 - 2 * rounds == ledger_sum(variant)
    assert Order.objects.count() == 2 * rounds


def test_a_double_submitted_checkout_creates_one_order():
    buyer = UserFactory(role="buyer")
    variant = stocked_variant(stock=5)
    cart_add(buyer, variant, 2)

    def submit():
        return bearer_client(buyer).post(
            "/api/v1/checkout/",
            {"shipping_address": address(), "payment_method": "cod"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="double-click",
        )

    responses = run_together([submit, submit, submit])

    assert sorted(r.status_code for r in responses) == [200, 200, 201], responses
    assert len({r.json()["id"] for r in responses}) == 1
    assert Order.objects.count() == 1
    variant.refresh_from_db()
    assert variant.stock == 3 == ledger_sum(variant)


def test_many_buyers_checking_out_the_same_jars_again_and_again_never_deadlock(settings):
    # Several checkouts queued on the same rows at once: the one that gets the locks
    # must then move the stock without waiting behind the ones queued after it.
    settings.MAX_OPEN_ORDERS_PER_BUYER = 0  # order after order, none accepted
    shop = shop_in()
    variants = [stocked_variant(shop=shop, stock=10_000) for _ in range(5)]
    buyers = [UserFactory(role="buyer") for _ in range(8)]
    rounds = 10

    def keep_buying(buyer):
        def run():
            placed = 0
            for n in range(rounds):
                for variant in variants:
                    cart_add(buyer, variant, 1)
                place(buyer, f"{buyer.pk}-{n}")()
                placed += 1
            return placed

        return run

    results = run_together([keep_buying(buyer) for buyer in buyers])

    assert results == [rounds] * len(buyers), results
    for variant in variants:
        variant.refresh_from_db()
        assert variant.stock == 10_000 - rounds * len(buyers) == ledger_sum(variant)


def test_two_keys_checking_out_one_cart_at_once_make_one_order(monkeypatch):
    """A double tap on two devices: two checkouts of one cart with two Idempotency-Keys.
    Both read the cart at the same instant unless the first locks it: each then waits
    for the other after its read (a competitor injected at the worst point), and a
    checkout that reads only after the first committed finds the cart empty."""
    buyer = UserFactory(role="buyer")
    variant = stocked_variant(stock=50)
    cart_add(buyer, variant, 3)
    met = threading.Barrier(2)
    read = checkout.cart_lines_read

    def read_then_meet(**kwargs):
        cart = read(**kwargs)
        # When the other checkout waits for the cart's lock, there is no meeting.
        with contextlib.suppress(threading.BrokenBarrierError):
            met.wait(timeout=3)
        return cart

    monkeypatch.setattr(checkout, "cart_lines_read", read_then_meet)

    def submit(key):
        return lambda: bearer_client(buyer).post(
            "/api/v1/checkout/",
            {"shipping_address": address(), "payment_method": "cod"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    responses = run_together([submit("phone"), submit("laptop")])

    assert sorted(r.status_code for r in responses) == [201, 400], [r.json() for r in responses]
    refused = next(r for r in responses if r.status_code == 400)
    assert refused.json()["error"]["code"] == "cart_empty"
    assert Order.objects.filter(buyer=buyer).count() == 1
    variant.refresh_from_db()
    assert variant.stock == 47 == ledger_sum(variant)
