"""`make bench-mixed` ends with bench/mixed_checks.py's consistency check: it must pass
on a database a real checkout and payment left, and fail on an oversell, on a paid order
whose ledger rows are missing, and on an event never applied."""

import pytest
from django.db import connection

from bench.mixed_checks import consistency_check
from orders import payment_port
from orders.models import ShopOrder
from payments.models import LedgerEntry, StripeEvent
from payments.services.ledger import ledger_order_paid
from shops.models import ProductVariant
from tests.orders.factories import FakePaymentPort, cart_add, checkout, stocked_variant
from tests.orders.flows import paid

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(buyer, fake_port):
    """A card order of 2 jars checked out and paid through the services, with the ledger
    rows the worker writes after the payment."""
    variant = stocked_variant(stock=5)
    cart_add(buyer, variant, 2)
    order = paid(checkout(buyer, method="stripe"))
    ledger_order_paid(order_id=order.pk)
    return order


@pytest.fixture
def fake_port():
    real = payment_port._port
    payment_port.payment_port_register(FakePaymentPort())
    yield
    payment_port.payment_port_register(real)


def _clean_but_for_the_outbox(result: dict) -> dict:
    # The services enqueue follow-ups (e-mails, notifications) that no worker sends here.
    return {k: n for k, n in result["problems"].items() if k != "outbox_unsent"}


def test_a_real_checkout_and_payment_are_consistent(paid_order):
    result = consistency_check()
    assert _clean_but_for_the_outbox(result) == {}
    assert result["figures"]["orders_paid"] == 1
    assert result["figures"]["sale_rows"] == 1


def test_an_oversold_variant_is_found(paid_order):
    variant = ProductVariant.objects.get(pk=paid_order.shop_orders.get().lines.get().variant_id)
    # The table refuses negative stock: a bug that dropped that guard and oversold
    # would leave stock below zero, off its movements.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending
        cursor.execute(
            f"ALTER TABLE {ProductVariant._meta.db_table} DROP CONSTRAINT shops_variant_stock_gte_0"
        )
    ProductVariant.objects.filter(pk=variant.pk).update(stock=-1)
    problems = _clean_but_for_the_outbox(consistency_check())
    assert problems["variants_below_zero"] == 1
    assert problems["variants_off_their_stock_ledger"] == 1


def test_an_order_line_without_its_reservation_is_found(paid_order):
    # An oversell with stock never below zero: a line sold more than the stock taken.
    line = paid_order.shop_orders.get().lines.get()
    type(line).objects.filter(pk=line.pk).update(
        quantity=line.quantity + 1, line_total=line.unit_price * (line.quantity + 1)
    )
    problems = _clean_but_for_the_outbox(consistency_check())
    assert problems == {"variants_held_unlike_order_lines": 1}


def test_a_paid_order_without_its_sale_row_is_found(paid_order):
    shop_order = ShopOrder.objects.get(order=paid_order)
    assert LedgerEntry.objects.filter(shop_order=shop_order, kind="sale").exists()
    with connection.cursor() as cursor:  # ledger rows refuse deletes through the ORM
        cursor.execute(
            f"DELETE FROM {LedgerEntry._meta.db_table} WHERE shop_order_id = %s AND kind = 'sale'",
            [shop_order.pk],
        )
    problems = _clean_but_for_the_outbox(consistency_check())
    assert problems == {"paid_shop_orders_without_one_sale_row": 1}


def test_an_event_left_unapplied_and_unsent_work_are_found(paid_order):
    StripeEvent.objects.create(
        id="evt_never_applied", type="payment_intent.succeeded", payload={}, source="webhook"
    )
    result = consistency_check()
    assert result["problems"]["stripe_events_not_applied"] == 1
    assert result["problems"]["outbox_unsent"] > 0
    assert not result["ok"]
