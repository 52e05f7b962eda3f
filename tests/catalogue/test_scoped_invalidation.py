"""A producer's price edit leaves the rest of the catalogue cached: the edited product's
page shows it at once, another product's page stays cached, listing pages show it within
CATALOGUE_LISTING_GRACE_SECONDS. A change of visibility still makes everything stale."""

import time

import pytest

from catalogue.api.caching import local_pages
from shops.models import ProductStatus, ProductVariant
from shops.services import variant_update
from tests.catalogue.factories import listed_product
from tests.shops.factories import product_status_set, shop_owner

pytestmark = pytest.mark.django_db
URL = "/api/v1/products/"


@pytest.fixture
def page_cache(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60
    settings.CATALOGUE_COUNT_CACHE_SECONDS = 60
    # Every read polls the versions: what a process sees after its poll interval.
    settings.CATALOGUE_VERSION_POLL_SECONDS = 0
    settings.CATALOGUE_LISTING_GRACE_SECONDS = 60


def _price_edit(product, price, capture) -> None:
    variant = ProductVariant.objects.get(product=product)
    with capture(execute=True):
        variant_update(variant=variant, actor=shop_owner(product.shop), price=price)


def test_a_price_edit_makes_only_its_product_page_stale(
    api_client, page_cache, django_capture_on_commit_callbacks, django_assert_num_queries
):
    edited = listed_product(name="Mật ong rừng", prices=(150_000,))
    other = listed_product(name="Nước mắm Phú Quốc", prices=(90_000,))
    for product in (edited, other):
        api_client.get(f"{URL}{product.pk}/")
    listing = api_client.get(URL).json()

    _price_edit(edited, 170_000, django_capture_on_commit_callbacks)

    assert api_client.get(f"{URL}{edited.pk}/").json()["price_min"] == 170_000
    local_pages.clear()  # from the shared cache too, not only this process's memory
    with django_assert_num_queries(0):
        assert api_client.get(f"{URL}{other.pk}/").status_code == 200
        # Within the grace the listing is still the cached one.
        assert api_client.get(URL).json() == listing


def test_a_listing_shows_a_price_edit_after_the_grace(
    api_client, page_cache, settings, django_capture_on_commit_callbacks
):
    settings.CATALOGUE_LISTING_GRACE_SECONDS = 0.2
    product = listed_product(name="Mật ong rừng", prices=(150_000,))
    assert api_client.get(URL).json()["results"][0]["price_min"] == 150_000
    _price_edit(product, 170_000, django_capture_on_commit_callbacks)
    time.sleep(0.3)
    assert api_client.get(URL).json()["results"][0]["price_min"] == 170_000


def test_a_visibility_change_still_makes_every_page_stale(
    api_client, page_cache, django_capture_on_commit_callbacks
):
    hidden = listed_product(name="Mật ong rừng")
    other = listed_product(name="Nước mắm Phú Quốc")
    assert api_client.get(URL).json()["count"] == 2
    api_client.get(f"{URL}{hidden.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        product_status_set(hidden, ProductStatus.HIDDEN)
    assert api_client.get(URL).json()["count"] == 1
    assert api_client.get(f"{URL}{hidden.pk}/").status_code == 404
    assert api_client.get(f"{URL}{other.pk}/").status_code == 200
