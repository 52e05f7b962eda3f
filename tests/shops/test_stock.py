"""The stock ledger, the no-oversell primitives and the low-stock alert."""

import threading

import pytest
from django.db import connection

from marketplace.core.errors import InvalidInput, NotFound
from shops.models import ProductVariant, StockMovement
from shops.services import (
    InsufficientStock,
    stock_adjust,
    stock_release_many,
    stock_reserve_many,
    variant_update,
)
from tests.conftest import bearer_client
from tests.shops.factories import ProductFactory, VariantFactory, ledger_sum, shop_owner
from worker.models import Notification

pytestmark = pytest.mark.django_db


def stock_of(variant):
    return ProductVariant.objects.get(pk=variant.pk).stock


def test_every_change_is_in_the_ledger_and_sums_to_the_stock():
    variant = VariantFactory(initial_stock=30)
    owner = shop_owner(variant.shop)
    other = VariantFactory(product=variant.product, initial_stock=4)
    stock_adjust(variant=variant, delta=12, reason="restock", actor=owner, reference="PN-01")
    variant_update(variant=variant, actor=owner, stock=35)  # a count: adjustment of -7
    stock_reserve_many(items=[(variant.pk, 5), (other.pk, 4)], reference="order:1")
    stock_release_many(items=[(variant.pk, 2)], reference="order:1")
    with pytest.raises(InsufficientStock):
        stock_reserve_many(items=[(variant.pk, 1), (other.pk, 1)], reference="order:2")

    for v in (variant, other):
        assert stock_of(v) == ledger_sum(v)
    assert stock_of(variant) == 32
    assert stock_of(other) == 0
    reasons = list(StockMovement.objects.filter(variant=variant).values_list("reason", "delta"))
    assert reasons == [
        ("initial", 30),
        ("restock", 12),
        ("adjustment", -7),
        ("reservation", -5),
        ("release", 2),
    ]
    last = StockMovement.objects.filter(variant=variant).last()
    assert (last.stock_after, last.reference) == (32, "order:1")
    assert StockMovement.objects.get(reason="restock").actor == owner


def test_stock_never_goes_below_zero():
    variant = VariantFactory(initial_stock=3)
    with pytest.raises(InsufficientStock) as raised:
        stock_adjust(variant=variant, delta=-4, reason="adjustment")
    assert raised.value.code == "insufficient_stock"
    assert raised.value.extra["variants"] == [
        {"variant_id": variant.pk, "requested": 4, "available": 3}
    ]
    assert stock_of(variant) == 3 == ledger_sum(variant)


def test_reserve_many_is_all_or_nothing_and_names_every_short_variant():
    a = VariantFactory(initial_stock=5)
    b = VariantFactory(product=a.product, initial_stock=1)
    c = VariantFactory(product=a.product, initial_stock=0)
    with pytest.raises(InsufficientStock) as raised:
        stock_reserve_many(items=[(c.pk, 1), (a.pk, 2), (b.pk, 2)], reference="order:9")
    assert raised.value.extra["variants"] == [
        {"variant_id": b.pk, "requested": 2, "available": 1},
        {"variant_id": c.pk, "requested": 1, "available": 0},
    ]
    assert [stock_of(v) for v in (a, b, c)] == [5, 1, 0]
    assert not StockMovement.objects.filter(reason="reservation").exists()
    # The same variant twice in one order counts once, summed.
    stock_reserve_many(items=[(a.pk, 2), (a.pk, 3)], reference="order:10")
    assert stock_of(a) == 0


def test_reserve_rejects_unknown_variants_and_bad_quantities():
    variant = VariantFactory(initial_stock=5)
    with pytest.raises(NotFound):
        stock_reserve_many(items=[(variant.pk, 1), (999999, 1)], reference="x")
    for quantity in (0, -1, 1.5):
        with pytest.raises(InvalidInput):
            stock_reserve_many(items=[(variant.pk, quantity)], reference="x")
    assert stock_of(variant) == 5


def test_low_stock_alert_fires_once_per_crossing():
    variant = VariantFactory(initial_stock=10, low_stock_threshold=3)
    owner = shop_owner(variant.shop)

    def alerts():
        return Notification.objects.filter(recipient=owner, kind="stock_low").count()

    stock_reserve_many(items=[(variant.pk, 6)], reference="o1")  # 4: above
    assert alerts() == 0
    stock_reserve_many(items=[(variant.pk, 1)], reference="o2")  # 3: crosses
    assert alerts() == 1
    stock_reserve_many(items=[(variant.pk, 1)], reference="o3")  # 2: still low
    stock_reserve_many(items=[(variant.pk, 2)], reference="o4")  # 0
    assert alerts() == 1
    stock_adjust(variant=variant, delta=10, reason="restock")  # 10: re-armed
    assert alerts() == 1
    stock_reserve_many(items=[(variant.pk, 8)], reference="o5")  # 2: crosses again
    assert alerts() == 2
    notification = Notification.objects.filter(kind="stock_low").last()
    assert variant.sku in notification.body


