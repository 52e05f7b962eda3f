"""What clients send: shapes and types; the services check the rules."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.core.db import BIGINT_MAX
from marketplace.core.schema import documented
from marketplace.regions.fields import ProvinceCodeField, WardCodeField

# --- inputs ---------------------------------------------------------------------------
# Outer bounds only, so that no number can overflow a database column (a 500); the
# services give the business reasons (a price must be above zero, and so on).
MAX_PRICE = 10**12  # a trillion đồng
MAX_COUNT = 10**9


class ShopCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    legal_type = serializers.CharField(max_length=16)
    tax_code = serializers.CharField(max_length=20)
    province_code = ProvinceCodeField()
    ward_code = WardCodeField()
    address = serializers.CharField(max_length=255)
    phone = serializers.CharField(max_length=20)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    legal_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    return_policy = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ShopUpdateInput(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=200)
    legal_name = serializers.CharField(required=False, max_length=255)
    legal_type = serializers.CharField(required=False, max_length=16)
    tax_code = serializers.CharField(required=False, max_length=20)
    province_code = ProvinceCodeField(required=False)
    ward_code = WardCodeField(required=False)
    address = serializers.CharField(required=False, max_length=255)
    phone = serializers.CharField(required=False, max_length=20)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    return_policy = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CertificateInput(serializers.Serializer):
    number = serializers.CharField(max_length=64)
    issuer_name = serializers.CharField(max_length=200)
    product_name = serializers.CharField(max_length=200)
    stars = serializers.IntegerField(min_value=-1000, max_value=1000)
    score = serializers.IntegerField(
        required=False, allow_null=True, min_value=-1000, max_value=1000
    )
    product_group = serializers.CharField(max_length=16)
    issued_by_level = serializers.CharField(max_length=16)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True)
    issuing_province_code = serializers.CharField(required=False, allow_null=True, max_length=2)
    renews_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=BIGINT_MAX
    )
    scan = serializers.FileField(required=False, allow_null=True)


class VariantInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=120)
    price = documented(
        serializers.IntegerField(min_value=-MAX_PRICE, max_value=MAX_PRICE), minimum=1
    )
    stock = documented(
        serializers.IntegerField(
            required=False, default=0, min_value=-MAX_COUNT, max_value=MAX_COUNT
        ),
        minimum=0,
    )
    weight_grams = documented(
        serializers.IntegerField(
            required=False, allow_null=True, min_value=-MAX_COUNT, max_value=MAX_COUNT
        ),
        minimum=1,
    )
    low_stock_threshold = documented(
        serializers.IntegerField(
            required=False, default=5, min_value=-MAX_COUNT, max_value=MAX_COUNT
        ),
        minimum=0,
    )


class ProductCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    certificate_id = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    origin_province_code = ProvinceCodeField(required=False, allow_null=True)
    shelf_life_days = documented(
        serializers.IntegerField(
            required=False, allow_null=True, min_value=-MAX_COUNT, max_value=MAX_COUNT
        ),
        minimum=1,
        maximum=36500,
    )
    variants = VariantInput(many=True, allow_empty=False, max_length=100)


class ProductUpdateInput(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    certificate_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    origin_province_code = ProvinceCodeField(required=False)
    shelf_life_days = documented(
        serializers.IntegerField(
            required=False, allow_null=True, min_value=-MAX_COUNT, max_value=MAX_COUNT
        ),
        minimum=1,
        maximum=36500,
    )
    status = serializers.ChoiceField(required=False, choices=["draft", "active", "hidden"])


class VariantUpdateInput(serializers.Serializer):
    price = documented(
        serializers.IntegerField(required=False, min_value=-MAX_PRICE, max_value=MAX_PRICE),
        minimum=1,
    )
    stock = documented(
        serializers.IntegerField(required=False, min_value=-MAX_COUNT, max_value=MAX_COUNT),
        minimum=0,
    )
    name = serializers.CharField(required=False, max_length=120)
    weight_grams = documented(
        serializers.IntegerField(required=False, min_value=-MAX_COUNT, max_value=MAX_COUNT),
        minimum=1,
    )
    low_stock_threshold = documented(
        serializers.IntegerField(required=False, min_value=-MAX_COUNT, max_value=MAX_COUNT),
        minimum=0,
    )


class ImageInput(serializers.Serializer):
    image = serializers.FileField()


class ImportInput(serializers.Serializer):
    file = serializers.FileField()


class SessionInput(serializers.Serializer):
    date = serializers.DateField()
    capacity = documented(
        serializers.IntegerField(min_value=-MAX_COUNT, max_value=MAX_COUNT), minimum=0
    )


class ReviewInput(serializers.Serializer):
    decision = serializers.CharField(max_length=16)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CommissionInput(serializers.Serializer):
    commission_bp = documented(
        serializers.IntegerField(min_value=-MAX_COUNT, max_value=MAX_COUNT),
        minimum=0,
        maximum=10000,
    )
