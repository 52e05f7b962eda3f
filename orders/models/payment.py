"""The order's payment row: how it is paid, what Stripe intent carries it, what was
given back."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orders.models.orders import Order, PaymentMethod


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    SUCCEEDED = "succeeded", _("Đã thanh toán")
    CANCELLED = "cancelled", _("Đã huỷ")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class Payment(models.Model):
    """How an order is paid. Lives here because the order shows it and checkout writes
    it; the payments app (above orders) fills in the Stripe side through
    `orders.payment_port` and reads/updates it from its webhook handling."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="payment")
    provider = models.CharField(max_length=8, choices=PaymentMethod.choices)
    status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    amount = models.PositiveBigIntegerField()
    refunded_amount = models.PositiveBigIntegerField(default=0)
    intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    client_secret = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("amount")),
                name="orders_payment_refund_le_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} đ ({self.status})"
