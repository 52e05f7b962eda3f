"""The stored search columns (Product.search_name/search_text, Shop.search_name) equal
`normalise_search_text` of what they come from after every write that changes it, and
the public search follows a rename at once."""

import pytest

from marketplace.accounts.services import operator_grant
from marketplace.core.search import normalise_search_text
from shops.models import Product, Shop
from tests.catalogue.factories import listed_product
from tests.conftest import bearer_client
from tests.shops.factories import CertificateFactory, ShopFactory, shop_owner

pytestmark = pytest.mark.django_db


def assert_search_columns_exact() -> None:
    for name, description, search_name, search_text in Product.objects.values_list(
        "name", "description", "search_name", "search_text"
    ):
        assert search_name == normalise_search_text(name)
        assert search_text == " ".join(
            part
            for part in (normalise_search_text(name), normalise_search_text(description))
            if part
        )
    for name, search_name in Shop.objects.values_list("name", "search_name"):
        assert search_name == normalise_search_text(name)


def found(client, query: str) -> list[str]:
    response = client.get("/api/v1/products/", {"search": query})
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


def test_product_create_and_edit_through_the_api():
    shop = ShopFactory()
    client = bearer_client(shop_owner(shop))
    created = client.post(
        f"/api/v1/shops/{shop.slug}/products/",
        {
            "name": "Nước mắm Phú Quốc",
            "description": "Cá cơm ủ chượp.",
            "certificate_id": CertificateFactory(shop=shop).pk,
            "shelf_life_days": 720,
            "variants": [{"sku": "NM", "name": "Chai", "price": 120000, "weight_grams": 650}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    product = Product.objects.get(pk=created.json()["id"])
    assert (product.search_name, product.search_text) == (
        "nuoc mam phu quoc",
        "nuoc mam phu quoc ca com u chuop",
    )
    url = f"/api/v1/shops/{shop.slug}/products/{product.pk}/"
    response = client.patch(url, {"name": "Mắm tôm Hậu Lộc"}, format="json")
    assert response.status_code == 200, response.content
    response = client.patch(url, {"description": "Đặc sản xứ Thanh."}, format="json")
    assert response.status_code == 200, response.content
    product.refresh_from_db()
    assert (product.search_name, product.search_text) == (
        "mam tom hau loc",
        "mam tom hau loc dac san xu thanh",
    )
    assert_search_columns_exact()


def test_a_renamed_product_and_shop_are_found_by_their_new_names(api_client):
    product = listed_product(name="Trà shan tuyết", description="")
    assert found(api_client, "tra shan") == ["Trà shan tuyết"]
    owner_client = bearer_client(shop_owner(product.shop))
    response = owner_client.patch(
        f"/api/v1/shops/{product.shop.slug}/products/{product.pk}/",
        {"name": "Chè Suối Giàng"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert found(api_client, "tra shan") == []
    assert found(api_client, "che suoi giang") == ["Chè Suối Giàng"]

    response = owner_client.patch(
        f"/api/v1/shops/{product.shop.slug}/", {"name": "Hợp tác xã Đồng Lợi"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert found(api_client, "hop tac xa dong loi") == ["Chè Suối Giàng"]
    assert_search_columns_exact()


def test_admin_edits_keep_the_columns(client, operator):
    operator_grant(user=operator)
    client.force_login(operator)
    shop = ShopFactory(name="Gian hàng cũ")
    response = client.get(f"/admin/shops/shop/{shop.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value is not None and not isinstance(value, list)
    }
    data.update(name="Cơ sở Đặc sản Mới", province=shop.province_id, ward=shop.ward_id)
    data.update(
        {
            f"{prefix}-{key}": value
            for prefix in ("memberships", "events")
            for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        }
    )
    response = client.post(f"/admin/shops/shop/{shop.pk}/change/", data)
    shop.refresh_from_db()
    assert shop.name == "Cơ sở Đặc sản Mới", response.content[:2000]
    assert shop.search_name == "co so dac san moi"
    assert_search_columns_exact()
