"""Public catalogue fixtures on top of the shops factories: one call, one product a buyer
can see (or, with `visible=False`-style overrides, one they cannot)."""

from __future__ import annotations

from marketplace.regions.models import Province, Ward
from tests.shops.factories import (
    AN_GIANG,
    HA_LONG,
    LONG_XUYEN,
    NGHE_AN,
    QUANG_NINH,
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
)

WARD_OF = {NGHE_AN: "17254", AN_GIANG: LONG_XUYEN, QUANG_NINH: HA_LONG}


def shop_in(province_code: str, **kwargs):
    return ShopFactory(
        province=Province.objects.get(code=province_code),
        ward=Ward.objects.get(code=WARD_OF[province_code]),
        **kwargs,
    )


def listed_product(
    *,
    name: str = "Cao xạ đen Pù Mát",
    description: str = "",
    shop=None,
    province: str = NGHE_AN,
    stars: int = 4,
    group: str = "food",
    prices: tuple[int, ...] = (150_000,),
    stock: int = 10,
    certificate_kwargs: dict | None = None,
    **product_kwargs,
):
    """An active product of an active shop with an approved certificate: public unless
    the overrides say otherwise."""
    shop = shop or shop_in(province)
    level = "national" if stars == 5 else "province"
    certificate = CertificateFactory(
        shop=shop,
        stars=stars,
        score={3: 60, 4: 80, 5: 95}[stars],
        product_group=group,
        issued_by_level=level,
        issuing_province=None if stars == 5 else shop.province,
        product_name=name,
        **(certificate_kwargs or {}),
    )
    product = ProductFactory(
        shop=shop,
        certificate=certificate,
        name=name,
        description=description,
        origin_province=shop.province,
        **product_kwargs,
    )
    for price in prices:
        VariantFactory(product=product, price=price, initial_stock=stock)
    return product
