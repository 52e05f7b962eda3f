"""Load N public OCOP products (plus a few non-public ones) into the benchmark database.

Vietnamese names with diacritics, generated from word lists, spread over the 34
provinces; stars distributed like the national figures (about 76% 3★, 23% 4★, 1% 5★).
Bulk inserts in big batches: this is benchmark scaffolding, not how the product writes.

    DJANGO_SETTINGS_MODULE=marketplace.settings.dev python -m bench.load_catalogue 100000
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
django.setup()

from django.db import connection, transaction  # noqa: E402

from catalogue.services import search_indexes_rebuild  # noqa: E402
from marketplace.core.search import normalise_search_text  # noqa: E402
from marketplace.ocop.reference import ProductGroup  # noqa: E402
from marketplace.regions.models import Province, Ward  # noqa: E402
from shops.models import (  # noqa: E402
    OcopCertificate,
    Product,
    ProductImage,
    ProductVariant,
    Shop,
    product_search_columns,
)
from shops.services.listing import product_refresh_listing, public_tally_compact  # noqa: E402
from shops.services.visibility import products_visibility_refresh  # noqa: E402

BATCH = 5000
PRODUCTS_PER_SHOP = 12

KINDS = {
    ProductGroup.FOOD: [
        "Nước mắm",
        "Mật ong",
        "Gạo",
        "Bánh đa nem",
        "Kẹo dừa",
        "Mắm tôm",
        "Miến dong",
        "Nấm hương",
        "Hạt điều rang muối",
        "Bưởi da xanh",
        "Vải thiều",
        "Nhãn lồng",
        "Măng khô",
        "Thịt trâu gác bếp",
        "Lạp xưởng",
        "Giò lụa",
        "Chả mực",
        "Bánh pía",
        "Tương bần",
        "Cốm làng Vòng",
    ],
    ProductGroup.BEVERAGE: [
        "Trà Shan tuyết",
        "Chè búp",
        "Cà phê rang xay",
        "Rượu cần",
        "Rượu ngô men lá",
        "Nước cốt gừng",
        "Trà hoa vàng",
        "Rượu sim",
    ],
    ProductGroup.HERBAL: [
        "Tinh dầu sả chanh",
        "Cao atiso",
        "Sâm Ngọc Linh",
        "Trà giảo cổ lam",
        "Tinh bột nghệ",
        "Đông trùng hạ thảo",
    ],
    ProductGroup.HANDICRAFT: [
        "Nón lá",
        "Khăn thổ cẩm",
        "Giỏ mây tre đan",
        "Bình gốm men lam",
        "Khăn lụa tơ tằm",
        "Chiếu cói",
        "Tranh sơn mài",
    ],
    ProductGroup.ORNAMENTAL: ["Lan hồ điệp", "Cây cảnh bonsai", "Đào thế", "Mai vàng"],
    ProductGroup.TOURISM: ["Homestay bản", "Tour du lịch cộng đồng", "Trải nghiệm làng nghề"],
}
QUALIFIERS = [
    "đặc sản",
    "hữu cơ",
    "truyền thống",
    "thượng hạng",
    "nguyên chất",
    "rừng",
    "hoa nhãn",
    "loại đặc biệt",
    "cổ thụ",
    "sấy lạnh",
    "thủ công",
    "gia truyền",
    "xuất khẩu",
    "Tết",
    "đỏ",
    "vàng",
]
VILLAGES = [
    "Làng Chuông",
    "Bát Tràng",
    "Vạn Phúc",
    "Đồng Kỵ",
    "Phù Lãng",
    "Kim Sơn",
    "Sa Pa",
    "Mộc Châu",
    "Tân Cương",
    "Cái Bè",
    "Hòa Vang",
    "Phú Quốc",
    "Cát Hải",
    "Mường Lò",
    "Bảo Lộc",
    "Buôn Ma Thuột",
]
SENTENCES = [
    "Sản phẩm OCOP được chế biến theo công thức gia truyền.",
    "Nguyên liệu thu hái tại vùng trồng đạt chuẩn VietGAP.",
    "Đóng gói cẩn thận, giao hàng toàn quốc.",
    "Hương vị đậm đà, phù hợp làm quà biếu dịp lễ Tết.",
    "Không chất bảo quản, không phẩm màu.",
    "Hợp tác xã cam kết nguồn gốc rõ ràng, truy xuất bằng mã QR.",
    "Bảo quản nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp.",
    "Được người tiêu dùng bình chọn là đặc sản tiêu biểu của tỉnh.",
]
SHOP_PREFIXES = ["Hợp tác xã", "Công ty TNHH", "Cơ sở", "Hộ kinh doanh"]
SHOP_NAMES = ["Hoa Sen", "Bình Minh", "Sông Hồng", "Đồng Xanh", "Phú Gia", "An Khang"]
VARIANTS = [("Chai 500 ml", 500), ("Hộp 10 gói", 300), ("Túi 1 kg", 1000), ("Hũ 250 g", 250)]


def _stars(rng: random.Random) -> int:
    roll = rng.random()
    return 5 if roll < 0.01 else 4 if roll < 0.24 else 3


def load(count: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    provinces = list(Province.objects.order_by("code"))
    wards_by_province: dict[str, list[int]] = {}
    for code, province_id in Ward.objects.values_list("code", "province_id"):
        wards_by_province.setdefault(province_id, []).append(code)
    today = datetime.date.today()
    # About 5% more products that are not public: the catalogue must skip them cheaply.
    hidden_every = 20
    # Public share: 18 in 20 products, in 49 shops of 50.
    total = round(count / (18 / 20) / (49 / 50))
    shop_count = max(total // PRODUCTS_PER_SHOP, 1)
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
        shops = []
        for i in range(shop_count):
            province = provinces[i % len(provinces)]
            name = f"{rng.choice(SHOP_PREFIXES)} {rng.choice(SHOP_NAMES)} {province.name} {i}"
            shops.append(
                Shop(
                    name=name,
                    legal_name=name,
                    legal_type=rng.choice(["company", "cooperative", "household"]),
                    slug=f"gian-hang-{i}",
                    tax_code=f"{4000000000 + i}",
                    province_id=province.code,
                    ward_id=rng.choice(wards_by_province[province.code]),
                    address=f"Thôn {i % 17 + 1}, {province.name}",
                    phone=f"09{i:08d}",
                    description="Gian hàng OCOP của địa phương.",
                    # One shop in 50 awaits approval: its products are not public.
                    status="pending" if i % 50 == 49 else "active",
                )
            )
        for shop in shops:  # bulk_create skips save(): its search column by hand
            shop.search_name = normalise_search_text(shop.name)
        Shop.objects.bulk_create(shops, batch_size=BATCH)
        print(f"  {len(shops)} shops", flush=True)
        groups = list(KINDS)
        for start in range(0, total, BATCH):
            certificates, products = [], []
            for n in range(start, min(start + BATCH, total)):
                shop = shops[n % shop_count]
                group = groups[0] if rng.random() < 0.55 else rng.choice(groups)
                kind = rng.choice(KINDS[group])
                name = f"{kind} {rng.choice(QUALIFIERS)} {rng.choice(VILLAGES)}"
                stars = _stars(rng)
                issued = today - datetime.timedelta(days=rng.randint(1, 900))
                expired = n % hidden_every == 7
                certificates.append(
                    OcopCertificate(
                        shop=shop,
                        number=f"{n}/QĐ-UBND",
                        issuer_name=f"UBND tỉnh {shop.province_id}",
                        issuing_province_id=None if stars == 5 else shop.province_id,
                        product_name=name,
                        stars=stars,
                        score={3: 60, 4: 80, 5: 92}[stars],
                        product_group=group,
                        issued_by_level="national" if stars == 5 else "province",
                        issued_on=issued - datetime.timedelta(days=1200) if expired else issued,
                        expires_on=(
                            today - datetime.timedelta(days=3)
                            if expired
                            else issued + datetime.timedelta(days=1095)
                        ),
                        status="approved",
                    )
                )
                products.append(
                    Product(
                        shop=shop,
                        name=name,
                        description=" ".join(rng.sample(SENTENCES, 3)),
                        origin_province_id=shop.province_id,
                        status="draft" if n % hidden_every == 13 else "active",
                    )
                )
            OcopCertificate.objects.bulk_create(certificates, batch_size=BATCH)
            for product, certificate in zip(products, certificates, strict=True):
                product.certificate = certificate
            for product in products:
                product.search_name, product.search_text = product_search_columns(
                    name=product.name, description=product.description
                )
            Product.objects.bulk_create(products, batch_size=BATCH)
            variants, images = [], []
            for product in products:
                for v, (label, grams) in enumerate(rng.sample(VARIANTS, rng.randint(1, 3))):
                    variants.append(
                        ProductVariant(
                            product=product,
                            shop=product.shop,
                            sku=f"P{product.pk}-{v}",
                            name=label,
                            price=rng.randint(3, 120) * 5000,
                            stock=0 if rng.random() < 0.1 else rng.randint(1, 500),
                            weight_grams=grams,
                        )
                    )
                images.append(
                    ProductImage(
                        product=product,
                        image=f"products/bench/{product.pk}.jpg",
                        thumbnail=f"products/thumbs/{product.pk}.jpg",
                        width=800,
                        height=800,
                    )
                )
            ProductVariant.objects.bulk_create(variants, batch_size=BATCH)
            # Variants written in bulk: their products' listing columns follow, as every
            # shops service does.
            product_refresh_listing(product_ids=[product.pk for product in products])
            # Written in bulk: their visibility follows, as every shops service does.
            products_visibility_refresh(product_ids=[product.pk for product in products])
            ProductImage.objects.bulk_create(images, batch_size=BATCH)
            print(f"  {start + len(products)}/{total} products", flush=True)
    public_tally_compact()
    # What the weekly beat task does after a week of writes: the search entries put in
    # name order (VACUUM FULL below keeps it), the search indexes rebuilt.
    search_indexes_rebuild()
    with connection.cursor() as cursor:
        # One transaction wrote each product four times (insert, listing columns,
        # visibility, picture) and left three dead versions of each row: a table
        # four times its live size, which a catalogue written over months, its
        # space reused by autovacuum, does not have. Compacted, as after a restore.
        cursor.execute("VACUUM FULL")
        # What autovacuum does to a settled table: statistics, and the visibility map
        # that lets counts read indexes only.
        cursor.execute("VACUUM ANALYZE")
    print(f"  loaded in {time.perf_counter() - started:.1f}s", flush=True)


if __name__ == "__main__":
    load(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
