import pytest
from django.core.management import call_command

from marketplace.accounts.models import User
from marketplace.demo import accounts

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_its_logins_work(api_client, capsys):
    call_command("seed_demo")
    first = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == first == len(accounts.ALL)
    assert accounts.BUYER.email in capsys.readouterr().out

    for account in accounts.ALL:
        response = api_client.post(
            "/api/v1/auth/token/",
            {"email": account.email, "password": account.password},
            format="json",
        )
        assert response.status_code == 200, account.email
    assert User.objects.get(email=accounts.OPERATOR.email).is_operator


def test_seed_demo_lists_public_ocop_products_once(api_client, django_capture_on_commit_callbacks):
    from shops.models import OcopCertificate, Product, ProductImage, Shop, StockMovement
    from shops.selectors import public_products

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    counts = [
        Shop.objects.count(),
        OcopCertificate.objects.count(),
        Product.objects.count(),
        StockMovement.objects.count(),
    ]
    call_command("seed_demo")
    assert [
        Shop.objects.count(),
        OcopCertificate.objects.count(),
        Product.objects.count(),
        StockMovement.objects.count(),
    ] == counts
    assert counts[:3] == [3, 5, 5]
    assert public_products().count() == 5
    assert set(OcopCertificate.objects.values_list("stars", flat=True)) == {3, 4, 5}
    assert set(Shop.objects.values_list("province_id", flat=True)) == {"40", "91", "22"}
    tour = Product.objects.get(name__startswith="Trải nghiệm")
    assert tour.is_service
    assert tour.variants.first().sessions.count() == 14
    assert ProductImage.objects.exclude(thumbnail="").count() == 5
    response = api_client.get("/api/v1/shops/")
    assert response.json()["count"] == 3
