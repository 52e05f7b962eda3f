"""The order serializers write their fields out by hand (an order answers every checkout
and every fulfilment step); each must give exactly what its declared fields give."""

import pytest
from rest_framework import serializers

from orders import selectors, services
from orders.api import serializers as s
from orders.models import Order, ShopOrder, Ticket
from tests.orders.factories import (
    cart_add,
    checkout,
    service_variant,
    shop_in,
    shop_owner,
    stocked_variant,
)
from tests.orders.flows import paid, shop_order_in

pytestmark = pytest.mark.django_db


def declared(serializer, instance) -> dict:
    """DRF's own walk over the declared fields (nested serializers answer through their
    hand-written shape, each held to its own declared fields by this same test)."""
    return serializers.Serializer.to_representation(serializer, instance)


def assert_same_shape(serializer, instance) -> None:
    fast = serializer.to_representation(instance)
    assert fast == declared(serializer, instance)
    assert list(fast) == list(declared(serializer, instance))


def orders_of_every_kind(buyer) -> list[Order]:
    completed = shop_order_in("completed", buyer=buyer)  # every fulfilment timestamp set
    rejected = shop_order_in("cancelled", buyer=buyer)  # a reason, a refund status
    pending = shop_order_in("pending_payment", buyer=buyer)  # a client secret to show
    visit, date = service_variant()
    cart_add(buyer, visit, 2, service_date=date)
    booked = paid(checkout(buyer, method="stripe"))
    first = Ticket.objects.filter(shop_order__order=booked).order_by("pk").first()
    services.ticket_use(shop=visit.shop, code=first.code, actor=shop_owner(visit.shop))
    cart_add(buyer, stocked_variant(shop=shop_in("91")), 1)
    cart_add(buyer, stocked_variant(), 3)
    two_shops = checkout(buyer)
    return [
        selectors.order_for_buyer(buyer=buyer, order_id=pk)
        for pk in (
            completed.order_id,
            rejected.order_id,
            pending.order_id,
            booked.pk,
            two_shops.pk,
        )
    ]


def test_an_order_and_each_of_its_parts_answer_what_their_fields_declare(buyer, fake_port):
    orders = orders_of_every_kind(buyer)
    assert {o.status for o in orders} >= {"completed", "cancelled", "pending_payment"}
    for order in orders:
        assert_same_shape(s.OrderSerializer(), order)
        assert_same_shape(s.ShippingAddressSerializer(), order)
        assert_same_shape(s.PaymentSerializer(), order.payment)
        for event in order.events.all():
            assert_same_shape(s.OrderEventSerializer(), event)
        for shop_order in order.shop_orders.all():
            assert_same_shape(s.ShopOrderSerializer(), shop_order)
            for line in shop_order.lines.all():
                assert_same_shape(s.OrderLineSerializer(), line)
            for ticket in shop_order.tickets.all():
                assert_same_shape(s.TicketSerializer(), ticket)
    tickets = [t for o in orders for so in o.shop_orders.all() for t in so.tickets.all()]
    assert {t.status for t in tickets} == {"valid", "used"}


def test_a_producers_shop_order_answers_what_its_fields_declare(buyer, fake_port):
    orders_of_every_kind(buyer)
    for shop_order in ShopOrder.objects.all():
        for row in selectors.shop_orders_for_shop(shop=shop_order.shop):
            assert_same_shape(s.ProducerShopOrderSerializer(), row)


def test_what_a_planned_answer_reads_is_what_drf_would_read(buyer):
    from django.db import models

    from marketplace.core.representation import PlannedRepresentation

    class Thing:
        name = "Mật ong rừng"

        def label(self):
            return f"{self.name} (U Minh)"

    class Missing:
        @property
        def shop(self):
            raise models.ObjectDoesNotExist

    class ThingSerializer(PlannedRepresentation, serializers.Serializer):
        name = serializers.CharField()
        label = serializers.CharField()
        shop = s.ShopRefSerializer(source="missing.shop")
        price = serializers.IntegerField(source="prices.min")

    thing = Thing()
    thing.missing = Missing()
    thing.prices = {"min": 95_000}
    assert_same_shape(ThingSerializer(), thing)
    assert ThingSerializer(thing).data == {
        "name": "Mật ong rừng",
        "label": "Mật ong rừng (U Minh)",
        "shop": None,
        "price": 95_000,
    }
