"""Products: status machine, law fields, images and thumbnails, group-6 dated seats."""

import datetime

import pytest

from marketplace.core.errors import InvalidInput
from shops.models import Product, ProductImage, ServiceSession
from shops.selectors import public_products
from shops.services import (
    InsufficientStock,
    session_capacity_set,
    session_release_many,
    session_reserve_many,
)
from tests.conftest import bearer_client
from tests.shops.factories import (
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
    jpeg_bytes,
    png_bytes,
    shop_owner,
    upload,
)
from worker.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return ShopFactory()


@pytest.fixture
def client(shop):
    return bearer_client(shop_owner(shop))


def create(client, shop, certificate, **overrides):
    body = {
        "name": "Nước mắm Phú Quốc",
        "certificate_id": certificate.pk,
        "shelf_life_days": 720,
        "variants": [
            {
                "sku": "NM-500",
                "name": "Chai 500 ml",
                "price": 120000,
                "stock": 30,
                "weight_grams": 650,
            }
        ],
    }
    body.update(overrides)
    return client.post(f"/api/v1/shops/{shop.slug}/products/", body, format="json")


def test_status_machine_for_the_shop(client, shop):
    certificate = CertificateFactory(shop=shop, product_group="food")
    product_id = create(client, shop, certificate).json()["id"]
    url = f"/api/v1/shops/{shop.slug}/products/{product_id}/"
    for to, code in [("hidden", 200), ("active", 200), ("hidden", 200), ("draft", 409)]:
        response = client.patch(url, {"status": to}, format="json")
        assert response.status_code == code, (to, response.content)
    assert client.patch(url, {"status": "delisted"}, format="json").status_code == 400
    assert client.delete(url).status_code == 409
    assert client.delete(url).json()["error"]["code"] == "product_not_draft"


def test_a_draft_can_be_deleted(client, shop):
    certificate = CertificateFactory(shop=shop, product_group="food")
    product_id = create(client, shop, certificate).json()["id"]
    assert client.delete(f"/api/v1/shops/{shop.slug}/products/{product_id}/").status_code == 204
    assert not Product.objects.filter(pk=product_id).exists()


def test_foods_and_herbs_must_state_shelf_life_crafts_need_not(client, shop):
    food = CertificateFactory(shop=shop, product_group="food")
    missing = create(client, shop, food, shelf_life_days=None)
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "invalid_shelf_life"
    craft = CertificateFactory(shop=shop, product_group="handicraft")
    ok = create(
        client,
        shop,
        craft,
        shelf_life_days=None,
        variants=[
            {"sku": "GOM-1", "name": "Bình gốm", "price": 450000, "stock": 3, "weight_grams": 1200}
        ],
    )
    assert ok.status_code == 201
    assert ok.json()["shelf_life_days"] is None


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"variants": []}, "validation_error"),
        (
            {"variants": [{"sku": "A", "name": "A", "price": 0, "weight_grams": 1}]},
            "invalid_variant",
        ),
        (
            {"variants": [{"sku": "A", "name": "A", "price": -5, "weight_grams": 1}]},
            "invalid_variant",
        ),
        (
            {"variants": [{"sku": "A", "name": "A", "price": 10, "stock": -1, "weight_grams": 1}]},
            "invalid_variant",
        ),
        (
            {
                "variants": [
                    {"sku": "A", "name": "A", "price": 10, "weight_grams": 1},
                    {"sku": "A", "name": "B", "price": 10, "weight_grams": 1},
                ]
            },
            "duplicate_sku",
        ),
        ({"origin_province_code": "00"}, "invalid_province"),
        ({"certificate_id": 999999}, "certificate_not_found"),
        ({"name": "x" * 300}, "validation_error"),
    ],
)
def test_bad_product_input(client, shop, override, code):
    certificate = CertificateFactory(shop=shop, product_group="food")
    response = create(client, shop, certificate, **override)
    assert response.status_code in (400, 409), response.content
    assert response.json()["error"]["code"] == code
    assert not Product.objects.exists()


def test_operator_delists_with_reason_and_relists(operator_client, shop):
    product = ProductFactory(shop=shop)
    VariantFactory(product=product)
    url = f"/api/v1/operator/products/{product.pk}"
    assert operator_client.post(f"{url}/delist/", {}, format="json").status_code == 400
    delisted = operator_client.post(
        f"{url}/delist/", {"reason": "Khiếu nại nhãn hiệu"}, format="json"
    )
    assert delisted.status_code == 200
    assert (delisted.json()["status"], delisted.json()["delisted_reason"]) == (
        "delisted",
        "operator",
    )
    assert not public_products().exists()
    owner = bearer_client(shop_owner(shop))
    assert (
        owner.patch(
            f"/api/v1/shops/{shop.slug}/products/{product.pk}/", {"status": "active"}, format="json"
        ).status_code
        == 409
    )
    assert operator_client.post(f"{url}/delist/", {"reason": "x"}, format="json").status_code == 409
    assert operator_client.post(f"{url}/relist/", {}, format="json").json()["status"] == "active"
    assert operator_client.post(f"{url}/relist/", {}, format="json").status_code == 409


