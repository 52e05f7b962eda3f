"""What clients read of a shop, its team and its OCOP certificates;
`SellerIdentitySerializer` is the block the law asks to show with every product (the
catalogue reuses it)."""

from __future__ import annotations

from rest_framework import serializers

from shops.models import OcopCertificate, Shop, ShopMember


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


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
