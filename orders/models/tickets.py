"""Tickets for group-6 community-tourism services: one admission per seat and date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models.orders import OrderLine, ShopOrder


class TicketStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    USED = "used", _("Đã sử dụng")
    VOID = "void", _("Đã huỷ")


class Ticket(models.Model):
    """One admission to a group-6 service on a date, issued per unit once paid."""

    shop_order = models.ForeignKey(ShopOrder, on_delete=models.CASCADE, related_name="tickets")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="tickets")
    code = models.CharField(_("mã vé"), max_length=16, unique=True)
    service_date = models.DateField(_("ngày sử dụng"))
    status = models.CharField(
        max_length=8, choices=TicketStatus.choices, default=TicketStatus.VALID
    )
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vé")
        verbose_name_plural = _("vé")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code
