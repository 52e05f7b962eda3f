"""Shapes of the cart, orders and shop orders (API.md), and the inputs they accept."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from marketplace.core.money import CURRENCY
from orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    Review,
    ShopOrder,
    ShopOrderStatus,
    Ticket,
)

# --- inputs ---------------------------------------------------------------------------


class CartItemAddInput(serializers.Serializer):
    variant_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=settings.CART_MAX_QUANTITY)
    service_date = serializers.DateField(required=False, allow_null=True)


class CartItemsAddInput(serializers.Serializer):
    """Several lines at once, all or nothing."""

    items = CartItemAddInput(many=True, allow_empty=False)


class CartItemUpdateInput(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=settings.CART_MAX_QUANTITY)


class ShippingAddressInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    phone = serializers.RegexField(r"^\+?[0-9 .-]{8,16}$", max_length=16)
    province_code = serializers.CharField(max_length=2)
    ward_code = serializers.CharField(max_length=5)
    line1 = serializers.CharField(max_length=255)


class CheckoutInput(serializers.Serializer):
    shipping_address = ShippingAddressInput()
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)


class OrderCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ShipInput(serializers.Serializer):
    carrier = serializers.CharField(max_length=80)
    tracking_number = serializers.CharField(max_length=80)


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class TicketUseInput(serializers.Serializer):
    code = serializers.CharField(max_length=16)


class ShopOrderFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ShopOrderStatus.choices, required=False)
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)


class OrderFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)


class SalesFilterInput(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class ProductReviewInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


# --- outputs --------------------------------------------------------------------------

# An order is the answer of every checkout and of every step of its fulfilment, so the
# serializers below write their fields out instead of DRF's field-by-field walk (which
# cost more than the checkout's own writes). The declared fields still document the
# shape, and tests/orders/test_order_shape.py holds each to what its fields give.
_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def _datetime(value) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def _date(value) -> str | None:
    return None if value is None else _DATE.to_representation(value)


def _payment_of(order) -> dict | None:
    try:
        payment = order.payment
    except ObjectDoesNotExist:
        return None
    return PaymentSerializer().to_representation(payment)


class ShopRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant_id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    product_name = serializers.CharField()
    variant_name = serializers.CharField()
    sku = serializers.CharField()
    shop = ShopRefSerializer()
    quantity = serializers.IntegerField()
    service_date = serializers.DateField(allow_null=True)
    unit_price = serializers.IntegerField()
    line_total = serializers.IntegerField()
    on_sale = serializers.BooleanField()
    stock_available = serializers.IntegerField()
    currency = serializers.SerializerMethodField()

    def get_currency(self, obj) -> str:
        return CURRENCY

    def to_representation(self, line) -> dict:
        # Every cart add answers with the whole cart, so this is the API's most frequent
        # shape, and DRF's field-by-field walk cost more than the rest of the request.
        # The fields above still document it; a test holds the two to the same output.
        return {
            "id": line.id,
            "variant_id": line.variant_id,
            "product_id": line.product_id,
            "product_name": line.product_name,
            "variant_name": line.variant_name,
            "sku": line.sku,
            "shop": {"slug": line.shop.slug, "name": line.shop.name},
            "quantity": line.quantity,
            "service_date": line.service_date.isoformat() if line.service_date else None,
            "unit_price": line.unit_price,
            "line_total": line.line_total,
            "on_sale": line.on_sale,
            "stock_available": line.stock_available,
            "currency": CURRENCY,
        }


class CartSerializer(serializers.Serializer):
    items = CartLineSerializer(many=True, source="lines")
    total = serializers.IntegerField()
    currency = serializers.SerializerMethodField()

    def get_currency(self, obj) -> str:
        return CURRENCY


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "id",
            "variant_id",
            "product_id",
            "product_name",
            "variant_name",
            "sku",
            "stars",
            "unit_price",
            "quantity",
            "line_total",
            "service_date",
        ]

    def to_representation(self, line) -> dict:
        return {
            "id": line.id,
            "variant_id": line.variant_id,
            "product_id": line.product_id,
            "product_name": line.product_name,
            "variant_name": line.variant_name,
            "sku": line.sku,
            "stars": line.stars,
            "unit_price": line.unit_price,
            "quantity": line.quantity,
            "line_total": line.line_total,
            "service_date": _date(line.service_date),
        }


class TicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["code", "service_date", "status", "used_at"]

    def to_representation(self, ticket) -> dict:
        return {
            "code": ticket.code,
            "service_date": _date(ticket.service_date),
            "status": ticket.status,
            "used_at": _datetime(ticket.used_at),
        }


class OrderEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = OrderEvent
        fields = ["shop_order_id", "from_status", "to_status", "note", "actor", "created_at"]

    def get_actor(self, obj) -> str | None:
        return "system" if obj.actor_id is None else str(obj.actor_id)

    def to_representation(self, event) -> dict:
        return {
            "shop_order_id": event.shop_order_id,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "note": event.note,
            "actor": self.get_actor(event),
            "created_at": _datetime(event.created_at),
        }


class ShopOrderSerializer(serializers.ModelSerializer):
    shop = ShopRefSerializer()
    lines = OrderLineSerializer(many=True)
    tickets = TicketSerializer(many=True)
    currency = serializers.SerializerMethodField()

    class Meta:
        model = ShopOrder
        fields = [
            "id",
            "order_id",
            "shop",
            "status",
            "subtotal",
            "shipping_fee",
            "total",
            "currency",
            "weight_grams",
            "distance_class",
            "carrier",
            "tracking_number",
            "cancel_reason",
            "refund_status",
            "lines",
            "tickets",
            "created_at",
            "accepted_at",
            "shipped_at",
            "delivered_at",
            "completed_at",
            "cancelled_at",
        ]

    def get_currency(self, obj) -> str:
        return CURRENCY

    def to_representation(self, shop_order) -> dict:
        line = OrderLineSerializer()
        ticket = TicketSerializer()
        return {
            "id": shop_order.id,
            "order_id": shop_order.order_id,
            "shop": {"slug": shop_order.shop.slug, "name": shop_order.shop.name},
            "status": shop_order.status,
            "subtotal": shop_order.subtotal,
            "shipping_fee": shop_order.shipping_fee,
            "total": shop_order.total,
            "currency": CURRENCY,
            "weight_grams": shop_order.weight_grams,
            "distance_class": shop_order.distance_class,
            "carrier": shop_order.carrier,
            "tracking_number": shop_order.tracking_number,
            "cancel_reason": shop_order.cancel_reason,
            "refund_status": shop_order.refund_status,
            "lines": [line.to_representation(x) for x in shop_order.lines.all()],
            "tickets": [ticket.to_representation(x) for x in shop_order.tickets.all()],
            "created_at": _datetime(shop_order.created_at),
            "accepted_at": _datetime(shop_order.accepted_at),
            "shipped_at": _datetime(shop_order.shipped_at),
            "delivered_at": _datetime(shop_order.delivered_at),
            "completed_at": _datetime(shop_order.completed_at),
            "cancelled_at": _datetime(shop_order.cancelled_at),
        }


class ShippingAddressSerializer(serializers.Serializer):
    full_name = serializers.CharField(source="shipping_full_name")
    phone = serializers.CharField(source="shipping_phone")
    province_code = serializers.CharField(source="shipping_province_id")
    province_name = serializers.CharField(source="shipping_province.name")
    ward_code = serializers.CharField(source="shipping_ward_id")
    ward_name = serializers.CharField(source="shipping_ward.name")
    line1 = serializers.CharField(source="shipping_line1")

    def to_representation(self, order) -> dict:
        return {
            "full_name": order.shipping_full_name,
            "phone": order.shipping_phone,
            "province_code": order.shipping_province_id,
            "province_name": order.shipping_province.name,
            "ward_code": order.shipping_ward_id,
            "ward_name": order.shipping_ward.name,
            "line1": order.shipping_line1,
        }


class PaymentSerializer(serializers.Serializer):
    provider = serializers.CharField()
    status = serializers.CharField()
    amount = serializers.IntegerField()
    refunded_amount = serializers.IntegerField()
    currency = serializers.SerializerMethodField()
    intent_id = serializers.SerializerMethodField()
    client_secret = serializers.SerializerMethodField()

    def get_currency(self, obj) -> str:
        return CURRENCY

    def get_intent_id(self, obj) -> str | None:
        return obj.intent_id or None

    def get_client_secret(self, obj) -> str | None:
        # Only while it can still be used to pay.
        if obj.status != "pending":
            return None
        return obj.client_secret or None

    def to_representation(self, payment) -> dict:
        return {
            "provider": payment.provider,
            "status": payment.status,
            "amount": payment.amount,
            "refunded_amount": payment.refunded_amount,
            "currency": CURRENCY,
            "intent_id": self.get_intent_id(payment),
            "client_secret": self.get_client_secret(payment),
        }


class OrderSerializer(serializers.ModelSerializer):
    shipping_address = ShippingAddressSerializer(source="*")
    payment = PaymentSerializer()
    shop_orders = ShopOrderSerializer(many=True)
    events = OrderEventSerializer(many=True)
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "payment_method",
            "subtotal",
            "shipping_total",
            "total",
            "currency",
            "created_at",
            "reserved_until",
            "paid_at",
            "shipping_address",
            "payment",
            "shop_orders",
            "events",
        ]

    def get_currency(self, obj) -> str:
        return CURRENCY

    def to_representation(self, order) -> dict:
        shop_order = ShopOrderSerializer()
        event = OrderEventSerializer()
        return {
            "id": order.id,
            "status": order.status,
            "payment_method": order.payment_method,
            "subtotal": order.subtotal,
            "shipping_total": order.shipping_total,
            "total": order.total,
            "currency": CURRENCY,
            "created_at": _datetime(order.created_at),
            "reserved_until": _datetime(order.reserved_until),
            "paid_at": _datetime(order.paid_at),
            "shipping_address": ShippingAddressSerializer().to_representation(order),
            "payment": _payment_of(order),
            "shop_orders": [shop_order.to_representation(x) for x in order.shop_orders.all()],
            "events": [event.to_representation(x) for x in order.events.all()],
        }


class BuyerRefSerializer(serializers.Serializer):
    full_name = serializers.CharField()


class ProducerShopOrderSerializer(ShopOrderSerializer):
    """What the producer sees: their part, the buyer's delivery address, the history."""

    buyer = BuyerRefSerializer(source="order.buyer")
    shipping_address = ShippingAddressSerializer(source="order")
    payment_method = serializers.CharField(source="order.payment_method")
    commission_bp = serializers.IntegerField()
    events = OrderEventSerializer(many=True)

    class Meta(ShopOrderSerializer.Meta):
        fields = [
            *ShopOrderSerializer.Meta.fields,
            "buyer",
            "shipping_address",
            "payment_method",
            "commission_bp",
            "events",
        ]

    def to_representation(self, shop_order) -> dict:
        order = shop_order.order
        event = OrderEventSerializer()
        return {
            **super().to_representation(shop_order),
            "buyer": {"full_name": order.buyer.full_name},
            "shipping_address": ShippingAddressSerializer().to_representation(order),
            "payment_method": order.payment_method,
            "commission_bp": shop_order.commission_bp,
            "events": [event.to_representation(x) for x in shop_order.events.all()],
        }


class SalesDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    orders = serializers.IntegerField()
    subtotal = serializers.IntegerField()
    shipping = serializers.IntegerField()
    total = serializers.IntegerField()
    currency = serializers.SerializerMethodField()

    def get_currency(self, obj) -> str:
        return CURRENCY


class ReviewSerializer(serializers.ModelSerializer):
    buyer_name = serializers.CharField(source="buyer.full_name")

    class Meta:
        model = Review
        fields = ["id", "product_id", "rating", "comment", "buyer_name", "created_at"]
