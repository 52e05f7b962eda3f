"""What a request may weigh, through the public endpoints: a body past Django's
DATA_UPLOAD_MAX_MEMORY_SIZE, too many form fields or files, a file past its size, an
image past its pixels, a sheet past its size. Each is a 400 with a machine-readable
`error.code`, never a 500, and nothing is written. (Image size and pixels for product
photos, certificate scans' size and the sheets' rows and archives have their own tests
in tests/shops; what is here is what was not covered.)"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from rest_framework_simplejwt.tokens import RefreshToken

from marketplace.accounts.models import User
from orders.models import CartItem, Order
from payments.models import StripeEvent
from shops.models import ImportJob, OcopCertificate, ProductImage
from tests.shops.factories import ProductFactory, ShopFactory, png_bytes, shop_owner, upload

pytestmark = pytest.mark.django_db

PAST_THE_BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
CSV_HEADER = (
    b"product_name,certificate_number,sku,variant_name,price,stock,weight_grams,shelf_life_days\n"
)


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {RefreshToken.for_user(user).access_token}"}


def _refused(response, code: str) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response.json()["error"]["code"] == code


@pytest.fixture
def shop():
    return ShopFactory()


@pytest.fixture
def owner_headers(shop) -> dict:
    return _bearer(shop_owner(shop))


# --- JSON bodies ------------------------------------------------------------------------
# The cart add and the cash-on-delivery checkout are answered before DRF (they read the
# body themselves), register through DRF's parser, the webhook reads the raw body.
JSON_WRITES = [
    ("/api/v1/auth/register/", {"email": "lan@example.vn", "role": "buyer"}, User, False),
    ("/api/v1/cart/items/", {"variant_id": 1, "quantity": 1}, CartItem, True),
    ("/api/v1/checkout/", {"payment_method": "cod"}, Order, True),
    ("/api/v1/payments/stripe/webhook/", {"type": "payment_intent.succeeded"}, StripeEvent, False),
]


@pytest.mark.parametrize(
    "path, body, model, signed_in", JSON_WRITES, ids=[w[0] for w in JSON_WRITES]
)
def test_a_json_body_past_the_limit_is_refused(buyer, path, body, model, signed_in):
    before = model.objects.count()
    padded = json.dumps({**body, "padding": "x" * PAST_THE_BODY_LIMIT})
    response = Client().post(
        path,
        padded,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="limits-1",
        HTTP_STRIPE_SIGNATURE="t=1,v1=00",
        **(_bearer(buyer) if signed_in else {}),
    )
    _refused(response, "request_too_large")
    assert model.objects.count() == before


# --- multipart uploads --------------------------------------------------------------------
def _uploads(shop):
    product = ProductFactory(shop=shop)
    return [
        (
            f"/api/v1/shops/{shop.slug}/products/{product.pk}/images/",
            "image",
            lambda: upload("anh.png", png_bytes(), "image/png"),
            ProductImage,
        ),
        (
            f"/api/v1/shops/{shop.slug}/imports/",
            "file",
            lambda: upload("hang.csv", CSV_HEADER, "text/csv"),
            ImportJob,
        ),
        (
            f"/api/v1/shops/{shop.slug}/certificates/",
            "scan",
            lambda: upload("qd.png", png_bytes(), "image/png"),
            OcopCertificate,
        ),
    ]


UPLOADS = ["product-image", "listing-import", "certificate-scan"]


@pytest.mark.parametrize("which", range(len(UPLOADS)), ids=UPLOADS)
@pytest.mark.parametrize(
    "extra, code",
    [
        (
            lambda file: {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)},
            "too_many_fields",
        ),
        (
            lambda file: {
                "more": [file() for _ in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
            },
            "too_many_files",
        ),
        (lambda file: {"padding": "x" * PAST_THE_BODY_LIMIT}, "request_too_large"),
    ],
    ids=["fields", "files", "form-bytes"],
)
def test_an_upload_past_the_form_limits_is_refused(shop, owner_headers, which, extra, code):
    path, field, file, model = _uploads(shop)[which]
    before = model.objects.count()
    response = Client().post(path, {field: file(), **extra(file)}, **owner_headers)
    _refused(response, code)
    assert model.objects.count() == before


def test_a_sheet_past_its_size_is_refused_at_upload(shop, owner_headers):
    row = b"Tra xa den,1/QD,SKU-1,Goi 50 g,90000,5,60,365\n"
    big = CSV_HEADER + row * (5 * 1024 * 1024 // len(row) + 1)
    response = Client().post(
        f"/api/v1/shops/{shop.slug}/imports/",
        {"file": upload("lon.csv", big, "text/csv")},
        **owner_headers,
    )
    _refused(response, "file_too_large")
    assert not ImportJob.objects.exists()


def test_a_scan_past_its_pixels_is_refused(shop, owner_headers):
    bomb = png_bytes(size=(10000, 10000), color=(0, 0, 0))  # a small file, 100 megapixels
    response = Client().post(
        f"/api/v1/shops/{shop.slug}/certificates/",
        {
            "number": "4894/QĐ-UBND",
            "issuer_name": "UBND tỉnh Nghệ An",
            "product_name": "Cao xạ đen Pù Mát",
            "stars": 4,
            "product_group": "herbal",
            "issued_by_level": "province",
            "issued_on": "2024-11-12",
            "scan": upload("qd.png", bomb, "image/png"),
        },
        **owner_headers,
    )
    _refused(response, "invalid_file")
    assert not OcopCertificate.objects.exists()
