"""Shapes of the cart, orders and shop orders (API.md), and the inputs they accept."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.core.money import CURRENCY
from marketplace.core.representation import PlannedRepresentation
from marketplace.regions.fields import ProvinceCodeField, WardCodeField
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
from orders.services.cart_rules import cart_quantity_maximum

# --- inputs ---------------------------------------------------------------------------


class CartItemAddInput(serializers.Serializer):
    variant_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=cart_quantity_maximum())
    service_date = serializers.DateField(required=False, allow_null=True)


class CartItemsAddInput(serializers.Serializer):
    """Several lines at once, all or nothing."""

    items = CartItemAddInput(many=True, allow_empty=False)


class CartItemUpdateInput(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=cart_quantity_maximum())


class ShippingAddressInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    phone = serializers.RegexField(r"^\+?[0-9 .-]{8,16}$", max_length=16)
    province_code = ProvinceCodeField()
    ward_code = WardCodeField()
    line1 = serializers.CharField(max_length=255)


class CheckoutInput(serializers.Serializer):
    shipping_address = ShippingAddressInput()
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    expected_total = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text=(
            "The cart's `total` (đồng, goods before shipping) as the buyer last saw it: "
            "if today's prices make another, the checkout answers 409 `price_changed` "
            "with the current `total` and places nothing."
        ),
    )


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
# The answers of every cart add, checkout and fulfilment step: written out through a
# plan of their declared fields (marketplace.core.representation).


class ShopRefSerializer(PlannedRepresentation, serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CartLineSerializer(PlannedRepresentation, serializers.Serializer):
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


class CartSerializer(PlannedRepresentation, serializers.Serializer):
    items = CartLineSerializer(many=True, source="lines")
    total = serializers.IntegerField()
    currency = serializers.SerializerMethodField()

    def get_currency(self, obj) -> str:
        return CURRENCY


class OrderLineSerializer(PlannedRepresentation, serializers.ModelSerializer):
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


class TicketSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["code", "service_date", "status", "used_at"]


class OrderEventSerializer(PlannedRepresentation, serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = OrderEvent
        fields = ["shop_order_id", "from_status", "to_status", "note", "actor", "created_at"]

    def get_actor(self, obj) -> str | None:
        return "system" if obj.actor_id is None else str(obj.actor_id)


class ShopOrderSerializer(PlannedRepresentation, serializers.ModelSerializer):
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


class ShippingAddressSerializer(PlannedRepresentation, serializers.Serializer):
    full_name = serializers.CharField(source="shipping_full_name")
    phone = serializers.CharField(source="shipping_phone")
    province_code = serializers.CharField(source="shipping_province_id")
    province_name = serializers.CharField(source="shipping_province.name")
    ward_code = serializers.CharField(source="shipping_ward_id")
    ward_name = serializers.CharField(source="shipping_ward.name")
    line1 = serializers.CharField(source="shipping_line1")


class PaymentSerializer(PlannedRepresentation, serializers.Serializer):
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


class OrderSerializer(PlannedRepresentation, serializers.ModelSerializer):
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


class BuyerRefSerializer(PlannedRepresentation, serializers.Serializer):
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
