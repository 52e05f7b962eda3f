"""The catalogue's page cache: keyed on the parameters a view reads (a random extra
parameter cannot make every request a miss), and never a 500 when the cache fails."""

import json
import logging
import socket
import uuid

import pytest
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.test import Client

from catalogue.api import views
from catalogue.api.caching import local_pages
from catalogue.api.serializers import ListingParamsSerializer
from marketplace.accounts.services import operator_grant
from marketplace.core import cache_guard, catalogue_version
from marketplace.core.clock import local_today
from shops.models import OcopCertificate, Product, ProductImage, ProductStatus, ProductVariant, Shop
from tests.catalogue.factories import listed_product
from tests.conftest import bearer_client
from tests.shops.admin_forms import admin_change
from tests.shops.factories import (
    AN_GIANG,
    jpeg_bytes,
    product_status_set,
    shop_owner,
    upload,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/products/"


@pytest.fixture
def page_cache(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60
    settings.CATALOGUE_COUNT_CACHE_SECONDS = 60
    settings.CATALOGUE_VERSION_POLL_SECONDS = 3600
    # Listings show every change at once here (tests/catalogue/test_scoped_invalidation.py
    # gives them their grace).
    settings.CATALOGUE_LISTING_GRACE_SECONDS = 0


def _dead_redis() -> dict:
    """A cache on a Redis that is not there: nothing listens on the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }


def test_an_unknown_parameter_reads_the_same_cached_page(
    api_client, page_cache, django_assert_num_queries
):
    listed_product(name="Nước mắm Phú Quốc", stars=4)
    listed_product(name="Mật ong bạc hà", stars=5, province=AN_GIANG)
    first = api_client.get(URL, {"stars": "4,5", "facets": "true"})
    assert first.status_code == 200 and first.json()["facets"]
    # Another parameter, random each time, and the same ones in another order: the same
    # page, from this process's memory then from the shared cache, without one query.
    with django_assert_num_queries(0):
        again = api_client.get(f"{URL}?facets=true&x={uuid.uuid4().hex}&stars=4,5")
    assert again.status_code == 200 and again.content == first.content
    local_pages.clear()
    with django_assert_num_queries(0):
        shared = api_client.get(f"{URL}?stars=4,5&facets=true&utm_source={uuid.uuid4().hex}")
    assert shared.content == first.content
    # What the listing reads still tells pages apart.
    assert [item["name"] for item in api_client.get(URL, {"stars": "5"}).json()["results"]] == [
        "Mật ong bạc hà"
    ]


def test_the_answer_carries_no_unknown_parameter(api_client, page_cache):
    for n in range(3):
        listed_product(name=f"Chè Thái Nguyên {n}")
    body = api_client.get(URL, {"page_size": 1, "stars": 4, "x": "<script>"}).json()
    assert body["next"] == "http://testserver/api/v1/products/?page=2&page_size=1&stars=4"
    # The unfiltered fast path too.
    body = api_client.get(URL, {"page_size": 1, "x": "1"}).json()
    assert body["next"] == "http://testserver/api/v1/products/?page=2&page_size=1"


def test_every_listing_filter_is_a_known_parameter():
    assert set(ListingParamsSerializer().fields) <= views.ProductListView.known_params


def test_a_dead_cache_answers_from_the_database(
    api_client, page_cache, settings, caplog, django_capture_on_commit_callbacks
):
    product = listed_product(name="Cao xạ đen Pù Mát", stars=4)
    paths = [
        URL,
        f"{URL}?stars=4&facets=true",
        f"{URL}?search=cao xa den",
        f"{URL}{product.pk}/",
        "/api/v1/stats/ocop/",
        "/api/v1/catalogue/shops/",
        f"/api/v1/catalogue/shops/{product.shop.slug}/",
    ]
    live = {path: api_client.get(path) for path in paths}
    settings.CACHES = _dead_redis()
    local_pages.clear()
    catalogue_version._polled = None
    with caplog.at_level(logging.WARNING, logger="marketplace.core.cache_guard"):
        for path in paths:
            response = api_client.get(path)
            assert response.status_code == 200, (path, response.content)
            assert response.json() == live[path].json(), path
    assert "shared cache unavailable" in caplog.text
    # Nothing was kept while the cache was down: each read goes to the database.
    assert not local_pages._pages

    # A write's bump of the catalogue version cannot be made: the write still answers,
    # and the bump is owed until the cache is back.
    with django_capture_on_commit_callbacks(execute=True):
        product_status_set(product, ProductStatus.HIDDEN)
    assert catalogue_version._bump_owed
    assert api_client.get(URL).json()["count"] == 0


def test_a_cache_that_fails_every_call_is_never_a_500(api_client, page_cache, settings):
    settings.CACHES = _dead_redis()
    listed_product(name="Bánh phồng tôm", stars=3)
    for _ in range(3):  # past the first failure, the cache is left alone for a while
        response = api_client.get(URL, {"stars": 3, "facets": "true"})
        assert response.status_code == 200
        assert response.json()["facets"]["stars"]
    assert cache_guard.cache_is_down()


def test_a_bump_owed_through_an_outage_is_made_when_the_cache_is_back(
    api_client, page_cache, settings, django_capture_on_commit_callbacks
):
    product = listed_product(name="Kẹo dừa Bến Tre")
    assert api_client.get(URL).json()["count"] == 1
    alive = settings.CACHES
    before = catalogue_version.catalogue_version()
    settings.CACHES = _dead_redis()
    with django_capture_on_commit_callbacks(execute=True):
        product_status_set(product, ProductStatus.HIDDEN)
    settings.CACHES = alive
    cache_guard.cache_guard_reset()
    catalogue_version._polled = None
    local_pages.clear()
    # The page cached before the outage is stale: the owed bump is made first.
    assert api_client.get(URL).json()["count"] == 0
    assert catalogue_version.catalogue_version() != before


def _owner_client(product):
    return bearer_client(shop_owner(product.shop))


def _admin_client(operator):
    operator_grant(user=operator)
    client = Client()
    client.force_login(operator)
    return client


# Each kind of producer or operator change, through the API or the admin, that changes
# what the catalogue shows: (the change, what the listing then shows of the product).
CHANGES = {
    "producer renames the product": (
        lambda p, op: _owner_client(p).patch(
            f"/api/v1/shops/{p.shop.slug}/products/{p.pk}/", {"name": "Mắm tôm"}, format="json"
        ),
        "Mắm tôm",
    ),
    "producer hides the product": (
        lambda p, op: _owner_client(p).patch(
            f"/api/v1/shops/{p.shop.slug}/products/{p.pk}/", {"status": "hidden"}, format="json"
        ),
        None,
    ),
    "producer reprices its variant": (
        lambda p, op: _owner_client(p).patch(
            f"/api/v1/shops/{p.shop.slug}/variants/{p.variants.get().pk}/",
            {"price": 99_000},
            format="json",
        ),
        99_000,
    ),
    "producer adds a variant": (
        lambda p, op: _owner_client(p).post(
            f"/api/v1/shops/{p.shop.slug}/products/{p.pk}/variants/",
            {
                "sku": "MAM-500",
                "name": "Chai 500 ml",
                "price": 90_000,
                "stock": 3,
                "weight_grams": 600,
            },
            format="json",
        ),
        90_000,
    ),
    "producer adds a picture": (
        lambda p, op: _owner_client(p).post(
            f"/api/v1/shops/{p.shop.slug}/products/{p.pk}/images/",
            {"image": upload("mam.jpg", jpeg_bytes())},
            format="multipart",
        ),
        "image",
    ),
    "producer renames the shop": (
        lambda p, op: _owner_client(p).patch(
            f"/api/v1/shops/{p.shop.slug}/", {"name": "HTX Mắm Cửa Hội"}, format="json"
        ),
        "HTX Mắm Cửa Hội",
    ),
    "operator suspends the shop": (
        lambda p, op: bearer_client(op).post(
            f"/api/v1/operator/shops/{p.shop.slug}/suspend/", {"reason": "Kiểm tra"}
        ),
        None,
    ),
    "operator delists the product": (
        lambda p, op: bearer_client(op).post(
            f"/api/v1/operator/products/{p.pk}/delist/", {"reason": "Sai nhãn"}
        ),
        None,
    ),
    "operator corrects the expiry date in the admin": (
        lambda p, op: admin_change(_admin_client(op), p.certificate, expires_on=local_today()),
        None,
    ),
    "operator renames the product in the admin": (
        lambda p, op: admin_change(_admin_client(op), p, name="Mắm tép"),
        "Mắm tép",
    ),
    "operator renames the shop in the admin": (
        lambda p, op: admin_change(_admin_client(op), p.shop, name="HTX Mắm Vạn Phần"),
        "HTX Mắm Vạn Phần",
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_cached_page_goes_stale_after_each_change_to_what_it_shows(
    change,
    api_client,
    operator,
    page_cache,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    settings.CATALOGUE_VERSION_POLL_SECONDS = 0
    product = listed_product(name="Nước mắm Cửa Hội")
    first = api_client.get(URL).json()
    with django_assert_num_queries(0):
        assert api_client.get(URL).json() == first  # cached
    write, shown = CHANGES[change]
    with django_capture_on_commit_callbacks(execute=True):
        response = write(product, operator)
    assert response.status_code in (200, 201, 302), response.content
    body = api_client.get(URL).json()
    if shown is None:
        assert body["count"] == 0
    else:
        assert body != first
        item = json.dumps(body["results"][0], ensure_ascii=False)
        assert (str(shown) in item) if shown != "image" else body["results"][0]["image"]


def test_a_rolled_back_write_does_not_invalidate(
    api_client, page_cache, django_capture_on_commit_callbacks
):
    product = listed_product(name="Nước mắm Cửa Hội")
    before = catalogue_version.catalogue_version()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        product_status_set(product, ProductStatus.HIDDEN)
        raise RuntimeError("the rest of the write failed")
    assert callbacks == []
    assert catalogue_version.catalogue_version() == before


def test_no_model_signal_invalidates_the_catalogue():
    """What invalidates the catalogue is the services' explicit `catalogue_changed()`."""
    for model in (Shop, OcopCertificate, Product, ProductVariant, ProductImage):
        for signal in (pre_save, post_save, pre_delete, post_delete):
            assert not signal.has_listeners(model), (model, signal)
