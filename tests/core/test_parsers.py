"""The API parses JSON; only the views that take files parse multipart."""

import pytest
from django.urls import get_resolver
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.views import APIView

from shops.models import Product
from tests.conftest import bearer_client
from tests.orders.factories import stocked_variant
from tests.shops.factories import ShopFactory, shop_owner

pytestmark = pytest.mark.django_db

# The views whose input carries a file: certificate scans, product images, listing imports.
TAKE_FILES = {"CertificateListCreateView", "ProductImagesView", "ImportListCreateView"}


def _refused(response) -> None:
    assert response.status_code == 415, response.content
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_a_multipart_body_to_a_json_endpoint_is_a_415(api_client, buyer_client):
    variant = stocked_variant()
    _refused(
        buyer_client.post(
            "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1}, format="multipart"
        )
    )
    _refused(
        api_client.post(
            "/api/v1/auth/register/",
            {"email": "lan@example.vn", "password": "mat-khau-dai-1", "full_name": "Lan"},
            format="multipart",
        )
    )
    shop = ShopFactory()
    producer = bearer_client(shop_owner(shop))
    count = Product.objects.count()
    _refused(
        producer.post(
            f"/api/v1/shops/{shop.slug}/products/", {"name": "Mắm tép"}, format="multipart"
        )
    )
    assert Product.objects.count() == count
    # The same body as JSON is parsed (and judged by the view).
    as_json = producer.post(f"/api/v1/shops/{shop.slug}/products/", {"name": "Mắm tép"})
    assert as_json.status_code != 415 and as_json.status_code < 500


def _api_views() -> list[type]:
    views, pending = [], list(get_resolver().url_patterns)
    while pending:
        pattern = pending.pop()
        if hasattr(pattern, "url_patterns"):
            pending.extend(pattern.url_patterns)
            continue
        view = getattr(pattern.callback, "view_class", None) or getattr(
            pattern.callback, "cls", None
        )
        if isinstance(view, type) and issubclass(view, APIView):
            views.append(view)
    return views


def test_only_the_views_that_take_files_parse_multipart():
    multipart = {
        view.__name__
        for view in _api_views()
        if any(issubclass(p, (MultiPartParser, FormParser)) for p in view().parser_classes)
    }
    assert multipart == TAKE_FILES
