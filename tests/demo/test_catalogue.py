"""The generated demo catalogue as records, before anything is written: what the
seeded products must be like to be believable (and legal) OCOP listings."""

import datetime
import re
from collections import Counter

import pytest

from marketplace.demo import catalogue, seeding
from marketplace.ocop.reference import (
    CERTIFICATE_VALIDITY_MONTHS,
    PRODUCT_GROUPS_BY_CODE,
    IssuingLevel,
    issuing_level_problem,
)
from marketplace.regions.loader import read_wards
from shops.services.certificates import add_months
from shops.services.shops import phone_normalise, tax_code_normalise

TODAY = datetime.date(2026, 12, 4)

# What a product's name says about its OCOP group (Decision 148/QĐ-TTg).
NAME_GROUPS = [
    (r"^(Nước mắm|Mắm|Khô|Cá |Mực|Tôm|Ghẹ|Gạo|Nếp|Cốm|Mật ong|Phấn hoa|Đường|Kẹo|Bánh)", "food"),
    (r"^(Nem|Giò|Tương|Chè lam|Nhút|Cà (pháo|dái)|Dưa|Thịt|Lạp xưởng|Tung lò mò)", "food"),
    (r"^(Chà bông|Ruốc|Mứt|Măng|Mắc khén|Hạt|Dầu (lạc|vừng)|Nấm rơm)", "food"),
    (r"^(Cam |Bưởi|Quýt|Xoài|Khóm |Lạc|Tiêu|Muối|Bột (ngũ|gạo|ngó|chuối))|sấy", "food"),
    (r"^(Tinh dầu|Tinh bột nghệ|Cao |Viên|Dầu gội|Dầu xả|Sữa tắm|Xà bông)", "herbal"),
    (r"^Nước súc miệng", "herbal"),
    (r"^(Chè vằng|Nấm linh chi|Cà gai leo|Giảo cổ lam|Xạ đen|Nghệ đen|Mật nhân|Lá|Ngải)", "herbal"),
    (r"^Trà (cà|dây|xạ|tim|giảo|gừng|thảo mộc|khổ qua|lá)", "herbal"),
    (r"^(Chè|Rượu|Vang|Nước (cam|dứa|khóm|thốt nốt)|Bột (trà|rau má)|Trà)", "beverage"),
    (r"^(Khăn|Túi|Ví|Váy|Vỏ gối|Xà rông|Áo|Quạt|Cà vạt|Giỏ|Nón|Vòng|Dây chuyền)", "handicraft"),
    (r"^(Bonsai|Mai |Sanh|Tùng|Lộc vừng|Sứ|Nguyệt quế|Linh sam|Khế|Kim quýt|Lan )", "ornamental"),
]


def _certificates():
    for shop in seeding.demo_catalogue().shops:
        for certificate in shop.certificates:
            yield shop, certificate


def test_the_province_figures_add_up():
    stars = Counter()
    for shop, certificate in _certificates():
        stars[shop.province_code, certificate.stars] += len(certificate.products)
    assert (stars["40", 3], stars["40", 4], stars["40", 5]) == (89, 26, 0)
    assert stars["91", 3] + stars["91", 4] + stars["91", 5] == 184


def test_certificates_are_current_and_issued_by_whom_the_law_says():
    for _shop, certificate in _certificates():
        assert certificate.issued_on.year in (2025, 2026), certificate.number
        assert certificate.issued_on <= TODAY
        expires = add_months(certificate.issued_on, CERTIFICATE_VALIDITY_MONTHS)
        assert expires > datetime.date(2028, 1, 1), certificate.number
        assert not issuing_level_problem(
            stars=certificate.stars,
            level=certificate.issued_by_level,
            issued_on=certificate.issued_on,
        )
        if certificate.stars == 5:
            assert certificate.issued_by_level == IssuingLevel.NATIONAL
            assert certificate.number.endswith("/QĐ-BNNMT")


@pytest.mark.parametrize("province", ["40", "91"])
def test_products_are_varied_believable_listings(province):
    shops = [s for s in seeding.demo_catalogue().shops if s.province_code == province]
    assert len(shops) >= 10
    assert {s.legal_type for s in shops} == {"company", "cooperative", "household"}
    wards = {w["code"] for w in read_wards(province)}
    groups, pack_counts = Counter(), Counter()
    for shop in shops:
        assert shop.ward_code in wards
        assert tax_code_normalise(shop.tax_code) == shop.tax_code
        phone_normalise(shop.phone)
        for certificate in shop.certificates:
            groups[certificate.product_group] += 1
            for product in certificate.products:
                assert not re.search(r"\b(Product|Sản phẩm) \d+", product.name)
                pack_counts[len(product.variants)] += 1
                for variant in product.variants:
                    assert isinstance(variant["price"], int)
                    assert catalogue.MIN_PRICE <= variant["price"] <= 1_000_000
                    assert variant["price"] % 1_000 == 0
    assert len(groups) >= 4
    assert len(pack_counts) >= 2


def test_product_groups_match_what_the_products_are():
    checked = 0
    for _shop, certificate in _certificates():
        group = PRODUCT_GROUPS_BY_CODE[certificate.product_group]
        for product in certificate.products:
            if group.is_service:
                assert product.shelf_life_days is None
                continue
            expected = [g for pattern, g in NAME_GROUPS if re.search(pattern, product.name)]
            if expected:
                checked += 1
                assert certificate.product_group == expected[0], product.name
            has_shelf_life = group.code in ("food", "beverage", "herbal")
            assert (product.shelf_life_days is not None) == has_shelf_life, product.name
    assert checked == sum(1 for _ in _certificates()) - 1  # all but the tour


def test_names_skus_and_decision_numbers_are_unique():
    built = catalogue.build(
        [seeding.catalogue_nghe_an.PLAN, seeding.catalogue_an_giang.PLAN]
    )  # raises on a duplicate
    assert len({s.name for s in built.shops}) == len(built.shops)
    assert len({s.tax_code for s in built.shops}) == len(built.shops)
    assert len({a.email for a in built.owners.values()}) == len(built.owners)
