"""The unfiltered listing and a search's page read each product's stored item on
PostgreSQL (catalogue/migrations/0007, kept by triggers): every write that changes what
an item shows must show on the next read, cache off, as the general path answers it."""

import pytest

from catalogue import selectors
from catalogue.api import views
from marketplace.regions.models import Province
from orders.models import ProductRating
from shops.models import OcopCertificate, Product, ProductImage, ProductVariant, Shop
from shops.services.images import product_image_delete
from shops.services.products import product_update
from shops.services.shops import shop_update
from shops.services.stock import stock_set
from shops.services.variants import variant_update
from tests.catalogue.factories import listed_product, shop_in
from tests.shops.factories import AN_GIANG, NGHE_AN, QUANG_NINH, CertificateFactory, shop_owner

pytestmark = pytest.mark.django_db
URL = "/api/v1/products/"


@pytest.fixture
def own_paths_used(monkeypatch):
    """Each unfiltered page and search answered by its own path (the stored items) on
    PostgreSQL: recorded, so a test knows the item it reads is the stored one."""
    used = []
    for name in ("every_public_product_page", "search_page"):
        own = getattr(views, name)

        def spy(request, own=own):
            answer = own(request)
            used.append(answer is not None)
            return answer

        monkeypatch.setattr(views, name, spy)
    return used


def read(api_client, monkeypatch, own_paths_used, query: str = "") -> list[dict]:
    """The listing's items through its own path, checked byte for byte against the
    general path's answer."""
    fast = api_client.get(URL + query)
    assert fast.status_code == 200, fast.content
    assert own_paths_used[-1], "answered by the stored items"
    with monkeypatch.context() as patched:
        patched.setattr(views, "every_public_product_page", lambda request: None)
        patched.setattr(views, "search_page", lambda request: None)
        general = api_client.get(URL + query)
    assert fast.content == general.content
    return fast.json()["results"]


def item(api_client, monkeypatch, own_paths_used, product: Product, query: str = "") -> dict:
    items = {i["id"]: i for i in read(api_client, monkeypatch, own_paths_used, query)}
    return items[product.pk]


@pytest.fixture
def product():
    listed_product(name="Mật ong rừng U Minh")  # a neighbour, left alone
    return listed_product(name="Nước mắm Phú Quốc", prices=(90_000, 150_000), stock=5)


def test_the_product_own_edits_show(api_client, monkeypatch, own_paths_used, product):
    owner = shop_owner(product.shop)
    product_update(
        product=product, actor=owner, name="Nước mắm Cát Hải", origin_province_code=AN_GIANG
    )
    got = item(api_client, monkeypatch, own_paths_used, product)
    assert got["name"] == "Nước mắm Cát Hải"
    assert got["origin_province"]["code"] == AN_GIANG
    # A search reads the same stored items.
    assert item(api_client, monkeypatch, own_paths_used, product, "?search=cat+hai")["name"] == (
        "Nước mắm Cát Hải"
    )


def test_prices_and_stock_show(api_client, monkeypatch, own_paths_used, product):
    owner = shop_owner(product.shop)
    cheap, dear = ProductVariant.objects.filter(product=product).order_by("price")
    variant_update(variant=cheap, actor=owner, price=70_000)
    got = item(api_client, monkeypatch, own_paths_used, product)
    assert (got["price_min"], got["price_max"], got["in_stock"]) == (70_000, 150_000, True)
    for variant in (cheap, dear):
        stock_set(variant=variant, stock=0, actor=owner)
    assert item(api_client, monkeypatch, own_paths_used, product)["in_stock"] is False
    stock_set(variant=dear, stock=3, actor=owner)
    assert item(api_client, monkeypatch, own_paths_used, product)["in_stock"] is True


def test_the_shop_edits_show(api_client, monkeypatch, own_paths_used, product):
    owner = shop_owner(product.shop)
    shop_update(shop=product.shop, actor=owner, name='HTX "Nước mắm" Phú Quốc')
    assert item(api_client, monkeypatch, own_paths_used, product)["shop"]["name"] == (
        'HTX "Nước mắm" Phú Quốc'
    )
    place = shop_in(QUANG_NINH)  # a shop of that province, for a ward of it
    shop_update(shop=product.shop, actor=owner, province_code=QUANG_NINH, ward_code=place.ward_id)
    assert item(api_client, monkeypatch, own_paths_used, product)["shop"]["province"]["code"] == (
        QUANG_NINH
    )
    # What only the back office changes, through the model.
    Shop.objects.filter(pk=product.shop_id).update(slug="nuoc-mam-phu-quoc")
    assert item(api_client, monkeypatch, own_paths_used, product)["shop"]["slug"] == (
        "nuoc-mam-phu-quoc"
    )


