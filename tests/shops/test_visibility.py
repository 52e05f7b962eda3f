"""The one visibility rule, in every combination of shop by certificate by product state."""

import datetime
import itertools

import pytest

from marketplace.core import clock
from shops.models import Product
from shops.selectors import public_products, public_variants
from tests.shops.factories import (
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
SHOP_STATES = ["pending", "active", "suspended", "rejected"]
# "expired" twice: once marked by the daily task, once only by its date (task not yet run).
CERTIFICATE_STATES = ["pending", "approved", "rejected", "expired", "approved_past_expiry"]
PRODUCT_STATES = ["draft", "active", "hidden", "delisted"]


def _certificate(shop, state):
    issued = TODAY - datetime.timedelta(days=400)
    if state == "approved_past_expiry":
        return CertificateFactory(
            shop=shop,
            status="approved",
            issued_on=issued - datetime.timedelta(days=800),
            expires_on=TODAY,
        )
    expires = TODAY if state == "expired" else TODAY + datetime.timedelta(days=300)
    return CertificateFactory(shop=shop, status=state, issued_on=issued, expires_on=expires)


def test_every_combination_of_the_matrix():
    expected_public = set()
    all_products = []
    for shop_state in SHOP_STATES:
        shop = ShopFactory(status=shop_state)
        for cert_state, product_state in itertools.product(CERTIFICATE_STATES, PRODUCT_STATES):
            certificate = _certificate(shop, cert_state)
            product = ProductFactory(shop=shop, certificate=certificate, status=product_state)
            VariantFactory(product=product, initial_stock=3)
            all_products.append((shop_state, cert_state, product_state, product.pk))
            if (shop_state, cert_state, product_state) == ("active", "approved", "active"):
                expected_public.add(product.pk)

    assert len(all_products) == 4 * 5 * 4
    public = set(public_products(today=TODAY).values_list("pk", flat=True))
    assert public == expected_public
    assert len(public) == 1
    assert set(public_variants(today=TODAY).values_list("product_id", flat=True)) == public


def test_expiry_day_is_the_first_day_not_on_sale():
    shop = ShopFactory()
    certificate = CertificateFactory(
        shop=shop, issued_on=datetime.date(2023, 6, 15), expires_on=TODAY
    )
    product = ProductFactory(shop=shop, certificate=certificate)
    day_before = TODAY - datetime.timedelta(days=1)
    assert list(public_products(today=day_before)) == [product]
    assert list(public_products(today=TODAY)) == []


def test_today_is_the_vietnamese_calendar_day(monkeypatch):
    shop = ShopFactory()
    certificate = CertificateFactory(
        shop=shop, issued_on=datetime.date(2023, 6, 15), expires_on=TODAY
    )
    ProductFactory(shop=shop, certificate=certificate)
    # 18:30 UTC on the 14th is already 01:30 on the 15th in Hà Nội: expired there.
    late_utc = datetime.datetime(2026, 6, 14, 18, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(clock.timezone, "now", lambda: late_utc)
    assert clock.local_today() == TODAY
    assert not public_products().exists()
    early_utc = datetime.datetime(2026, 6, 14, 16, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(clock.timezone, "now", lambda: early_utc)
    assert public_products().count() == 1


def test_suspending_a_shop_hides_everything_at_once(operator_client):
    product = ProductFactory()
    assert public_products().filter(pk=product.pk).exists()
    operator_client.post(
        f"/api/v1/operator/shops/{product.shop.slug}/suspend/",
        {"reason": "Kiểm tra"},
        format="json",
    )
    assert not public_products().filter(pk=product.pk).exists()
    assert Product.objects.get(pk=product.pk).status == "active"  # nothing else changed
    operator_client.post(
        f"/api/v1/operator/shops/{product.shop.slug}/reinstate/", {}, format="json"
    )
    assert public_products().filter(pk=product.pk).exists()
