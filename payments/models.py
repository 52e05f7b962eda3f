"""The money side of the marketplace: Stripe's events as received, the refunds and
disputes Stripe reports, what needs an operator, the shops' money ledger, payouts,
cash-on-delivery remittances and the withholding-tax rates.

Models hold data and constraints; every write goes through `payments.services`.
Amounts are integer đồng; a ledger amount is signed, seen from the shop: what the shop
is owed is positive, what leaves it (commission, tax, refunds, payouts) negative.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shops.models import Shop


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


class LedgerKind(models.TextChoices):
    SALE = "sale", _("Bán hàng")
    COMMISSION = "commission", _("Hoa hồng sàn")
    VAT_WITHHELD = "vat_withheld", _("Thuế GTGT khấu trừ")
    PIT_WITHHELD = "pit_withheld", _("Thuế TNCN khấu trừ")
    REFUND = "refund", _("Hoàn tiền cho người mua")
    COMMISSION_REVERSAL = "commission_reversal", _("Hoàn hoa hồng")
    VAT_WITHHELD_REVERSAL = "vat_withheld_reversal", _("Hoàn thuế GTGT khấu trừ")
    PIT_WITHHELD_REVERSAL = "pit_withheld_reversal", _("Hoàn thuế TNCN khấu trừ")
    DISPUTE_HOLD = "dispute_hold", _("Tạm giữ do khiếu nại")
    DISPUTE_RELEASE = "dispute_release", _("Giải phóng tạm giữ")
    PAYOUT = "payout", _("Chuyển tiền cho cửa hàng")
    PAYOUT_REVERSAL = "payout_reversal", _("Chuyển tiền thất bại")


# The sign each kind's amount must have (what leaves the shop is negative).
LEDGER_NEGATIVE_KINDS = (
    LedgerKind.COMMISSION,
    LedgerKind.VAT_WITHHELD,
    LedgerKind.PIT_WITHHELD,
    LedgerKind.REFUND,
    LedgerKind.DISPUTE_HOLD,
    LedgerKind.PAYOUT,
)
LEDGER_HOLD_KINDS = (LedgerKind.DISPUTE_HOLD, LedgerKind.DISPUTE_RELEASE)
LEDGER_PAYOUT_KINDS = (LedgerKind.PAYOUT, LedgerKind.PAYOUT_REVERSAL)


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("ledger entries are never updated: write a reversal")

    def delete(self):
        raise TypeError("ledger entries are never deleted: write a reversal")


class LedgerEntry(models.Model):
    """One movement of a shop's money. Rows are only ever added: a refund writes
    reversals, a payout a negative row. A shop's balance is a sum of its rows (see
    `payments.selectors.shop_balance`). `reference` names the cause, so the same cause
    written twice (a task run again) adds nothing."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="+")
    shop_order = models.ForeignKey(
        "orders.ShopOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payout = models.ForeignKey(
        "payments.Payout", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    kind = models.CharField(_("loại"), max_length=32, choices=LedgerKind.choices)
    amount = models.BigIntegerField(_("số tiền"))
    # For commission and tax rows: what the rate was applied to, and the rate.
    base = models.BigIntegerField(_("cơ sở tính"), null=True, blank=True)
    rate_bp = models.PositiveIntegerField(_("tỷ lệ (phần vạn)"), null=True, blank=True)
    reference = models.CharField(max_length=255)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("bút toán")
        verbose_name_plural = _("sổ cái")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "kind", "reference"], name="payments_ledger_once_per_cause"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=LEDGER_NEGATIVE_KINDS, amount__lte=0)
                    | (~Q(kind__in=LEDGER_NEGATIVE_KINDS) & Q(amount__gte=0))
                ),
                name="payments_ledger_sign_by_kind",
            ),
        ]
        indexes = [models.Index(fields=["shop", "-created_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} đ"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("ledger entries are never updated: write a reversal")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ledger entries are never deleted: write a reversal")


class TaxCategory(models.TextChoices):
    GOODS = "goods", _("Hàng hoá")
    SERVICES = "services", _("Dịch vụ")


class WithholdingRate(models.Model):
    """What the platform withholds from household and individual sellers' sales, by
    category, from a date (Decree 117/2025). Data, not code: a new decree is a new row."""

    category = models.CharField(_("nhóm"), max_length=16, choices=TaxCategory.choices)
    vat_bp = models.PositiveIntegerField(_("thuế GTGT (phần vạn)"))
    pit_bp = models.PositiveIntegerField(_("thuế TNCN (phần vạn)"))
    effective_from = models.DateField(_("áp dụng từ"))
    legal_basis = models.CharField(_("căn cứ"), max_length=200)

    class Meta:
        verbose_name = _("tỷ lệ khấu trừ thuế")
        verbose_name_plural = _("tỷ lệ khấu trừ thuế")
        ordering = ["category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"], name="payments_rate_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(vat_bp__lte=10000, pit_bp__lte=10000), name="payments_rate_le_100pct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.vat_bp}+{self.pit_bp} bp từ {self.effective_from}"


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


class WithholdingShop(Shop):
    """Household and individual shops as the back office lists them for their monthly
    withholding reports (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("báo cáo khấu trừ thuế")
        verbose_name_plural = _("báo cáo khấu trừ thuế")


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