def test_the_certificate_shows(api_client, monkeypatch, own_paths_used, product):
    certificate = product.certificate
    certificate.stars, certificate.product_group = 5, "drink"
    certificate.save()
    got = item(api_client, monkeypatch, own_paths_used, product)
    assert (got["stars"], got["product_group"]) == (5, "drink")
    # Another certificate linked to the product.
    other = CertificateFactory(
        shop=product.shop, stars=3, score=60, product_group="food", product_name="Nước mắm"
    )
    Product.objects.filter(pk=product.pk).update(certificate=other)
    assert OcopCertificate.objects.get(pk=other.pk).stars == 3
    got = item(api_client, monkeypatch, own_paths_used, product)
    assert (got["stars"], got["product_group"]) == (3, "food")


def test_ratings_show(api_client, monkeypatch, own_paths_used, product):
    rating = ProductRating.objects.create(
        product=product, review_count=1, rating_total=4, rating="4.00"
    )
    got = item(api_client, monkeypatch, own_paths_used, product)
    assert (got["rating"], got["review_count"]) == (4.0, 1)
    rating.review_count, rating.rating_total, rating.rating = 3, 11, "3.67"
    rating.save()
    got = item(api_client, monkeypatch, own_paths_used, product)
    assert (got["rating"], got["review_count"]) == (3.67, 3)
    rating.delete()
    got = item(api_client, monkeypatch, own_paths_used, product)
    assert (got["rating"], got["review_count"]) == (None, 0)


def test_pictures_show(api_client, monkeypatch, own_paths_used, product):
    second = ProductImage.objects.create(product=product, image="products/b.jpg", position=1)
    assert item(api_client, monkeypatch, own_paths_used, product)["image"] == (
        "/media/products/b.jpg"
    )
    first = ProductImage.objects.create(product=product, image="products/a.jpg", position=0)
    assert item(api_client, monkeypatch, own_paths_used, product)["image"] == (
        "/media/products/a.jpg"
    )
    first.thumbnail = "products/thumbs/a.jpg"
    first.save()
    assert item(api_client, monkeypatch, own_paths_used, product)["image"] == (
        "/media/products/thumbs/a.jpg"
    )
    product_image_delete(product=product, image_id=first.pk)
    assert item(api_client, monkeypatch, own_paths_used, product)["image"] == (
        "/media/products/b.jpg"
    )
    second.delete()
    assert item(api_client, monkeypatch, own_paths_used, product)["image"] is None


@pytest.fixture
def names_read_again():
    """The app reads province names once per process and is restarted after
    `load_regions` renames one: each read in the test is a fresh process's."""
    cached = (selectors.provinces, selectors.province_names)

    def forget():
        for function in cached:
            function.cache_clear()

    yield forget
    forget()


def test_a_province_renamed_shows(
    api_client, monkeypatch, own_paths_used, product, names_read_again
):
    # A product made in Nghệ An by a shop of An Giang, and one of a shop of Nghệ An.
    elsewhere = listed_product(name="Mắm cá linh", province=AN_GIANG)
    Product.objects.filter(pk=elsewhere.pk).update(origin_province=NGHE_AN)
    assert product.shop.province_id == NGHE_AN
    # What `load_regions` does with a newer package: an upsert of every province.
    renamed = [
        Province(**{**row, "name": "Xứ Nghệ" if row["code"] == NGHE_AN else row["name"]})
        for row in Province.objects.values()
    ]
    Province.objects.bulk_create(
        renamed, update_conflicts=True, unique_fields=["code"], update_fields=["name"]
    )
    names_read_again()
    got = item(api_client, monkeypatch, own_paths_used, product)
    assert got["shop"]["province"] == {"code": NGHE_AN, "name": "Xứ Nghệ"}
    assert got["origin_province"] == {"code": NGHE_AN, "name": "Xứ Nghệ"}
    got = item(api_client, monkeypatch, own_paths_used, elsewhere)
    assert got["origin_province"] == {"code": NGHE_AN, "name": "Xứ Nghệ"}
    assert got["shop"]["province"]["code"] == AN_GIANG
    # The new name's words find every product made there; the old name's find none.
    found = read(api_client, monkeypatch, own_paths_used, "?search=xu+nghe")
    made_there = Product.objects.filter(origin_province=NGHE_AN).values_list("pk", flat=True)
    assert {i["id"] for i in found} == set(made_there) >= {product.pk, elsewhere.pk}
    assert api_client.get(URL + "?search=nghe+an").json()["count"] == 0


def test_a_product_leaving_the_catalogue_leaves_the_page(
    api_client, monkeypatch, own_paths_used, product
):
    product_update(product=product, actor=shop_owner(product.shop), status="hidden")
    ids = [i["id"] for i in read(api_client, monkeypatch, own_paths_used)]
    assert product.pk not in ids and len(ids) == 1


def test_an_item_not_stored_is_answered_by_the_general_path(api_client, product):
    # Not a state any write leaves (the triggers write every item), but a restored
    # dump could: the page is still right.
    from django.db import connection

    with connection.cursor() as cursor:
        # No trigger fires for this write (as in a restore with triggers off).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE shops_product SET catalogue_listing_item = NULL WHERE id = %s", [product.pk]
        )
        cursor.execute("RESET session_replication_role")
    items = api_client.get(URL).json()["results"]
    assert {i["id"]: i["name"] for i in items}[product.pk] == "Nước mắm Phú Quốc"