def test_one_batch_alerts_for_each_variant_it_takes_across_its_threshold():
    crosses = VariantFactory(initial_stock=10, low_stock_threshold=3)
    owner = shop_owner(crosses.shop)
    also_crosses = VariantFactory(product=crosses.product, initial_stock=4, low_stock_threshold=3)
    stays_above = VariantFactory(product=crosses.product, initial_stock=20, low_stock_threshold=3)
    already_low = VariantFactory(product=crosses.product, initial_stock=2, low_stock_threshold=3)

    stock_reserve_many(
        items=[(crosses.pk, 8), (also_crosses.pk, 4), (stays_above.pk, 1), (already_low.pk, 1)],
        reference="o1",
    )

    alerted = Notification.objects.filter(recipient=owner, kind="stock_low")
    assert sorted(
        n.body.count(crosses.sku) + 2 * n.body.count(also_crosses.sku) for n in alerted
    ) == [1, 2]
    flags = dict(ProductVariant.objects.values_list("pk", "is_low_stock"))
    assert flags == {
        crosses.pk: True,
        also_crosses.pk: True,
        stays_above.pk: False,
        already_low.pk: True,
    }
    # also_crosses ran out; the others still sell: the product is still in stock.
    crosses.product.refresh_from_db()
    assert crosses.product.in_stock is True
    for v in (crosses, also_crosses, stays_above, already_low):
        assert stock_of(v) == ledger_sum(v)


def test_restocking_while_still_low_does_not_alert():
    variant = VariantFactory(initial_stock=0, low_stock_threshold=5)
    stock_adjust(variant=variant, delta=3, reason="restock")
    stock_adjust(variant=variant, delta=-1, reason="adjustment")
    assert not Notification.objects.filter(kind="stock_low").exists()
    assert ProductVariant.objects.get(pk=variant.pk).is_low_stock is True


def test_staff_are_told_about_low_stock_too():
    from shops.models import ShopMember
    from tests.accounts.factories import UserFactory

    variant = VariantFactory(initial_stock=10, low_stock_threshold=5)
    staff = UserFactory(role="producer")
    ShopMember.objects.create(shop=variant.shop, user=staff, role="staff")
    stock_adjust(variant=variant, delta=-6, reason="adjustment")
    assert Notification.objects.filter(recipient=staff, kind="stock_low").count() == 1


def test_variant_patch_through_the_api_writes_an_adjustment():
    variant = VariantFactory(initial_stock=10)
    client = bearer_client(shop_owner(variant.shop))
    url = f"/api/v1/shops/{variant.shop.slug}/variants/{variant.pk}/"
    response = client.patch(url, {"price": 175000, "stock": 7}, format="json")
    assert response.status_code == 200
    assert (response.json()["price"], response.json()["stock"]) == (175000, 7)
    for bad in ({"stock": -1}, {"price": 0}, {"price": 12.5}, {"stock": "nhiều"}):
        rejected = client.patch(url, bad, format="json")
        assert rejected.status_code == 400, bad
    ledger = client.get(f"/api/v1/shops/{variant.shop.slug}/variants/{variant.pk}/movements/")
    assert [m["reason"] for m in ledger.json()["results"]] == ["adjustment", "initial"]
    assert ledger.json()["results"][0]["delta"] == -3
    assert stock_of(variant) == ledger_sum(variant) == 7


def test_database_refuses_negative_stock_even_bypassing_services():
    from django.db import IntegrityError, transaction

    variant = VariantFactory(initial_stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductVariant.objects.filter(pk=variant.pk).update(stock=-1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_never_oversell(regions):
    variant = VariantFactory(initial_stock=10)
    results = []

    def buy():
        try:
            stock_reserve_many(items=[(variant.pk, 3)], reference="race")
            results.append("ok")
        except InsufficientStock:
            results.append("short")
        finally:
            connection.close()

    threads = [threading.Thread(target=buy) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 3
    assert stock_of(variant) == 1 == ledger_sum(variant)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crossed_orders_do_not_deadlock(regions):
    a = VariantFactory(initial_stock=100)
    b = VariantFactory(product=a.product, initial_stock=100)
    errors = []

    def buy(items):
        try:
            for _ in range(10):
                stock_reserve_many(items=items, reference="cross")
        except Exception as exc:  # a deadlock would surface here
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=buy, args=([(a.pk, 1), (b.pk, 1)],)),
        threading.Thread(target=buy, args=([(b.pk, 1), (a.pk, 1)],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stock_of(a) == stock_of(b) == 80


def test_products_without_shipping_weight_are_refused():
    product = ProductFactory()
    client = bearer_client(shop_owner(product.shop))
    response = client.post(
        f"/api/v1/shops/{product.shop.slug}/products/{product.pk}/variants/",
        {"sku": "X1", "name": "Hộp", "price": 1000, "stock": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "weight_grams" in response.json()["error"]["fields"]
    duplicate = client.post(
        f"/api/v1/shops/{product.shop.slug}/products/{product.pk}/variants/",
        {"sku": "X1", "name": "Hộp", "price": 1000, "stock": 1, "weight_grams": 100},
        format="json",
    )
    assert duplicate.status_code == 201
    again = client.post(
        f"/api/v1/shops/{product.shop.slug}/products/{product.pk}/variants/",
        {"sku": "X1", "name": "Hộp 2", "price": 1000, "weight_grams": 100},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_sku"
