"""What a buyer picks (`ProductVariant`, a tourism `ServiceSession`), a product's
pictures, and the stock movements of a variant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shops.models.shop import Product, Shop


class ProductVariant(models.Model):
    """A SKU a buyer picks ("Chai 500 ml"). Price in đồng; stock only moves via services."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    # Denormalised so that the SKU can be unique per shop in the database.
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("mã SKU"), max_length=64)
    name = models.CharField(_("tên phân loại"), max_length=120)
    price = models.PositiveBigIntegerField(_("giá (đồng)"))
    stock = models.IntegerField(_("tồn kho"), default=0)
    # None for group-6 services: nothing is shipped.
    weight_grams = models.PositiveIntegerField(_("khối lượng (g)"), null=True, blank=True)
    low_stock_threshold = models.PositiveIntegerField(_("ngưỡng sắp hết hàng"), default=5)
    # Whether the last movement left the stock at or below the threshold.
    is_low_stock = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phân loại")
        verbose_name_plural = _("phân loại")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "sku"], name="shops_variant_sku_unique_per_shop"
            ),
            models.CheckConstraint(condition=Q(stock__gte=0), name="shops_variant_stock_gte_0"),
            models.CheckConstraint(condition=Q(price__gt=0), name="shops_variant_price_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} — {self.name}"


class ServiceSession(models.Model):
    """Group 6 (tourism): the seats of one variant on one date, reserved like stock."""

    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("ngày"))
    capacity = models.PositiveIntegerField(_("sức chứa"))
    reserved = models.PositiveIntegerField(_("đã đặt"), default=0)

    class Meta:
        verbose_name = _("suất dịch vụ")
        verbose_name_plural = _("suất dịch vụ")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "date"], name="shops_session_unique_date"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("capacity")), name="shops_session_reserved_le_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} {self.date} ({self.reserved}/{self.capacity})"

    @property
    def available(self) -> int:
        return self.capacity - self.reserved


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("ảnh"), upload_to="products/%Y/%m/")
    thumbnail = models.ImageField(_("ảnh thu nhỏ"), upload_to="products/thumbs/", blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.product} #{self.position}"


class StockReason(models.TextChoices):
    INITIAL = "initial", _("Tồn đầu")
    ADJUSTMENT = "adjustment", _("Điều chỉnh")
    RESERVATION = "reservation", _("Giữ hàng cho đơn")
    RELEASE = "release", _("Trả lại kho")
    RESTOCK = "restock", _("Nhập thêm")
    IMPORT = "import", _("Nhập từ bảng tính")


class StockMovement(models.Model):
    """The stock ledger: a variant's stock is always the sum of its movements."""

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, related_name="stock_movements"
    )
    delta = models.IntegerField(_("thay đổi"))
    stock_after = models.IntegerField(_("tồn sau"))
    reason = models.CharField(_("lý do"), max_length=16, choices=StockReason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(_("tham chiếu"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biến động kho")
        verbose_name_plural = _("biến động kho")
        ordering = ["pk"]
        indexes = [models.Index(fields=["variant", "created_at"])]

    def __str__(self) -> str:
        return f"{self.variant} {self.delta:+d} ({self.reason})"
