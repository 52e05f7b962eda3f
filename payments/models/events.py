"""What Stripe tells us: its events as received, the refunds and disputes it
reports, and the money matters an operator must look at."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeEventStatus(models.TextChoices):
    RECEIVED = "received", _("Chờ xử lý")
    APPLIED = "applied", _("Đã áp dụng")
    IGNORED = "ignored", _("Không cần xử lý")
    FAILED = "failed", _("Lỗi")


class StripeEvent(models.Model):
    """One event Stripe sent, stored under its own id: a second delivery of the same
    event finds this row and is acknowledged without being applied again."""

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(_("loại"), max_length=100, db_index=True)
    payload = models.JSONField()
    # The intent, charge, refund or dispute the event is about.
    object_id = models.CharField(max_length=255, blank=True, db_index=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=StripeEventStatus.choices,
        default=StripeEventStatus.RECEIVED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(_("lỗi"), blank=True)
    # "webhook" or "reconciliation": who brought the news.
    source = models.CharField(max_length=16, default="webhook")
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True, db_index=True)
    applied_at = models.DateTimeField(_("áp dụng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự kiện Stripe")
        verbose_name_plural = _("sự kiện Stripe")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class StripeRefundStatus(models.TextChoices):
    PENDING = "pending", _("Đang xử lý")
    SUCCEEDED = "succeeded", _("Thành công")
    FAILED = "failed", _("Thất bại")
    CANCELED = "canceled", _("Đã huỷ")


class StripeRefund(models.Model):
    """A refund as Stripe knows it: asked for by us (for one shop order) or made in
    Stripe's dashboard. Confirmed by `charge.refunded` or by reconciliation."""

    id = models.CharField(primary_key=True, max_length=255)
    intent_id = models.CharField(max_length=255, db_index=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shop_order = models.ForeignKey(
        "orders.ShopOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("số tiền"))
    status = models.CharField(max_length=16, choices=StripeRefundStatus.choices)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hoàn tiền Stripe")
        verbose_name_plural = _("hoàn tiền Stripe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.id} {self.amount} đ ({self.status})"


class Dispute(models.Model):
    """A buyer's chargeback on an order's card payment. While it is open the shops'
    money for that order is held."""

    id = models.CharField(primary_key=True, max_length=255)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    amount = models.PositiveBigIntegerField(_("số tiền"))
    reason = models.CharField(_("lý do"), max_length=64, blank=True)
    status = models.CharField(_("trạng thái Stripe"), max_length=32)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khiếu nại thanh toán")
        verbose_name_plural = _("khiếu nại thanh toán")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"


class PaymentIssueKind(models.TextChoices):
    AMOUNT_MISMATCH = "amount_mismatch", _("Số tiền hoặc loại tiền không khớp đơn hàng")
    UNKNOWN_INTENT = "unknown_intent", _("Thanh toán không gắn với đơn hàng nào")
    PAID_TOO_LATE = "paid_too_late", _("Thanh toán đến sau khi đơn đã huỷ: hoàn tiền toàn bộ")
    DISPUTE = "dispute", _("Khiếu nại thanh toán (chargeback)")
    UNATTRIBUTED_REFUND = "unattributed_refund", _("Hoàn tiền từ Stripe không gắn với đơn nào")
    REFUND_FAILED = "refund_failed", _("Hoàn tiền thất bại")


class PaymentIssue(models.Model):
    """Something about money that an operator must look at. Raised once per cause
    (`reference`), listed in the back office, and announced to the operators."""

    kind = models.CharField(_("loại"), max_length=32, choices=PaymentIssueKind.choices)
    reference = models.CharField(max_length=255)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intent_id = models.CharField(max_length=255, blank=True)
    amount = models.BigIntegerField(_("số tiền"), null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    resolved_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("vấn đề thanh toán")
        verbose_name_plural = _("vấn đề thanh toán")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference"], name="payments_issue_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.reference})"
