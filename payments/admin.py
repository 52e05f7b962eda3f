"""Back office for money: Stripe's events (replay the failed or unapplied), what needs
an operator (payment issues), the ledger (read-only), payout batches (run, download the
bank-transfer file, mark paid or failed), cash-on-delivery remittances, withholding
rates (data) and each shop's monthly withholding report. Every action calls the same
service as the API or the worker."""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.clock import local_today
from marketplace.core.errors import DomainError
from payments import selectors
from payments.models import (
    CodCollection,
    CodRemittanceStatus,
    Dispute,
    LedgerEntry,
    PaymentIssue,
    Payout,
    PayoutBatch,
    PayoutStatus,
    ShopPayoutAccount,
    StripeEvent,
    StripeRefund,
    WithholdingRate,
    WithholdingShop,
)
from payments.services import cod, events, issues, payouts
from shops.models import LegalType


def _each(modeladmin, request, queryset, action, *, success: str) -> None:
    done = 0
    for obj in queryset:
        try:
            if action(obj) is not False:
                done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", level=messages.ERROR)
    modeladmin.message_user(request, success.format(count=done), level=messages.SUCCESS)


class OperatorActions:
    """Money actions are for operators (active staff), whatever else they may change."""

    def has_operate_permission(self, request) -> bool:
        return bool(getattr(request.user, "is_operator", False))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(OperatorActions, ReadOnlyAdmin):
    list_display = ["id", "type", "status", "source", "attempts", "received_at", "applied_at"]
    list_filter = ["status", "type", "source"]
    search_fields = ["id", "object_id"]
    readonly_fields = [f.name for f in StripeEvent._meta.fields]
    actions = ["replay"]

    @admin.action(description=_("Áp dụng lại sự kiện đã chọn"), permissions=["operate"])
    def replay(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda event: events.stripe_event_replay(event_id=event.id),
            success=_("Đã đưa {count} sự kiện vào hàng đợi."),
        )


