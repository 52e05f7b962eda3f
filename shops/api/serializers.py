"""Input serializers check shapes and types; the services check the rules.
Output serializers are what clients read; `SellerIdentitySerializer` is the block the
law asks to show with every product (the catalogue reuses it)."""

from __future__ import annotations

import re

from rest_framework import serializers

from marketplace.core.db import BIGINT_MAX
from marketplace.core.money import CURRENCY
from shops.models import (
    ImportJob,
    OcopCertificate,
    Product,
    ProductImage,
    ProductVariant,
    ServiceSession,
    Shop,
    ShopMember,
    StockMovement,
    StockReason,
)
from shops.selectors import product_is_public


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


# --- inputs ---------------------------------------------------------------------------
# Outer bounds only, so that no number can overflow a database column (a 500); the
# services give the business reasons (a price must be above zero, and so on).
MAX_PRICE = 10**12  # a trillion đồng
MAX_COUNT = 10**9


class ShopCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    legal_type = serializers.CharField(max_length=16)
    tax_code = serializers.CharField(max_length=20)
    province_code = serializers.CharField(max_length=2)
    ward_code = serializers.CharField(max_length=5)
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
    province_code = serializers.CharField(required=False, max_length=2)
    ward_code = serializers.CharField(required=False, max_length=5)
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
    price = serializers.IntegerField(min_value=-MAX_PRICE, max_value=MAX_PRICE)
    stock = serializers.IntegerField(
        required=False, default=0, min_value=-MAX_COUNT, max_value=MAX_COUNT
    )
    weight_grams = serializers.IntegerField(
        required=False, allow_null=True, min_value=-MAX_COUNT, max_value=MAX_COUNT
    )
    low_stock_threshold = serializers.IntegerField(
        required=False, default=5, min_value=-MAX_COUNT, max_value=MAX_COUNT
    )


class ProductCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    certificate_id = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    origin_province_code = serializers.CharField(required=False, allow_null=True, max_length=2)
    shelf_life_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=-MAX_COUNT, max_value=MAX_COUNT
    )
    variants = VariantInput(many=True, allow_empty=False, max_length=100)


class ProductUpdateInput(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    certificate_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    origin_province_code = serializers.CharField(required=False, max_length=2)
    shelf_life_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=-MAX_COUNT, max_value=MAX_COUNT
    )
    status = serializers.ChoiceField(required=False, choices=["draft", "active", "hidden"])


class VariantUpdateInput(serializers.Serializer):
    price = serializers.IntegerField(required=False, min_value=-MAX_PRICE, max_value=MAX_PRICE)
    stock = serializers.IntegerField(required=False, min_value=-MAX_COUNT, max_value=MAX_COUNT)
    name = serializers.CharField(required=False, max_length=120)
    weight_grams = serializers.IntegerField(
        required=False, min_value=-MAX_COUNT, max_value=MAX_COUNT
    )
    low_stock_threshold = serializers.IntegerField(
        required=False, min_value=-MAX_COUNT, max_value=MAX_COUNT
    )


class ImageInput(serializers.Serializer):
    image = serializers.FileField()


class ImportInput(serializers.Serializer):
    file = serializers.FileField()


class SessionInput(serializers.Serializer):
    date = serializers.DateField()
    capacity = serializers.IntegerField(min_value=-MAX_COUNT, max_value=MAX_COUNT)


class ReviewInput(serializers.Serializer):
    decision = serializers.CharField(max_length=16)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CommissionInput(serializers.Serializer):
    commission_bp = serializers.IntegerField(min_value=-MAX_COUNT, max_value=MAX_COUNT)


# --- outputs --------------------------------------------------------------------------


def _place(obj) -> dict:
    return {"code": obj.code, "name": obj.name}


class SellerIdentitySerializer(serializers.ModelSerializer):
    """Who sells: shown with every product (Law 19/2023 art. 37; Decree 85/2021)."""

    province = serializers.SerializerMethodField()
    ward = serializers.SerializerMethodField()

    class Meta:
        model = Shop
        fields = [
            "slug",
            "name",
            "legal_name",
            "legal_type",
            "tax_code",
            "address",
            "ward",
            "province",
            "phone",
            "return_policy",
        ]

    def get_province(self, shop) -> dict:
        return _place(shop.province)

    def get_ward(self, shop) -> dict:
        return _place(shop.ward)


class ShopSerializer(SellerIdentitySerializer):
    class Meta(SellerIdentitySerializer.Meta):
        fields = [*SellerIdentitySerializer.Meta.fields, "description", "status", "created_at"]


