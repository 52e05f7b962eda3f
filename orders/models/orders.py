"""The order the buyer pays once, its shop orders (one per producer), their snapshot
lines and the event trail of every status change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.regions.selectors import DistanceClass


class PaymentMethod(models.TextChoices):
    STRIPE = "stripe", _("Thẻ (Stripe)")
    COD = "cod", _("Thanh toán khi nhận hàng")


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    CONFIRMED = "confirmed", _("Đã xác nhận (COD)")
    COMPLETED = "completed", _("Hoàn tất")
    EXPIRED = "expired", _("Hết hạn thanh toán")
    CANCELLED = "cancelled", _("Đã huỷ")


class Order(models.Model):
    """What the buyer pays once, split into one ShopOrder per shop."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=OrderStatus.choices)
    payment_method = models.CharField(
        _("phương thức thanh toán"), max_length=8, choices=PaymentMethod.choices
    )
    subtotal = models.PositiveBigIntegerField(_("tiền hàng"))
    shipping_total = models.PositiveBigIntegerField(_("phí vận chuyển"))
    total = models.PositiveBigIntegerField(_("tổng cộng"))
    shipping_full_name = models.CharField(_("người nhận"), max_length=150)
    shipping_phone = models.CharField(_("điện thoại"), max_length=16)
    shipping_province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="+"
    )
    shipping_ward = models.ForeignKey("regions.Ward", on_delete=models.PROTECT, related_name="+")
    shipping_line1 = models.CharField(_("địa chỉ"), max_length=255)
    # An unpaid Stripe order holds its stock until then; the expiry task releases it.
    reserved_until = models.DateTimeField(null=True, blank=True, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đơn hàng")
        verbose_name_plural = _("đơn hàng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping_total")),
                name="orders_order_total_is_sum",
            ),
        ]
        indexes = [models.Index(fields=["buyer", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ShopOrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Chờ thanh toán")
    AWAITING_FULFILMENT = "awaiting_fulfilment", _("Chờ xử lý")
    ACCEPTED = "accepted", _("Đã nhận đơn")
    SHIPPED = "shipped", _("Đang giao")
    DELIVERED = "delivered", _("Đã giao")
    COMPLETED = "completed", _("Hoàn tất")
    CANCELLED = "cancelled", _("Đã huỷ")


class RefundStatus(models.TextChoices):
    NONE = "", _("Không")
    REQUESTED = "requested", _("Đã yêu cầu hoàn tiền")
    # Stripe took the refund but has not confirmed it yet (`charge.refunded` or
    # reconciliation moves it to DONE).
    SENT = "sent", _("Đang hoàn tiền")
    DONE = "done", _("Đã hoàn tiền")


class ShopOrder(models.Model):
    """The part of an order one producer fulfils, with its own shipping fee."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shop_orders")
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="shop_orders")
    status = models.CharField(_("trạng thái"), max_length=20, choices=ShopOrderStatus.choices)
    subtotal = models.PositiveBigIntegerField(_("tiền hàng"))
    shipping_fee = models.PositiveBigIntegerField(_("phí vận chuyển"))
    total = models.PositiveBigIntegerField(_("tổng cộng"))
    weight_grams = models.PositiveIntegerField(_("khối lượng (g)"), default=0)
    distance_class = models.CharField(
        _("khoảng cách"), max_length=16, choices=DistanceClass.choices, blank=True
    )
    # Copied from the shop when placed: a later change of rate never rewrites history.
    commission_bp = models.PositiveIntegerField(_("hoa hồng (phần vạn)"))
    is_service = models.BooleanField(_("dịch vụ (vé)"), default=False)
    carrier = models.CharField(_("đơn vị vận chuyển"), max_length=80, blank=True)
    tracking_number = models.CharField(_("mã vận đơn"), max_length=80, blank=True)
    cancel_reason = models.TextField(_("lý do huỷ"), blank=True)
    refund_status = models.CharField(
        _("hoàn tiền"), max_length=16, choices=RefundStatus.choices, blank=True, default=""
    )
    refund_id = models.CharField(_("mã hoàn tiền"), max_length=255, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đơn hàng của gian hàng")
        verbose_name_plural = _("đơn hàng của gian hàng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping_fee")),
                name="orders_shoporder_total_is_sum",
            ),
            models.UniqueConstraint(fields=["order", "shop"], name="orders_shoporder_one_per_shop"),
        ]
        indexes = [
            models.Index(fields=["shop", "status", "created_at"]),
            models.Index(fields=["status", "delivered_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.order_id}-{self.pk} ({self.shop_id})"


class OrderLine(models.Model):
    """One line of a shop order, snapshotting what the buyer saw and paid."""

    shop_order = models.ForeignKey(ShopOrder, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "shops.ProductVariant",
        on_delete=models.SET_NULL,
        null=True,
        related_name="order_lines",
    )
    product = models.ForeignKey(
        "shops.Product", on_delete=models.SET_NULL, null=True, related_name="order_lines"
    )
    product_name = models.CharField(_("tên sản phẩm"), max_length=200)
    variant_name = models.CharField(_("phân loại"), max_length=120)
    sku = models.CharField(_("mã SKU"), max_length=64)
    stars = models.PositiveSmallIntegerField(_("số sao"))
    unit_price = models.PositiveBigIntegerField(_("đơn giá"))
    quantity = models.PositiveIntegerField(_("số lượng"))
    line_total = models.PositiveBigIntegerField(_("thành tiền"))
    weight_grams = models.PositiveIntegerField(_("khối lượng (g)"), default=0)
    service_date = models.DateField(_("ngày sử dụng"), null=True, blank=True)

    class Meta:
        verbose_name = _("dòng đơn hàng")
        verbose_name_plural = _("dòng đơn hàng")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(line_total=F("unit_price") * F("quantity")),
                name="orders_line_total_is_product",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_line_qty_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class OrderEvent(models.Model):
    """The audit trail: every status change of an order or one of its shop orders."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    shop_order = models.ForeignKey(
        ShopOrder, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử đơn hàng")
        verbose_name_plural = _("lịch sử đơn hàng")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
