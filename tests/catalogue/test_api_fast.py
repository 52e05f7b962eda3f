"""The catalogue API's fast path (catalogue.api.fast): the unfiltered listing and a
search's page read each product's stored item on PostgreSQL (catalogue/migrations/0007,
kept by triggers), and must answer byte for byte what the general path answers: every
write that changes what an item shows must show on the next read, cache off, and every
query the fast path takes (or hands over) answers as the paginated path does."""

import pytest

from catalogue import selectors
from catalogue.api import fast as fast_path
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
        own = getattr(fast_path, name)

        def spy(request, own=own):
            answer = own(request)
            used.append(answer is not None)
            return answer

        monkeypatch.setattr(fast_path, name, spy)
    return used


def read(api_client, monkeypatch, own_paths_used, query: str = "") -> list[dict]:
    """The listing's items through its own path, checked byte for byte against the
    general path's answer."""
    fast = api_client.get(URL + query)
    assert fast.status_code == 200, fast.content
    assert own_paths_used[-1], "answered by the stored items"
    with monkeypatch.context() as patched:
        patched.setattr(fast_path, "every_public_product_page", lambda request: None)
        patched.setattr(fast_path, "search_page", lambda request: None)
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


@pytest.mark.parametrize("ordering", ["", "price", "-price", "-rating", "-created"])
def test_every_public_product_pages_as_the_general_path_does(api_client, ordering):
    # The unfiltered listing reads precompiled SQL; `min_price=0` matches the same
    # products through the general queryset. Both must page identically, deep pages too.
    products = [
        listed_product(name=f"Trà Shan tuyết {n}", prices=(10_000 * (n % 4 + 1),), stock=n % 3)
        for n in range(9)
    ]
    for n, product in enumerate(products[:4]):
        ProductRating.objects.create(
            product=product, review_count=n + 1, rating_total=3 * (n + 1), rating="3.00"
        )
    ProductImage.objects.create(product=products[2], image="products/tra.jpg", position=0)
    for page in (1, 2, 3, 4, 5, 6):
        params = {"page_size": 2, "page": page, **({"ordering": ordering} if ordering else {})}
        general = api_client.get(URL, {**params, "min_price": 0})
        fast = api_client.get(URL, params)
        assert fast.status_code == general.status_code
        if page == 6:
            assert fast.status_code == 404
            continue
        assert fast.json()["results"] == general.json()["results"]
        assert fast.json()["count"] == general.json()["count"] == 9


def _odd_catalogue() -> None:
    """Products with every kind of value an item shows: text JSON must escape, a price
    missing, out of stock, ratings of every shape, pictures or none."""
    odd_shop = shop_in(AN_GIANG, name='Hợp tác xã "Sen" \\ Tháp\tMười')
    ratings = [None, ("0.00", 0), ("4.00", 2), ("4.50", 2), ("3.67", 3), None, None, None]
    names = [
        "Nước mắm Phú Quốc",
        'Mật ong "rừng" U Minh',
        "Kẹo dừa \\ Bến Tre\nloại 1",
        "Trà \x01 Shan tuyết 🍵",
        "Bánh pía Sóc Trăng",
        "Gốm Bát Tràng",
        "Nón lá",
        "Sâm Ngọc Linh",
    ]
    for n, name in enumerate(names):
        product = listed_product(
            name=name,
            shop=odd_shop if n % 2 else None,
            province=[NGHE_AN, AN_GIANG, QUANG_NINH][n % 3],
            prices=() if n == 5 else (10_000 * (n + 1), 99_000),
            stock=0 if n == 6 else 5,
        )
        if ratings[n]:
            rating, count = ratings[n]
            ProductRating.objects.create(
                product=product, review_count=count, rating_total=count * 4, rating=rating
            )
        if n == 1:
            ProductImage.objects.create(product=product, image="products/ảnh số 1.jpg")
        if n == 2:
            ProductImage.objects.create(
                product=product, image="products/b.jpg", thumbnail="products/thumbs/b.jpg"
            )


@pytest.mark.parametrize(
    ("query", "fast"),
    [
        ("", True),
        ("?page=2", False),
        ("?page=2&page_size=3", True),
        ("?page_size=3&page=2", True),
        ("?page=3&page_size=3", True),
        ("?page=%32&page_size=%33", True),
        ("?page_size=03&page=2", True),
        ("?page=", True),
        ("?page_size=100", True),
        ("?page=1&page=2", False),
        ("?page=last&page_size=3", False),
        ("?page=9&page_size=3", False),
        ("?page=0", False),
        ("?page=-1", False),
        ("?page=2.0", False),
        ("?page_size=0", False),
        ("?page_size=x", False),
    ],
)
def test_every_public_product_page_answers_as_the_paginated_path(
    api_client, monkeypatch, query, fast
):
    """The unfiltered listing's own path (one statement, JSON written by PostgreSQL)
    answers byte for byte what the paginated path answers, links included, or hands
    the request to it."""
    _odd_catalogue()
    answered = []
    own_path = fast_path.every_public_product_page

    def spy(request):
        answered.append(False)
        answer = own_path(request)
        answered[-1] = answer is not None
        return answer

    monkeypatch.setattr(fast_path, "every_public_product_page", spy)
    first = api_client.get(URL + query)
    assert answered[0] == fast
    monkeypatch.setattr(fast_path, "every_public_product_page", lambda request: None)
    general = api_client.get(URL + query)
    assert first.status_code == general.status_code
    assert first.content == general.content
    if fast:
        assert first["ETag"] == general["ETag"]
        assert first.json()["count"] == 8


@pytest.fixture
def first_ids_2(monkeypatch):
    """Searches read their first 2 ids in the ranking pass (statements compiled anew)."""
    from catalogue.selectors import search

    monkeypatch.setattr(search.SearchRows, "FIRST_IDS", 2)
    search._search_first_ids_sql.cache_clear()
    yield
    search._search_first_ids_sql.cache_clear()


@pytest.mark.parametrize(
    ("query", "fast_on_postgres"),
    [
        ("?search=mat+ong", True),
        ("?search=m%E1%BA%ADt%20ong", True),
        ("?search=sen&page_size=1&page=2", True),
        ("?page=2&search=%22H%E1%BB%A3p%22&page_size=1", True),
        ("?search=ke%CC%A3o", True),
        ("?search=%20%20nuoc%20", True),
        ("?search=sen&page_size=1&page=3", False),  # past the first ids read
        ("?search=sen&page_size=1&page=9", False),
        ("?search=mat+zzzz", False),  # nothing as typed: the typo tolerance
        ("?search=", False),
        ("?search=%21%21", False),
        ("?search=mat%00", False),
        ("?search=" + "a" * 201, False),
        ("?search=mat&search=ong", False),
        ("?search=mat&facets=true", False),
        ("?search=mat&page=last", False),
    ],
)
def test_a_search_answers_as_the_paginated_path(
    api_client, monkeypatch, first_ids_2, query, fast_on_postgres
):
    _odd_catalogue()
    answered = []
    own_path = fast_path.search_page

    def spy(request):
        answered.append(False)
        answer = own_path(request)
        answered[-1] = answer is not None
        return answer

    monkeypatch.setattr(fast_path, "search_page", spy)
    first = api_client.get(URL + query)
    assert answered[:1] == ([fast_on_postgres] if answered else [])
    if fast_on_postgres:
        assert answered
    monkeypatch.setattr(fast_path, "search_page", lambda request: None)
    general = api_client.get(URL + query)
    assert first.status_code == general.status_code
    assert first.content == general.content
    if first.status_code == 200:
        assert first["ETag"] == general["ETag"]
