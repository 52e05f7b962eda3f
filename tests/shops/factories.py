"""Factories for shops. Defaults describe a verified shop in Nghệ An selling an approved
4-star product; tests change what they are about."""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace.core.clock import local_today
from marketplace.regions.models import Province, Ward
from shops.models import (
    CertificateStatus,
    DelistReason,
    OcopCertificate,
    Product,
    ProductStatus,
    ProductVariant,
    Shop,
    ShopMember,
    ShopStatus,
    StockMovement,
    StockReason,
)
from tests.accounts.factories import UserFactory

NGHE_AN, CON_CUONG, MON_SON = "40", "17254", "17263"
AN_GIANG, LONG_XUYEN = "91", "30307"
QUANG_NINH, HA_LONG = "22", "06688"


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"HTX Dược liệu Pù Mát {n}")
    legal_name = factory.LazyAttribute(lambda o: f"Công ty cổ phần {o.name}")
    legal_type = "company"
    slug = factory.Sequence(lambda n: f"duoc-lieu-pu-mat-{n}")
    tax_code = factory.Sequence(lambda n: f"29{n:08d}")
    province = factory.LazyFunction(lambda: Province.objects.get(code=NGHE_AN))
    ward = factory.LazyFunction(lambda: Ward.objects.get(code=CON_CUONG))
    address = "Bản Xiềng, xã Con Cuông"
    phone = "0912345678"
    description = "Dược liệu vùng Pù Mát."
    return_policy = "Đổi trả trong 7 ngày nếu sản phẩm lỗi."
    status = ShopStatus.ACTIVE

    @factory.post_generation
    def owner(obj, create, extracted, **kwargs):
        if not create:
            return
        user = extracted or UserFactory(role="producer")
        ShopMember.objects.create(shop=obj, user=user, role="owner")
        obj._owner = user


def shop_owner(shop: Shop):
    return ShopMember.objects.get(shop=shop, role="owner").user


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OcopCertificate

    shop = factory.SubFactory(ShopFactory)
    number = factory.Sequence(lambda n: f"{4894 + n}/QĐ-UBND")
    issuer_name = "UBND tỉnh Nghệ An"
    issuing_province = factory.LazyAttribute(lambda o: o.shop.province)
    product_name = "Cao xạ đen Pù Mát"
    stars = 4
    score = 75
    product_group = "herbal"
    issued_by_level = "province"
    issued_on = factory.LazyFunction(lambda: local_today() - datetime.timedelta(days=200))
    expires_on = factory.LazyAttribute(lambda o: o.issued_on + datetime.timedelta(days=1095))
    status = CertificateStatus.APPROVED


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    shop = factory.SubFactory(ShopFactory)
    certificate = factory.LazyAttribute(lambda o: CertificateFactory(shop=o.shop))
    name = "Cao xạ đen Pù Mát"
    description = "Cao xạ đen nguyên chất."
    origin_province = factory.LazyAttribute(lambda o: o.shop.province)
    shelf_life_days = 365
    status = ProductStatus.ACTIVE

    @factory.post_generation
    def visibility(obj, create, extracted, **kwargs):
        # Created straight in the table rather than through a service: bring its
        # stored visibility along, as every shops service does.
        if create:
            from shops.services.visibility import products_visibility_refresh

            products_visibility_refresh(product_ids=[obj.pk])
            obj.refresh_from_db(fields=["public_until"])


class VariantFactory(factory.django.DjangoModelFactory):
    """Stock comes in through the ledger (an `initial` movement), as in production."""

    class Meta:
        model = ProductVariant
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    shop = factory.LazyAttribute(lambda o: o.product.shop)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = "Hộp 100 g"
    price = 150_000
    weight_grams = 150
    low_stock_threshold = 5
    stock = 0

    @factory.post_generation
    def initial_stock(obj, create, extracted, **kwargs):
        if create and extracted:
            from shops.services.stock import stock_adjust

            stock_adjust(variant=obj, delta=extracted, reason=StockReason.INITIAL)

    @factory.post_generation
    def listing(obj, create, extracted, **kwargs):
        # Created straight in the table rather than through a service: bring the
        # product's listing columns along, as `variant_add` does.
        if create:
            from shops.services.listing import product_refresh_listing

            product_refresh_listing(product_ids=[obj.product_id])


def product_status_set(product: Product, status: str) -> Product:
    """Move a product to `status` the way a producer (hide, show) or an operator
    (delist) does: through the shops services, which keep its visibility exact."""
    from shops import services

    if status == ProductStatus.DELISTED:
        return services.product_delist(
            product=product, reason=DelistReason.OPERATOR, actor=None, note="Kiểm tra"
        )
    return services.product_update(product=product, actor=shop_owner(product.shop), status=status)


def ledger_sum(variant) -> int:
    return sum(StockMovement.objects.filter(variant=variant).values_list("delta", flat=True))


def png_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def assert_listing_columns_exact() -> None:
    """Every product's listing columns equal the aggregates over its variants."""
    expected = {}
    for product_id, price, stock in ProductVariant.objects.values_list(
        "product_id", "price", "stock"
    ):
        low, high, in_stock = expected.get(product_id, (price, price, False))
        expected[product_id] = (min(low, price), max(high, price), in_stock or stock > 0)
    for product_id, *columns in Product.objects.values_list(
        "pk", "price_min", "price_max", "in_stock"
    ):
        assert tuple(columns) == expected.get(product_id, (None, None, False)), product_id