@admin.register(PaymentIssue)
class PaymentIssueAdmin(OperatorActions, ReadOnlyAdmin):
    list_display = ["created_at", "kind", "order", "amount", "intent_id", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["reference", "intent_id", "order__id"]
    readonly_fields = [f.name for f in PaymentIssue._meta.fields]
    actions = ["resolve"]

    @admin.action(description=_("Đánh dấu đã xử lý"), permissions=["operate"])
    def resolve(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda issue: issues.payment_issue_resolve(issue_id=issue.pk, actor=request.user),
            success=_("Đã xử lý {count} vấn đề."),
        )


@admin.register(StripeRefund)
class StripeRefundAdmin(ReadOnlyAdmin):
    list_display = ["id", "intent_id", "order", "shop_order", "amount", "status", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["id", "intent_id"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "amount", "reason", "status", "opened_at", "closed_at"]
    list_filter = ["status"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "shop", "kind", "amount", "shop_order", "payout", "reference"]
    list_filter = ["kind"]
    search_fields = ["shop__name", "reference"]
    list_select_related = ["shop"]


class PayoutInline(admin.TabularInline):
    model = Payout
    extra = 0
    can_delete = False
    fields = ["shop", "amount", "method", "status", "reference", "paid_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PayoutBatch)
class PayoutBatchAdmin(OperatorActions, ReadOnlyAdmin):
    list_display = ["period", "created_at", "created_by"]
    inlines = [PayoutInline]
    actions = ["download_bank_file"]

    @admin.action(description=_("Tải file chuyển khoản (CSV)"), permissions=["operate"])
    def download_bank_file(self, request, queryset):
        batch = queryset.order_by("-created_at").first()
        response = HttpResponse(
            payouts.payout_batch_csv(batch_id=batch.pk), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="payouts-{batch.period}.csv"'
        return response


@admin.register(Payout)
class PayoutAdmin(OperatorActions, ReadOnlyAdmin):
    list_display = ["reference", "shop", "amount", "method", "status", "created_at", "paid_at"]
    list_filter = ["status", "method", "batch"]
    search_fields = ["reference", "shop__name", "tax_code"]
    actions = ["mark_paid", "mark_failed"]

    @admin.action(description=_("Đánh dấu đã chuyển"), permissions=["operate"])
    def mark_paid(self, request, queryset):
        _each(
            self,
            request,
            queryset.filter(status=PayoutStatus.PENDING),
            lambda p: payouts.payout_mark_paid(payout_id=p.pk, actor=request.user),
            success=_("Đã đánh dấu {count} khoản đã chuyển."),
        )

    @admin.action(description=_("Đánh dấu chuyển thất bại"), permissions=["operate"])
    def mark_failed(self, request, queryset):
        _each(
            self,
            request,
            queryset.filter(status=PayoutStatus.PENDING),
            lambda p: payouts.payout_mark_failed(
                payout_id=p.pk, reason=f"marked failed by {request.user}", actor=request.user
            ),
            success=_("{count} khoản trở lại số dư có thể rút."),
        )


@admin.register(CodCollection)
class CodCollectionAdmin(OperatorActions, ReadOnlyAdmin):
    list_display = [
        "shop_order",
        "carrier",
        "amount",
        "remitted_amount",
        "status",
        "collected_at",
        "remitted_at",
    ]
    list_filter = ["status", "carrier"]
    search_fields = ["shop_order__id", "shop_order__tracking_number"]
    actions = ["mark_remitted"]

    @admin.action(description=_("Đã nhận đủ tiền thu hộ"), permissions=["operate"])
    def mark_remitted(self, request, queryset):
        _each(
            self,
            request,
            queryset.exclude(status=CodRemittanceStatus.REMITTED),
            lambda c: cod.cod_remittance_record(
                shop_order_id=c.shop_order_id,
                amount=c.amount,
                reference=f"admin {local_today():%Y-%m-%d}",
                actor=request.user,
            ),
            success=_("Đã đối soát {count} đơn."),
        )


@admin.register(WithholdingRate)
class WithholdingRateAdmin(admin.ModelAdmin):
    list_display = ["category", "vat_bp", "pit_bp", "effective_from", "legal_basis"]
    list_filter = ["category"]


@admin.register(ShopPayoutAccount)
class ShopPayoutAccountAdmin(OperatorActions, admin.ModelAdmin):
    list_display = ["shop", "bank_name", "account_number", "account_holder", "stripe_account_id"]
    search_fields = ["shop__name", "account_number"]
    autocomplete_fields = ["shop"]
    actions = ["pay_out_now"]

    @admin.action(
        description=_("Chuyển ngay số dư có thể rút cho các cửa hàng đã chọn"),
        permissions=["operate"],
    )
    def pay_out_now(self, request, queryset):
        made = payouts.payouts_run(
            period=f"manual-{timezone.now():%Y%m%dT%H%M%S}",
            actor=request.user,
            shop_ids=list(queryset.values_list("shop_id", flat=True)),
        )
        self.message_user(request, _("Đã tạo {count} khoản chuyển.").format(count=len(made)))


@admin.register(WithholdingShop)
class WithholdingShopAdmin(OperatorActions, ReadOnlyAdmin):
    """Household and individual shops, whose sales the platform withholds tax on; each
    month's report is downloaded as CSV (one file, the selected shops in turn)."""

    list_display = ["name", "legal_type", "tax_code", "province"]
    search_fields = ["name", "tax_code"]
    actions = ["report_last_month", "report_this_month"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(legal_type__in=[LegalType.HOUSEHOLD, LegalType.INDIVIDUAL])
        )

    def _report(self, queryset, month: datetime.date) -> HttpResponse:
        parts = []
        for shop in queryset.order_by("name"):
            csv_text = selectors.withholding_csv(
                selectors.shop_withholding(shop_id=shop.pk, month=month), shop=shop
            )
            parts.append(csv_text if not parts else csv_text.split("\r\n", 1)[1])
        response = HttpResponse("".join(parts), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="khau-tru-{month:%Y-%m}.csv"'
        return response

    @admin.action(description=_("Báo cáo khấu trừ tháng trước (CSV)"), permissions=["operate"])
    def report_last_month(self, request, queryset):
        first = local_today().replace(day=1)
        return self._report(queryset, (first - datetime.timedelta(days=1)).replace(day=1))

    @admin.action(description=_("Báo cáo khấu trừ tháng này (CSV)"), permissions=["operate"])
    def report_this_month(self, request, queryset):
        return self._report(queryset, local_today().replace(day=1))