class ShopPrivateSerializer(ShopSerializer):
    """What members and operators see besides the public card."""

    class Meta(ShopSerializer.Meta):
        fields = [*ShopSerializer.Meta.fields, "status_reason", "commission_bp"]


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")

    class Meta:
        model = ShopMember
        fields = ["id", "email", "full_name", "role", "created_at"]


class CertificateSerializer(serializers.ModelSerializer):
    issuing_province = serializers.SerializerMethodField()
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = OcopCertificate
        fields = [
            "id",
            "number",
            "issuer_name",
            "issuing_province",
            "product_name",
            "stars",
            "score",
            "product_group",
            "issued_by_level",
            "issued_on",
            "expires_on",
            "status",
            "review_reason",
            "reviewed_at",
            "renews_id",
            "has_scan",
            "created_at",
        ]

    def get_issuing_province(self, certificate) -> dict | None:
        return _place(certificate.issuing_province) if certificate.issuing_province else None

    def get_has_scan(self, certificate) -> bool:
        return bool(certificate.scan)


class VariantSerializer(serializers.ModelSerializer):
    currency = serializers.SerializerMethodField()

    class Meta:
        model = ProductVariant
        fields = [
            "id",
            "sku",
            "name",
            "price",
            "currency",
            "stock",
            "weight_grams",
            "low_stock_threshold",
        ]

    def get_currency(self, _variant) -> str:
        return CURRENCY


class ImageSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "image", "thumbnail", "width", "height", "position"]

    def get_image(self, photo) -> str:
        return photo.image.url

    def get_thumbnail(self, photo) -> str | None:
        return photo.thumbnail.url if photo.thumbnail else None


class ProductCertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = OcopCertificate
        fields = [
            "id",
            "number",
            "stars",
            "product_group",
            "issued_by_level",
            "expires_on",
            "status",
        ]


class ProductSerializer(serializers.ModelSerializer):
    """The shop's own view of a product, public or not."""

    certificate = ProductCertificateSerializer()
    stars = serializers.IntegerField(source="certificate.stars")
    product_group = serializers.CharField(source="certificate.product_group")
    is_service = serializers.BooleanField()
    is_public = serializers.SerializerMethodField()
    origin_province = serializers.SerializerMethodField()
    variants = VariantSerializer(many=True)
    images = ImageSerializer(many=True)
    seller = SellerIdentitySerializer(source="shop")

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "description",
            "status",
            "delisted_reason",
            "delisted_note",
            "is_public",
            "stars",
            "product_group",
            "is_service",
            "certificate",
            "origin_province",
            "shelf_life_days",
            "variants",
            "images",
            "seller",
            "created_at",
            "updated_at",
        ]

    def get_is_public(self, product) -> bool:
        public_ids = self.context.get("public_ids")
        if public_ids is not None:
            return product.pk in public_ids
        return product_is_public(product_id=product.pk)

    def get_origin_province(self, product) -> dict:
        return _place(product.origin_province)


ORDER_REFERENCE = re.compile(r"^order:(\d+)$")


class MovementSerializer(serializers.ModelSerializer):
    """A line of a variant's stock ledger, as shop staff read it: who moved the stock is
    a role (`buyer`, `shop_staff`, `operator`, `system`) and, for an order's stock, the
    order's number; never a person's address. Pass the shop's member ids as the
    `member_ids` context (else one query per line)."""

    actor = serializers.SerializerMethodField()
    order_number = serializers.SerializerMethodField()

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "delta",
            "stock_after",
            "reason",
            "reference",
            "actor",
            "order_number",
            "created_at",
        ]

    def get_actor(self, movement) -> str:
        if movement.actor_id is None:
            return "system"
        member_ids = self.context.get("member_ids")
        if member_ids is None:
            member_ids = set(
                ShopMember.objects.filter(shop_id=movement.variant.shop_id).values_list(
                    "user_id", flat=True
                )
            )
        if movement.actor_id in member_ids:
            return "shop_staff"
        if movement.actor.is_staff:
            return "operator"
        if movement.reason in (StockReason.RESERVATION, StockReason.RELEASE):
            # Anyone else who takes or gives back an order's stock placed the order.
            return "buyer"
        # Counts, restocks and imports are the shop's own (a member who has since left).
        return "shop_staff"

    def get_order_number(self, movement) -> int | None:
        match = ORDER_REFERENCE.match(movement.reference or "")
        return int(match.group(1)) if match else None


class SessionSerializer(serializers.ModelSerializer):
    available = serializers.IntegerField()

    class Meta:
        model = ServiceSession
        fields = ["id", "date", "capacity", "reserved", "available"]


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "file_format",
            "total_rows",
            "rows_done",
            "rows_applied",
            "rows_failed",
            "errors",
            "created_at",
            "finished_at",
        ]
