"""What clients read of products, their variants, images, stock ledger, sessions and
import jobs."""

from __future__ import annotations

import re

from rest_framework import serializers

from marketplace.core.money import CURRENCY
from shops.api.serializers.shop import SellerIdentitySerializer, _place
from shops.models import (
    ImportJob,
    OcopCertificate,
    Product,
    ProductImage,
    ProductVariant,
    ServiceSession,
    ShopMember,
    StockMovement,
    StockReason,
)
from shops.selectors import product_is_public


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
