import datetime

import pytest
from django.utils import timezone

from orders import services
from orders.models import Order, ShopOrder
from orders.tasks import auto_complete_delivered, expire_reservations
from shops.models import StockMovement
from tests.orders.factories import cart_add, checkout, ledger_sum, stocked_variant
from tests.orders.flows import paid, shop_order_in

pytestmark = pytest.mark.django_db


def later(minutes):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_an_unpaid_card_order_expires_after_the_hold_and_releases_stock_once(
    buyer, fake_port, settings, django_capture_on_commit_callbacks
):
    settings.ORDERS_PAYMENT_HOLD_MINUTES = 15
    variant = stocked_variant(stock=5)
    cart_add(buyer, variant, 3)
    order = checkout(buyer, method="stripe")
    services.payment_intent_ensure(order=order)
    assert order.reserved_until == pytest.approx(later(15), abs=datetime.timedelta(seconds=30))

    assert services.orders_expire_due(now=later(14)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.orders_expire_due(now=later(16)) == 1
        assert services.orders_expire_due(now=later(17)) == 0

    order.refresh_from_db()
    assert order.status == "expired"
    assert order.payment.status == "cancelled"
    assert ShopOrder.objects.get(order=order).status == "cancelled"
    variant.refresh_from_db()
    assert variant.stock == 5 == ledger_sum(variant)
    assert StockMovement.objects.filter(variant=variant, reason="release").count() == 1
    assert fake_port.cancelled == ["pi_fake_1"]


def test_expiring_twice_is_refused(buyer, fake_port):
    cart_add(buyer, stocked_variant(), 1)
    order = checkout(buyer, method="stripe")
    services.order_expire(order_id=order.pk, now=later(31))
    from marketplace.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.order_expire(order_id=order.pk, now=later(32))
    assert StockMovement.objects.filter(reason="release").count() == 1


def test_the_hold_is_not_over_early(buyer, fake_port):
    cart_add(buyer, stocked_variant(), 1)
    order = checkout(buyer, method="stripe")
    from marketplace.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.order_expire(order_id=order.pk, now=later(5))
    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_paid_and_cod_orders_never_expire(buyer, fake_port):
    cart_add(buyer, stocked_variant(), 1)
    card = paid(checkout(buyer, method="stripe"))
    cart_add(buyer, stocked_variant(), 1)
    cod = checkout(buyer)
    assert services.orders_expire_due(now=later(600)) == 0
    assert set(Order.objects.values_list("pk", "status")) == {
        (card.pk, "paid"),
        (cod.pk, "confirmed"),
    }


def test_the_beat_task_expires_due_orders(buyer, fake_port, settings):
    settings.ORDERS_PAYMENT_HOLD_MINUTES = 0
    cart_add(buyer, stocked_variant(), 1)
    order = checkout(buyer, method="stripe")
    assert expire_reservations.apply().get() == 1
    order.refresh_from_db()
    assert order.status == "expired"


def test_a_payment_after_expiry_is_refused_for_the_payments_app_to_refund(buyer, fake_port):
    cart_add(buyer, stocked_variant(), 1)
    order = checkout(buyer, method="stripe")
    services.order_expire(order_id=order.pk, now=later(31))
    from marketplace.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.order_payment_succeed(order_id=order.pk, intent_id="pi_x", amount=order.total)


def test_a_payment_of_the_wrong_amount_never_marks_paid(buyer, fake_port):
    cart_add(buyer, stocked_variant(), 1)
    order = checkout(buyer, method="stripe")
    from marketplace.core.errors import Conflict

    with pytest.raises(Conflict) as excinfo:
        services.order_payment_succeed(order_id=order.pk, intent_id="pi_x", amount=order.total - 1)
    assert excinfo.value.code == "payment_mismatch"
    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_delivered_shop_orders_auto_complete_after_seven_days(buyer):
    shop_order = shop_order_in("delivered", buyer=buyer)
    fresh = shop_order_in("delivered", buyer=buyer)
    ShopOrder.objects.filter(pk=shop_order.pk).update(
        delivered_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    ShopOrder.objects.filter(pk=fresh.pk).update(
        delivered_at=timezone.now() - datetime.timedelta(days=6, hours=23)
    )
    assert auto_complete_delivered.apply().get() == 1
    shop_order.refresh_from_db()
    fresh.refresh_from_db()
    assert (shop_order.status, fresh.status) == ("completed", "delivered")
    assert shop_order.order.status == "completed"
    event = shop_order.events.latest("pk")
    assert (event.from_status, event.to_status, event.actor) == ("delivered", "completed", None)
    assert auto_complete_delivered.apply().get() == 0
