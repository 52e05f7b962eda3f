"""The buyer's cart: what they mean to buy, before checkout turns it into an order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Cart(models.Model):
    buyer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giỏ hàng")
        verbose_name_plural = _("giỏ hàng")

    def __str__(self) -> str:
        return f"Giỏ hàng của {self.buyer_id}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(
        "shops.ProductVariant", on_delete=models.CASCADE, related_name="cart_items"
    )
    quantity = models.PositiveIntegerField(_("số lượng"))
    # Group-6 services are booked for a date; goods have none.
    service_date = models.DateField(_("ngày sử dụng"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dòng giỏ hàng")
        verbose_name_plural = _("dòng giỏ hàng")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "variant"],
                condition=Q(service_date__isnull=True),
                name="orders_cartitem_unique_goods",
            ),
            models.UniqueConstraint(
                fields=["cart", "variant", "service_date"],
                condition=Q(service_date__isnull=False),
                name="orders_cartitem_unique_service_date",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_cartitem_qty_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.variant_id}"
