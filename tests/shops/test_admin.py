"""The back office: operators approve, reject and suspend through admin actions that call
the same services as the API."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from marketplace.accounts.services import operator_grant
from shops.models import OcopCertificate, Shop
from shops.selectors import public_products
from tests.shops.factories import CertificateFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, operator):
    operator_grant(user=operator)
    client.force_login(operator)
    return client


def test_approving_a_shop_and_a_certificate_makes_the_product_public(admin_client):
    shop = ShopFactory(status="pending")
    certificate = CertificateFactory(shop=shop, status="approved")
    product = ProductFactory(shop=shop, certificate=certificate)
    pending = CertificateFactory(shop=shop, status="pending")
    assert not public_products().exists()

    response = admin_client.post(
        "/admin/shops/shop/", {"action": "approve", ACTION_CHECKBOX_NAME: [shop.pk]}, follow=True
    )
    assert response.status_code == 200
    assert Shop.objects.get(pk=shop.pk).status == "active"
    assert list(public_products()) == [product]

    admin_client.post(
        "/admin/shops/ocopcertificate/",
        {"action": "approve", ACTION_CHECKBOX_NAME: [pending.pk]},
        follow=True,
    )
    assert OcopCertificate.objects.get(pk=pending.pk).status == "approved"


def test_reject_asks_for_a_reason_first(admin_client):
    shop = ShopFactory(status="pending")
    form = admin_client.post(
        "/admin/shops/shop/", {"action": "reject", ACTION_CHECKBOX_NAME: [shop.pk]}
    )
    assert form.status_code == 200
    assert b'name="reason"' in form.content
    assert Shop.objects.get(pk=shop.pk).status == "pending"
    admin_client.post(
        "/admin/shops/shop/",
        {
            "action": "reject",
            ACTION_CHECKBOX_NAME: [shop.pk],
            "apply": "1",
            "reason": "Giấy phép kinh doanh không khớp",
        },
        follow=True,
    )
    shop.refresh_from_db()
    assert (shop.status, shop.status_reason) == ("rejected", "Giấy phép kinh doanh không khớp")


def test_an_impossible_action_is_reported_not_crashed(admin_client):
    shop = ShopFactory(status="active")
    response = admin_client.post(
        "/admin/shops/shop/", {"action": "approve", ACTION_CHECKBOX_NAME: [shop.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "cannot become active" in response.content.decode()


def test_search_and_filters(admin_client):
    shop = ShopFactory(name="HTX Green Life Hạ Long", tax_code="5701234567")
    certificate = CertificateFactory(
        shop=shop, number="3100/QĐ-UBND", stars=5, issued_by_level="national", score=92
    )
    ProductFactory(shop=shop, certificate=certificate, name="Trải nghiệm sống xanh")
    assert "Green Life" in admin_client.get("/admin/shops/shop/?q=5701234567").content.decode()
    assert (
        "3100/QĐ-UBND"
        in admin_client.get("/admin/shops/ocopcertificate/?q=3100&stars__exact=5").content.decode()
    )
    assert (
        "Trải nghiệm sống xanh"
        in admin_client.get("/admin/shops/product/?public=yes").content.decode()
    )
    assert (
        "Trải nghiệm sống xanh"
        not in admin_client.get("/admin/shops/product/?public=no").content.decode()
    )
    assert (
        admin_client.get(
            f"/admin/shops/shop/?status__exact=active&province__code__exact={shop.province_id}"
        ).status_code
        == 200
    )


def test_labels_are_vietnamese(admin_client):
    ShopFactory()
    page = admin_client.get("/admin/shops/shop/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Duyệt gian hàng đã chọn" in page


def test_labels_are_english_for_english_operators(admin_client):
    ShopFactory()
    page = admin_client.get("/admin/shops/shop/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approve selected shops" in page
    assert "Suspend selected shops" in page


def test_shops_are_found_by_their_certificate_number(admin_client):
    shop = ShopFactory(name="Đặc sản Châu Đốc")
    CertificateFactory(shop=shop, number="2087/QĐ-UBND")
    CertificateFactory(shop=shop, number="2088/QĐ-UBND")
    page = admin_client.get("/admin/shops/shop/?q=QĐ-UBND").content.decode()
    assert page.count(f"/admin/shops/shop/{shop.pk}/change/") == 1
