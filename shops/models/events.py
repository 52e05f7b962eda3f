"""The audit trail of a shop's, certificate's and product's transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shops.models.shop import OcopCertificate, Product, Shop


class ShopEventKind(models.TextChoices):
    SHOP = "shop", _("Gian hàng")
    CERTIFICATE = "certificate", _("Chứng nhận")
    PRODUCT = "product", _("Sản phẩm")


class ShopEvent(models.Model):
    """Audit trail of every status change in a shop: who, from, to, why, when."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=ShopEventKind.choices)
    certificate = models.ForeignKey(
        OcopCertificate, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_status or '-'} → {self.to_status}"
