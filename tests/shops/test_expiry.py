"""Certificate expiry, with the day passed in: warnings 30 days ahead, delisting on the
expiry date, and products back on sale when a renewed certificate is approved."""

import datetime

import pytest

from shops.models import OcopCertificate, Product
from shops.selectors import public_products
from shops.services import certificate_expiry_run, certificate_review
from shops.tasks import certificate_expiry
from tests.conftest import bearer_client
from tests.shops.factories import CertificateFactory, ProductFactory, ShopFactory, shop_owner
from worker.celery import app
from worker.models import Notification

pytestmark = pytest.mark.django_db

EXPIRES = datetime.date(2026, 9, 30)


@pytest.fixture
def listing():
    shop = ShopFactory()
    certificate = CertificateFactory(
        shop=shop, issued_on=datetime.date(2023, 9, 30), expires_on=EXPIRES
    )
    product = ProductFactory(shop=shop, certificate=certificate)
    hidden = ProductFactory(shop=shop, certificate=certificate, status="hidden", name="Ẩn")
    return {
        "shop": shop,
        "certificate": certificate,
        "product": product,
        "hidden": hidden,
        "owner": shop_owner(shop),
    }


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def day(offset):
    return EXPIRES + datetime.timedelta(days=offset)


def test_warning_comes_30_days_ahead_and_only_once(listing):
    assert certificate_expiry_run(today=day(-31)) == {"warned": 0, "expired": 0, "delisted": 0}
    assert kinds(listing["owner"]) == []
    assert certificate_expiry_run(today=day(-30))["warned"] == 1
    assert certificate_expiry_run(today=day(-30))["warned"] == 0
    assert certificate_expiry_run(today=day(-10))["warned"] == 0
    assert kinds(listing["owner"]) == ["certificate_expiring"]
    notification = Notification.objects.get(recipient=listing["owner"])
    assert listing["certificate"].number in notification.body
    assert Notification.objects.get().context["days_left"] == 30


def test_a_missed_day_still_warns(listing):
    assert certificate_expiry_run(today=day(-12))["warned"] == 1


def test_on_the_expiry_date_products_are_delisted(listing):
    certificate_expiry_run(today=day(-1))
    assert Product.objects.get(pk=listing["product"].pk).status == "active"
    assert list(public_products(today=day(-1))) == [listing["product"]]

    result = certificate_expiry_run(today=day(0))
    assert result == {"warned": 0, "expired": 1, "delisted": 1}
    product = Product.objects.get(pk=listing["product"].pk)
    assert (product.status, product.delisted_reason) == ("delisted", "certificate_expired")
    assert Product.objects.get(pk=listing["hidden"].pk).status == "hidden"
    assert OcopCertificate.objects.get().status == "expired"
    assert "certificate_expired" in kinds(listing["owner"])
    # Run again (beat twice, a retry): nothing more happens.
    assert certificate_expiry_run(today=day(0)) == {"warned": 0, "expired": 0, "delisted": 0}
    assert kinds(listing["owner"]).count("certificate_expired") == 1


def test_products_come_back_when_a_renewal_is_approved_and_linked(listing, operator):
    certificate_expiry_run(today=day(0))
    client = bearer_client(listing["owner"])
    slug = listing["shop"].slug
    # The owner cannot simply switch it back on.
    refused = client.patch(
        f"/api/v1/shops/{slug}/products/{listing['product'].pk}/",
        {"status": "active"},
        format="json",
    )
    assert refused.status_code == 409

    renewal = CertificateFactory(
        shop=listing["shop"],
        status="pending",
        issued_on=day(-5),
        expires_on=day(-5) + datetime.timedelta(days=1095),
        renews=listing["certificate"],
    )
    certificate_review(certificate=renewal, operator=operator, decision="approve", today=day(1))
    product = Product.objects.get(pk=listing["product"].pk)
    assert (product.status, product.certificate_id) == ("active", renewal.pk)
    assert list(public_products(today=day(1))) == [product]
    # The hidden one moved to the renewal too but stays hidden.
    assert Product.objects.get(pk=listing["hidden"].pk).certificate_id == renewal.pk
    assert Product.objects.get(pk=listing["hidden"].pk).status == "hidden"


def test_linking_a_renewed_certificate_by_hand(listing):
    certificate_expiry_run(today=day(0))
    renewal = CertificateFactory(shop=listing["shop"])  # approved, valid today
    client = bearer_client(listing["owner"])
    url = f"/api/v1/shops/{listing['shop'].slug}/products/{listing['product'].pk}/"
    response = client.patch(url, {"certificate_id": renewal.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    assert response.json()["is_public"] is True
    other_shop_cert = CertificateFactory()
    foreign = client.patch(url, {"certificate_id": other_shop_cert.pk}, format="json")
    assert foreign.status_code == 400
    assert foreign.json()["error"]["code"] == "certificate_not_found"


def test_the_daily_task_is_scheduled_and_runs(listing):
    entry = next(
        e for e in app.conf.beat_schedule.values() if e["task"] == "shops.tasks.certificate_expiry"
    )
    assert entry["schedule"].hour == {0}
    certificate_expiry.delay(today=day(0).isoformat())
    assert Product.objects.get(pk=listing["product"].pk).status == "delisted"


def test_no_warning_once_a_renewal_is_approved(listing):
    CertificateFactory(shop=listing["shop"], renews=listing["certificate"])
    assert certificate_expiry_run(today=day(-30))["warned"] == 0
