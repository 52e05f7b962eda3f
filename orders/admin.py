"""Back office: operators edit the shipping fee table and free-shipping thresholds, and
read every order with its shop orders, lines, payment and event history. Orders change
only through services (their state machine), so they are read-only here."""

from django.contrib import admin

from orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    ProductRating,
    Review,
    ShippingRate,
    ShopOrder,
    ShopShippingPolicy,
    Ticket,
)


@admin.register(ShippingRate)
class ShippingRateAdmin(admin.ModelAdmin):
    list_display = ["distance_class", "base_weight_grams", "base_fee", "step_grams", "step_fee"]
    list_editable = ["base_weight_grams", "base_fee", "step_grams", "step_fee"]


@admin.register(ShopShippingPolicy)
class ShopShippingPolicyAdmin(admin.ModelAdmin):
    list_display = ["shop", "free_shipping_threshold"]
    autocomplete_fields = ["shop"]
    search_fields = ["shop__name", "shop__slug"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ShopOrderInline(ReadOnlyInline):
    model = ShopOrder
    fields = [
        "shop",
        "status",
        "subtotal",
        "shipping_fee",
        "total",
        "commission_bp",
        "carrier",
        "tracking_number",
        "refund_status",
    ]
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "shop_order", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["provider", "status", "amount", "refunded_amount", "intent_id"]
    readonly_fields = fields


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["id", "buyer", "status", "payment_method", "total", "created_at"]
    list_filter = ["status", "payment_method", "created_at"]
    search_fields = ["id", "buyer__email", "shipping_full_name", "shipping_phone"]
    date_hierarchy = "created_at"
    inlines = [PaymentInline, ShopOrderInline, OrderEventInline]


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = [
        "product_name",
        "variant_name",
        "sku",
        "stars",
        "unit_price",
        "quantity",
        "line_total",
        "service_date",
    ]
    readonly_fields = fields


class TicketInline(ReadOnlyInline):
    model = Ticket
    fields = ["code", "service_date", "status", "used_at"]
    readonly_fields = fields


class ShopOrderEventInline(OrderEventInline):
    fk_name = "shop_order"


@admin.register(ShopOrder)
class ShopOrderAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "shop", "status", "total", "refund_status", "created_at"]
    list_filter = ["status", "refund_status", "created_at"]
    search_fields = ["order__id", "shop__name", "tracking_number"]
    inlines = [OrderLineInline, TicketInline, ShopOrderEventInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["product", "buyer", "rating", "created_at"]
    list_filter = ["rating"]
    readonly_fields = ["product", "buyer", "shop_order", "rating", "created_at"]


@admin.register(ProductRating)
class ProductRatingAdmin(ReadOnlyAdmin):
    list_display = ["product", "rating", "review_count"]
