"""Shapes of the money endpoints (API.md, Payments)."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.core.money import CURRENCY
from marketplace.core.schema import documented
from payments.models import LedgerEntry, LedgerKind, Payout, ShopPayoutAccount


class WebhookAckSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    id = serializers.CharField()
    duplicate = serializers.BooleanField()


class BalanceSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    payable = serializers.IntegerField()
    held = serializers.IntegerField()
    paid_out = serializers.IntegerField()
    currency = serializers.SerializerMethodField()

    def get_currency(self, obj) -> str:
        return CURRENCY


class LedgerEntrySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=LedgerKind.choices)
    currency = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "amount", "currency", "shop_order_id", "payout_id", "created_at"]

    def get_currency(self, obj) -> str:
        return CURRENCY


class PayoutSerializer(serializers.ModelSerializer):
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Payout
        fields = [
            "id",
            "amount",
            "currency",
            "status",
            "method",
            "reference",
            "created_at",
            "paid_at",
        ]

    def get_currency(self, obj) -> str:
        return CURRENCY


class WithholdingRowSerializer(serializers.Serializer):
    shop_order_id = serializers.IntegerField()
    base = serializers.IntegerField()
    vat = serializers.IntegerField()
    pit = serializers.IntegerField()


class WithholdingTotalsSerializer(serializers.Serializer):
    base = serializers.IntegerField()
    vat = serializers.IntegerField()
    pit = serializers.IntegerField()


class WithholdingReportSerializer(serializers.Serializer):
    month = serializers.CharField()
    rows = WithholdingRowSerializer(many=True)
    totals = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()

    def get_totals(self, obj) -> WithholdingTotalsSerializer:
        return {"base": obj.base, "vat": obj.vat, "pit": obj.pit}

    def get_currency(self, obj) -> str:
        return CURRENCY


class PayoutAccountSerializer(serializers.ModelSerializer):
    account_number = documented(
        serializers.CharField(max_length=40, help_text="6 to 20 digits; spaces are dropped"),
        pattern=r"^ *([0-9] *){6,20}$",
    )
    # None until the shop first saves its account.
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = ShopPayoutAccount
        fields = ["bank_name", "account_number", "account_holder", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "bank_name": {"required": True, "allow_blank": False},
            "account_holder": {"required": True, "allow_blank": False},
        }

    def validate_account_number(self, value: str) -> str:
        digits = value.replace(" ", "")
        if not digits.isdigit() or not 6 <= len(digits) <= 20:
            raise serializers.ValidationError("6 to 20 digits.")
        return digits