def test_image_upload_makes_a_thumbnail_after_commit(
    client, shop, django_capture_on_commit_callbacks
):
    product = ProductFactory(shop=shop)
    url = f"/api/v1/shops/{shop.slug}/products/{product.pk}/images/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"image": upload("nuoc-mam.jpg", jpeg_bytes((1600, 1200)))}, format="multipart"
        )
    assert response.status_code == 201, response.content
    assert (response.json()["width"], response.json()["height"]) == (1600, 1200)
    photo = ProductImage.objects.get()
    message = OutboxMessage.objects.get(task="shops.tasks.make_thumbnails")
    assert (message.kwargs, message.dedupe_key) == ({"image_id": photo.pk}, f"thumbnail:{photo.pk}")
    assert message.sent_at is not None
    assert photo.thumbnail
    from PIL import Image

    with photo.thumbnail.open("rb") as thumb, Image.open(thumb) as img:
        assert max(img.size) == 400
    detail = client.get(f"/api/v1/shops/{shop.slug}/products/{product.pk}/").json()
    assert detail["images"][0]["thumbnail"]
    image_url = f"{url}{photo.pk}/"
    assert bearer_client(shop_owner(ShopFactory())).delete(image_url).status_code == 404
    assert client.delete(image_url).status_code == 204
    assert client.delete(image_url).status_code == 404
    assert not ProductImage.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("anh.png", b"I am text pretending to be a PNG", "invalid_file"),
        ("anh.jpg", png_bytes(), "invalid_file"),
        ("anh.png", b"%PDF-1.4\n%%EOF", "invalid_file"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "invalid_file"),
    ],
)
def test_spoofed_images_are_refused(client, shop, name, data, code):
    product = ProductFactory(shop=shop)
    response = client.post(
        f"/api/v1/shops/{shop.slug}/products/{product.pk}/images/",
        {"image": upload(name, data)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not ProductImage.objects.exists()


def test_a_50_mb_image_is_refused(client, shop):
    product = ProductFactory(shop=shop)
    big = png_bytes() + b"\x00" * (50 * 1024 * 1024)
    response = client.post(
        f"/api/v1/shops/{shop.slug}/products/{product.pk}/images/",
        {"image": upload("anh.png", big)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_too_large"


def test_decompression_bombs_are_refused(client, shop):
    product = ProductFactory(shop=shop)
    bomb = png_bytes(size=(10000, 10000), color=(0, 0, 0))  # tiny file, 100 megapixels
    response = client.post(
        f"/api/v1/shops/{shop.slug}/products/{product.pk}/images/",
        {"image": upload("anh.png", bomb)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_file"


# --- group 6: community tourism -------------------------------------------------------


@pytest.fixture
def tour(shop):
    certificate = CertificateFactory(
        shop=shop, product_group="tourism", product_name="Trải nghiệm sống xanh Hạ Long"
    )
    client = bearer_client(shop_owner(shop))
    response = create(
        client,
        shop,
        certificate,
        name="Trải nghiệm sống xanh",
        shelf_life_days=None,
        variants=[{"sku": "GL-VE", "name": "Vé người lớn", "price": 250000}],
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_tourism_products_have_no_weight_or_parcel_stock(tour, client, shop):
    assert tour["is_service"] is True
    assert tour["variants"][0]["weight_grams"] is None
    assert tour["variants"][0]["stock"] == 0
    url = f"/api/v1/shops/{shop.slug}/variants/{tour['variants'][0]['id']}/"
    response = client.patch(url, {"stock": 5}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "service_has_no_stock"


def test_tourism_seats_are_sold_per_date_and_never_overbooked(tour, client, shop):
    variant_id = tour["variants"][0]["id"]
    day = datetime.date(2026, 12, 24)
    url = f"/api/v1/shops/{shop.slug}/variants/{variant_id}/sessions/"
    opened = client.post(url, {"date": day.isoformat(), "capacity": 12}, format="json")
    assert opened.status_code == 200
    assert opened.json()["available"] == 12

    session_reserve_many(items=[(variant_id, day, 5), (variant_id, day, 5)])
    with pytest.raises(InsufficientStock) as raised:
        session_reserve_many(items=[(variant_id, day, 3)])
    assert raised.value.extra["sessions"][0]["available"] == 2
    shrink = client.post(url, {"date": day.isoformat(), "capacity": 9}, format="json")
    assert shrink.status_code == 409
    session_release_many(items=[(variant_id, day, 4)])
    assert ServiceSession.objects.get().reserved == 6
    listing = client.get(url).json()
    assert listing == [
        {
            "id": listing[0]["id"],
            "date": "2026-12-24",
            "capacity": 12,
            "reserved": 6,
            "available": 6,
        }
    ]


def test_parcels_cannot_open_sessions(shop):
    variant = VariantFactory(product=ProductFactory(shop=shop))
    with pytest.raises(InvalidInput):
        session_capacity_set(variant=variant, date=datetime.date(2026, 12, 1), capacity=5)


def test_the_shop_product_list_costs_the_same_queries_for_1_or_10(
    client, shop, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/shops/{shop.slug}/products/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    certificate = CertificateFactory(shop=shop)
    VariantFactory(product=ProductFactory(shop=shop, certificate=certificate))
    one, n = count()
    assert n == 1
    for _ in range(9):
        VariantFactory(product=ProductFactory(shop=shop, certificate=certificate))
    ten, n = count()
    assert n == 10
    assert ten == one
    with django_assert_max_num_queries(12):
        client.get(f"/api/v1/shops/{shop.slug}/products/")
