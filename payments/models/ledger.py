"""The shops' money ledger and the withholding-tax rates it applies."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shops.models import Shop


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


class WithholdingShop(Shop):
    """Household and individual shops as the back office lists them for their monthly
    withholding reports (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("báo cáo khấu trừ thuế")
        verbose_name_plural = _("báo cáo khấu trừ thuế")
