import pytest

from shops import services
from shops.models import OcopCertificate
from tests.catalogue.factories import listed_product, shop_in
from tests.shops.factories import AN_GIANG, NGHE_AN, QUANG_NINH

pytestmark = pytest.mark.django_db
STATS = "/api/v1/stats/ocop/"


def test_stats_match_the_public_data(api_client):
    # Nghệ An in the article: 77.4% of its products 3-star (here 7 of 9 is 77.8%).
    for _ in range(7):
        listed_product(province=NGHE_AN, stars=3)
    for _ in range(2):
        listed_product(province=NGHE_AN, stars=4)
    listed_product(province=AN_GIANG, stars=5)
    listed_product(province=AN_GIANG, stars=3, status="draft")
    body = api_client.get(STATS).json()
    assert body["total"] == 10
    assert body["by_stars"] == {"3": 7, "4": 2, "5": 1}
    assert body["share_by_stars"] == {"3": 70.0, "4": 20.0, "5": 10.0}
    provinces = {row["code"]: row for row in body["by_province"]}
    assert len(provinces) == 34
    assert provinces[NGHE_AN]["name"] == "Nghệ An"
    assert provinces[NGHE_AN]["total"] == 9
    assert provinces[NGHE_AN]["by_stars"] == {"3": 7, "4": 2, "5": 0}
    assert provinces[AN_GIANG]["by_stars"] == {"3": 0, "4": 0, "5": 1}
    assert provinces[QUANG_NINH]["total"] == 0
    assert sum(row["total"] for row in body["by_province"]) == body["total"]


def test_stats_are_cached_and_invalidated_when_visibility_changes(
    api_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    product = listed_product(stars=4)
    assert api_client.get(STATS).json()["total"] == 1
    with django_assert_num_queries(0):
        assert api_client.get(STATS).json()["total"] == 1
    # A certificate expired by the daily sweep: its product leaves the catalogue, and
    # the figures with it.
    certificate = OcopCertificate.objects.get(pk=product.certificate_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_expiry_run(today=certificate.expires_on)
    assert api_client.get(STATS).json()["total"] == 0


def test_public_shops_list_and_detail(api_client):
    shop = shop_in(NGHE_AN, name="HTX Chè Tân Cương")
    listed_product(shop=shop)
    listed_product(shop=shop)
    listed_product(shop=shop, status="hidden")
    other = shop_in(AN_GIANG, name="Cơ sở Mắm Châu Đốc")
    pending = shop_in(NGHE_AN, name="Chờ duyệt", status="pending")
    body = api_client.get("/api/v1/catalogue/shops/").json()
    rows = {row["slug"]: row for row in body["results"]}
    assert set(rows) == {shop.slug, other.slug}
    assert rows[shop.slug]["public_products_count"] == 2
    assert rows[other.slug]["public_products_count"] == 0
    assert rows[shop.slug]["province"] == {"code": NGHE_AN, "name": "Nghệ An"}
    assert "rating" in rows[shop.slug]
    in_an_giang = api_client.get("/api/v1/catalogue/shops/", {"province": AN_GIANG}).json()
    assert [row["slug"] for row in in_an_giang["results"]] == [other.slug]
    bad = api_client.get("/api/v1/catalogue/shops/", {"province": "00"})
    assert bad.status_code == 400
    detail = api_client.get(f"/api/v1/catalogue/shops/{shop.slug}/").json()
    assert detail["name"] == "HTX Chè Tân Cương" and detail["public_products_count"] == 2
    missing = api_client.get(f"/api/v1/catalogue/shops/{pending.slug}/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "shop_not_found"


def test_catalogue_is_in_the_openapi_schema(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in [
        "/api/v1/products/",
        "/api/v1/products/{product_id}/",
        "/api/v1/stats/ocop/",
        "/api/v1/catalogue/shops/",
        "/api/v1/catalogue/shops/{slug}/",
    ]:
        assert path in paths, path
