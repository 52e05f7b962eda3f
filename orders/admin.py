"""Back office: operators edit the shipping fee table and free-shipping thresholds, and
read every order with its shop orders, lines, payment and event history. Orders change
only through services (their state machine), so they are read-only here."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import DomainError
from orders import services
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
    actions = ["refund"]

    def has_refund_permission(self, request) -> bool:
        return bool(getattr(request.user, "is_operator", False))

    @admin.action(description=_("Hoàn tiền cho người mua (thanh toán thẻ)"), permissions=["refund"])
    def refund(self, request, queryset):
        done = 0
        for shop_order in queryset:
            try:
                services.shop_order_refund_request(
                    shop_order_id=shop_order.pk,
                    actor=request.user,
                    reason=f"refunded by operator {request.user}",
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{shop_order}: {exc.message}", level=messages.ERROR)
        if done:
            self.message_user(request, _("Đã yêu cầu hoàn tiền {count} đơn.").format(count=done))


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["product", "buyer", "rating", "created_at"]
    list_filter = ["rating"]
    readonly_fields = ["product", "buyer", "shop_order", "rating", "created_at"]


@admin.register(ProductRating)
class ProductRatingAdmin(ReadOnlyAdmin):
    list_display = ["product", "rating", "review_count"]
