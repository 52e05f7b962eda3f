"""A product's listing columns (price_min, price_max, in_stock) stay equal to the
aggregates over its variants after every kind of write, through the API and services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.services import operator_grant
from shops.models import Product, ProductVariant
from shops.services import (
    InsufficientStock,
    stock_adjust,
    stock_release_many,
    stock_reserve_many,
    stock_set,
)
from tests.conftest import bearer_client
from tests.shops.factories import (
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
    assert_listing_columns_exact,
    shop_owner,
)

pytestmark = pytest.mark.django_db


def columns(product_id: int) -> tuple:
    return tuple(
        Product.objects.filter(pk=product_id)
        .values_list("price_min", "price_max", "in_stock")
        .get()
    )


@pytest.fixture
def shop():
    return ShopFactory()


@pytest.fixture
def client(shop):
    return bearer_client(shop_owner(shop))


def test_product_create_variant_add_and_patch_through_the_api(client, shop):
    certificate = CertificateFactory(shop=shop)
    created = client.post(
        f"/api/v1/shops/{shop.slug}/products/",
        {
            "name": "Nước mắm Phú Quốc",
            "certificate_id": certificate.pk,
            "shelf_life_days": 720,
            "variants": [
                {"sku": "NM-500", "name": "Chai 500", "price": 120000, "weight_grams": 650},
                {"sku": "NM-1L", "name": "Chai 1 lít", "price": 210000, "weight_grams": 1200},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    assert columns(product_id) == (120000, 210000, False)

    added = client.post(
        f"/api/v1/shops/{shop.slug}/products/{product_id}/variants/",
        {"sku": "NM-250", "name": "Chai 250", "price": 70000, "stock": 4, "weight_grams": 330},
        format="json",
    )
    assert added.status_code == 201, added.content
    assert columns(product_id) == (70000, 210000, True)

    url = f"/api/v1/shops/{shop.slug}/variants/{added.json()['id']}/"
    assert client.patch(url, {"price": 300000}, format="json").status_code == 200
    assert columns(product_id) == (120000, 300000, True)
    assert client.patch(url, {"stock": 0}, format="json").status_code == 200
    assert columns(product_id) == (120000, 300000, False)
    assert_listing_columns_exact()


def test_a_product_without_variants_has_no_price_and_no_stock():
    product = ProductFactory()
    assert columns(product.pk) == (None, None, False)
    assert_listing_columns_exact()


def test_stock_services_keep_the_columns_exact():
    first = VariantFactory(price=50000, initial_stock=2)
    second = VariantFactory(product=first.product, price=80000)
    other = VariantFactory(price=10000, initial_stock=1)
    assert columns(first.product_id) == (50000, 80000, True)

    stock_reserve_many(items=[(first.pk, 2), (other.pk, 1)], reference="order:1")
    assert columns(first.product_id) == (50000, 80000, False)
    assert columns(other.product_id) == (10000, 10000, False)
    assert_listing_columns_exact()

    with pytest.raises(InsufficientStock):
        stock_reserve_many(items=[(first.pk, 1)], reference="order:2")
    assert columns(first.product_id) == (50000, 80000, False)

    stock_release_many(items=[(other.pk, 1)], reference="order:1")
    assert columns(other.product_id) == (10000, 10000, True)
    stock_adjust(variant=second, delta=5, reason="restock")
    assert columns(first.product_id) == (50000, 80000, True)
    stock_set(variant=second, stock=0)
    assert columns(first.product_id) == (50000, 80000, False)
    assert_listing_columns_exact()


def test_a_checkout_refreshes_all_its_products_in_one_statement():
    variants = [VariantFactory(initial_stock=5) for _ in range(3)]
    variants.append(VariantFactory(product=variants[0].product, initial_stock=5))
    with CaptureQueriesContext(connection) as captured:
        stock_reserve_many(items=[(v.pk, 5) for v in variants], reference="order:9")
    product_updates = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "shops_product"')
    ]
    assert len(product_updates) == 1
    assert all(columns(v.product_id)[2] is False for v in variants)
    assert_listing_columns_exact()


@pytest.fixture
def admin_client(client, operator):
    from django.test import Client

    operator_grant(user=operator)
    browser = Client()
    browser.force_login(operator)
    return browser


def test_back_office_edits_and_deletions_of_variants(admin_client):
    cheap = VariantFactory(price=40000, initial_stock=3)
    dear = VariantFactory(product=cheap.product, price=90000)
    response = admin_client.post(
        f"/admin/shops/productvariant/{cheap.pk}/change/",
        {
            "sku": cheap.sku,
            "name": cheap.name,
            "price": 95000,
            "weight_grams": 150,
            "low_stock_threshold": 5,
        },
    )
    assert response.status_code == 302, response.content
    assert columns(cheap.product_id) == (90000, 95000, True)

    # A variant without ledger rows may be deleted (the ledger itself is never deleted).
    response = admin_client.post(f"/admin/shops/productvariant/{dear.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ProductVariant.objects.filter(pk=dear.pk).exists()
    assert columns(cheap.product_id) == (95000, 95000, True)
    assert_listing_columns_exact()
