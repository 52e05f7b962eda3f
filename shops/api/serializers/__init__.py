"""Input serializers check shapes and types; the services check the rules.
Output serializers are what clients read. Split by concern (inputs; the shop, its team
and certificates; products and their stock) so that each module stays readable; every
name is still importable from `shops.api.serializers`."""

from shops.api.serializers.inputs import (
    MAX_COUNT,
    MAX_PRICE,
    CertificateInput,
    CommissionInput,
    ImageInput,
    ImportInput,
    ProductCreateInput,
    ProductUpdateInput,
    ReasonInput,
    ReviewInput,
    SessionInput,
    ShopCreateInput,
    ShopUpdateInput,
    VariantInput,
    VariantUpdateInput,
)
from shops.api.serializers.products import (
    ORDER_REFERENCE,
    ImageSerializer,
    ImportJobSerializer,
    MovementSerializer,
    ProductCertificateSerializer,
    ProductSerializer,
    SessionSerializer,
    VariantSerializer,
)
from shops.api.serializers.shop import (
    CertificateSerializer,
    MemberSerializer,
    PlaceSerializer,
    SellerIdentitySerializer,
    ShopPrivateSerializer,
    ShopSerializer,
)

__all__ = [
    "MAX_COUNT",
    "MAX_PRICE",
    "ORDER_REFERENCE",
    "CertificateInput",
    "CertificateSerializer",
    "CommissionInput",
    "ImageInput",
    "ImageSerializer",
    "ImportInput",
    "ImportJobSerializer",
    "MemberSerializer",
    "MovementSerializer",
    "PlaceSerializer",
    "ProductCertificateSerializer",
    "ProductCreateInput",
    "ProductSerializer",
    "ProductUpdateInput",
    "ReasonInput",
    "ReviewInput",
    "SellerIdentitySerializer",
    "SessionInput",
    "SessionSerializer",
    "ShopCreateInput",
    "ShopPrivateSerializer",
    "ShopSerializer",
    "ShopUpdateInput",
    "VariantInput",
    "VariantSerializer",
    "VariantUpdateInput",
]
