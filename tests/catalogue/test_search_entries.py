"""The search entries (catalogue/migrations/0010): one per product, equal to what its
product says after every kind of write, and put in name order by the weekly rebuild."""

import psycopg
import pytest
from django.db import OperationalError, connection

from catalogue import services
from catalogue.services import SEARCH_INDEXES, SEARCH_TABLES
from catalogue.tasks import rebuild_search_indexes
from shops.models import DelistReason, Product
from shops.services.products import product_delist
from tests.catalogue.factories import listed_product, shop_in
from tests.shops.factories import AN_GIANG, NGHE_AN, QUANG_NINH

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
URL = "/api/v1/products/"


def entries() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT product_id, public_until, created_at, search_name, document::text"
            " FROM catalogue_search_entry ORDER BY product_id"
        )
        return cursor.fetchall()


def from_products() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, public_until, created_at, search_name,"
            " catalogue_search_document(search_text, catalogue_seller_text)::text"
            " FROM shops_product ORDER BY id"
        )
        return cursor.fetchall()


def assert_entries_follow_products():
    expected = from_products()
    assert expected, "products to compare"
    assert entries() == expected


def test_every_kind_of_write_keeps_each_entry_equal_to_its_product():
    shop = shop_in(NGHE_AN, name="Cơ sở Hoa Sen")
    product = listed_product(name="Nhút Thanh Chương", shop=shop)
    other = listed_product(name="Mật ong rừng", province=AN_GIANG)
    Product.objects.bulk_create(
        [
            Product(**{**_fields(other), "name": f"Sáp ong {n}", "search_name": f"sap ong {n}"})
            for n in range(3)
        ]
    )
    assert_entries_follow_products()

    product.name, product.description = "Nhút mít Thanh Chương", "Muối chua."
    product.save()
    assert_entries_follow_products()

    shop.name = "Cơ sở Bình Minh"  # the seller text, rewritten by a trigger
    shop.save()
    assert_entries_follow_products()

    Product.objects.filter(pk=product.pk).update(origin_province_id=QUANG_NINH)
    assert_entries_follow_products()

    product_delist(product=product, reason=DelistReason.CERTIFICATE_EXPIRED, actor=None)
    product.refresh_from_db()
    assert product.public_until is None
    assert_entries_follow_products()

    Product.objects.filter(shop=other.shop).update(created_at=other.created_at)
    assert_entries_follow_products()

    Product.objects.filter(name__startswith="Sáp ong ").delete()
    assert_entries_follow_products()
    assert len(entries()) == 2


def _fields(product: Product) -> dict:
    return {
        field.attname: getattr(product, field.attname)
        for field in Product._meta.concrete_fields
        if not field.primary_key
    }


@pytest.mark.django_db(transaction=True)
def test_a_truncated_products_table_leaves_no_entry(regions):
    listed_product(name="Nón lá Huế")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE shops_product CASCADE")
    assert entries() == []


@pytest.mark.django_db(transaction=True)
def test_the_weekly_rebuild_puts_the_entries_in_name_order_and_search_goes_on(api_client, regions):
    # One statement per product: the entries are written in this order, not by name.
    for name in ["Nước mắm Phú Quốc", "Chả mực Hạ Long", "Nón lá Huế", "Mắm tôm Hà Nội"]:
        listed_product(name=name)
    assert names_in_storage_order() != sorted(names_in_storage_order())
    assert rebuild_search_indexes() == [*SEARCH_TABLES, *SEARCH_INDEXES]
    assert names_in_storage_order() == sorted(names_in_storage_order())
    assert rebuild_search_indexes() == [*SEARCH_TABLES, *SEARCH_INDEXES]  # again: no harm
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), bool_and(indisvalid) FROM pg_index"
            " JOIN pg_class ON pg_class.oid = indexrelid"
            " WHERE relname = ANY(%s) OR indrelid = ANY(%s::regclass[])",
            [list(SEARCH_INDEXES), list(SEARCH_TABLES)],
        )
        # The entries' key, words and names; the products' words and trigrams.
        assert cursor.fetchone() == (5, True)
    assert_entries_follow_products()
    results = api_client.get(URL, {"search": "mam"}).json()["results"]
    assert [p["name"] for p in results] == ["Mắm tôm Hà Nội", "Nước mắm Phú Quốc"]


def names_in_storage_order() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_name FROM catalogue_search_entry ORDER BY ctid")
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_rewrite_gives_up_rather_than_queue_searches_behind_it(monkeypatch, regions):
    # A long read holds the table: CLUSTER's lock would wait for it, and every search
    # arriving meanwhile would wait behind CLUSTER.
    monkeypatch.setattr(services, "CLUSTER_LOCK_TIMEOUT", "200ms")
    listed_product(name="Nón lá Huế")
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
    ) as reader:
        reader.execute("SELECT count(*) FROM catalogue_search_entry").fetchone()
        with connection.cursor() as cursor:
            # Without the lock timeout, this fails the test instead of hanging it.
            cursor.execute("SET statement_timeout = '10s'")
            try:
                with pytest.raises(OperationalError, match="lock timeout"):
                    rebuild_search_indexes()
            finally:
                cursor.execute("RESET statement_timeout")
        reader.rollback()
    assert rebuild_search_indexes() == [*SEARCH_TABLES, *SEARCH_INDEXES]
