"""Paying shops: where their money goes, payout batches and payouts, and the cash
carriers collect on delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ShopPayoutAccount(models.Model):
    """Where a shop's money goes: a Vietnamese bank account (the default, paid by bank
    transfer from a payout batch) or, for shops abroad, a Stripe connected account."""

    shop = models.OneToOneField(
        "shops.Shop", on_delete=models.CASCADE, primary_key=True, related_name="payout_account"
    )
    bank_name = models.CharField(_("ngân hàng"), max_length=120, blank=True)
    account_number = models.CharField(_("số tài khoản"), max_length=40, blank=True)
    account_holder = models.CharField(_("chủ tài khoản"), max_length=200, blank=True)
    stripe_account_id = models.CharField(_("tài khoản Stripe Connect"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tài khoản nhận tiền")
        verbose_name_plural = _("tài khoản nhận tiền")

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.bank_name} {self.account_number}"


class PayoutBatch(models.Model):
    """One run of payouts: the weekly one (`period` = ISO week) or an operator's."""

    period = models.CharField(_("kỳ"), max_length=40, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt chuyển tiền")
        verbose_name_plural = _("đợt chuyển tiền")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.period


class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("Chờ chuyển")
    PAID = "paid", _("Đã chuyển")
    FAILED = "failed", _("Thất bại")


class PayoutMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản ngân hàng")
    STRIPE_CONNECT = "stripe_connect", _("Stripe Connect")


class Payout(models.Model):
    """A shop's payable balance paid out once per batch, with the bank details as they
    were when the batch was made."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="payouts")
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField(_("số tiền"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=PayoutStatus.choices, default=PayoutStatus.PENDING
    )
    method = models.CharField(_("hình thức"), max_length=16, choices=PayoutMethod.choices)
    reference = models.CharField(_("mã"), max_length=64, unique=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    bank_name = models.CharField(_("ngân hàng"), max_length=120, blank=True)
    account_number = models.CharField(_("số tài khoản"), max_length=40, blank=True)
    account_holder = models.CharField(_("chủ tài khoản"), max_length=200, blank=True)
    transfer_id = models.CharField(max_length=255, blank=True)
    failure_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khoản chuyển tiền")
        verbose_name_plural = _("khoản chuyển tiền")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "shop"], name="payments_payout_once_per_batch"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_payout_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount} đ"


class CodRemittanceStatus(models.TextChoices):
    AWAITING = "awaiting", _("Chờ đơn vị vận chuyển chuyển tiền")
    REMITTED = "remitted", _("Đã nhận đủ")
    SHORT = "short", _("Nhận thiếu")


class CodCollection(models.Model):
    """Cash a carrier collected for one delivered shop order, and whether the carrier
    has handed it over. Operators reconcile each carrier's remittance in the admin."""

    shop_order = models.OneToOneField(
        "orders.ShopOrder", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    carrier = models.CharField(_("đơn vị vận chuyển"), max_length=80, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền thu hộ"))
    remitted_amount = models.PositiveBigIntegerField(_("đã nhận"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=CodRemittanceStatus.choices,
        default=CodRemittanceStatus.AWAITING,
        db_index=True,
    )
    remittance_reference = models.CharField(_("mã đối soát"), max_length=80, blank=True)
    collected_at = models.DateTimeField(_("thu lúc"))
    remitted_at = models.DateTimeField(null=True, blank=True)
    remitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tiền thu hộ (COD)")
        verbose_name_plural = _("tiền thu hộ (COD)")
        ordering = ["-collected_at"]

    def __str__(self) -> str:
        return f"#{self.shop_order_id} {self.amount} đ ({self.status})"
