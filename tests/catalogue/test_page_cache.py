"""The catalogue's page cache: keyed on the parameters a view reads (a random extra
parameter cannot make every request a miss), and never a 500 when the cache fails."""

import logging
import socket
import uuid

import pytest

from catalogue.api import views
from catalogue.api.caching import local_pages
from catalogue.api.serializers import ListingParamsSerializer
from marketplace.core import cache_guard, catalogue_version
from tests.catalogue.factories import listed_product
from tests.shops.factories import AN_GIANG

pytestmark = pytest.mark.django_db
URL = "/api/v1/products/"


@pytest.fixture
def page_cache(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60
    settings.CATALOGUE_COUNT_CACHE_SECONDS = 60
    settings.CATALOGUE_VERSION_POLL_SECONDS = 3600


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
    product.status = "hidden"
    with django_capture_on_commit_callbacks(execute=True):
        product.save()
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
    product.status = "hidden"
    with django_capture_on_commit_callbacks(execute=True):
        product.save()
    settings.CACHES = alive
    cache_guard.cache_guard_reset()
    catalogue_version._polled = None
    local_pages.clear()
    # The page cached before the outage is stale: the owed bump is made first.
    assert api_client.get(URL).json()["count"] == 0
    assert catalogue_version.catalogue_version() != before
