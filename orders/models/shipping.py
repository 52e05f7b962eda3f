"""What shipping costs: the carriers' rates per distance class, and each shop's
free-shipping threshold."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.regions.selectors import DistanceClass


class ShippingRate(models.Model):
    """What a parcel costs to send, per distance class, as Vietnamese carriers price it:
    a base fee up to a base weight, then a fee per started step beyond it. Operators
    edit these rows in the admin; a shop order copies the fee it was charged."""

    distance_class = models.CharField(
        _("khoảng cách"), max_length=16, choices=DistanceClass.choices, unique=True
    )
    base_weight_grams = models.PositiveIntegerField(_("khối lượng cơ bản (g)"))
    base_fee = models.PositiveBigIntegerField(_("phí cơ bản (đồng)"))
    step_grams = models.PositiveIntegerField(_("mỗi nấc thêm (g)"))
    step_fee = models.PositiveBigIntegerField(_("phí mỗi nấc (đồng)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("biểu phí vận chuyển")
        verbose_name_plural = _("biểu phí vận chuyển")
        ordering = ["distance_class"]
        constraints = [
            models.CheckConstraint(condition=Q(step_grams__gt=0), name="orders_rate_step_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_distance_class_display()}: {self.base_fee} đ"


class ShopShippingPolicy(models.Model):
    """A shop's free-shipping threshold: a shop order whose subtotal reaches it ships
    free. Kept here (not on Shop) because shipping is the orders app's business."""

    shop = models.OneToOneField(
        "shops.Shop", on_delete=models.CASCADE, primary_key=True, related_name="shipping_policy"
    )
    free_shipping_threshold = models.PositiveBigIntegerField(
        _("miễn phí vận chuyển từ (đồng)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("chính sách vận chuyển")
        verbose_name_plural = _("chính sách vận chuyển")

    def __str__(self) -> str:
        return f"{self.shop}: {self.free_shipping_threshold or '—'}"
