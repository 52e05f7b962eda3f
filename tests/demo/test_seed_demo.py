import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from marketplace.accounts.models import User
from marketplace.demo import accounts, seeding
from shops.models import (
    OcopCertificate,
    Product,
    ProductImage,
    ProductVariant,
    ServiceSession,
    Shop,
    ShopEvent,
    ShopMember,
    StockMovement,
)
from worker.models import Notification, NotificationPreference, OutboxMessage

pytestmark = pytest.mark.django_db

NGHE_AN, AN_GIANG = "40", "91"


def _snapshot() -> dict:
    """Everything seeding writes: counts per table, and what the catalogue shows."""
    models = (
        User,
        NotificationPreference,
        Shop,
        ShopMember,
        OcopCertificate,
        Product,
        ProductVariant,
        ServiceSession,
        StockMovement,
        ProductImage,
        ShopEvent,
        Notification,
        OutboxMessage,
    )
    return {
        "counts": {m.__name__: m.objects.count() for m in models},
        "products": sorted(
            Product.objects.values_list(
                "shop__slug", "name", "status", "certificate__number", "price_min", "price_max"
            )
        ),
        "variants": sorted(ProductVariant.objects.values_list("sku", "price", "stock")),
    }


def _stats(api_client) -> dict:
    response = api_client.get("/api/v1/stats/ocop/")
    assert response.status_code == 200
    return response.json()


def test_seed_demo_refuses_to_run_unless_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists() and not Shop.objects.exists()


def test_seed_demo_shows_the_articles_figures_and_a_second_run_changes_nothing(
    api_client, capsys, settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True  # the development settings `make run` seeds under
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    first = _snapshot()
    stats = _stats(api_client)

    provinces = {p["code"]: p for p in stats["by_province"]}
    # Nghệ An: 115 products of 3 stars and up, 77.4% at 3★ and 22.6% at 4★.
    assert provinces[NGHE_AN]["total"] == 115
    assert provinces[NGHE_AN]["by_stars"] == {"3": 89, "4": 26, "5": 0}
    # An Giang: 184 products of 3 to 5 stars.
    assert provinces[AN_GIANG]["total"] == 184
    assert sum(provinces[AN_GIANG]["by_stars"].values()) == 184
    assert provinces[AN_GIANG]["by_stars"]["5"] > 0
    assert provinces[AN_GIANG]["by_stars"]["3"] > provinces[AN_GIANG]["by_stars"]["4"]
    # The article's shops stay, with their products: Pù Mát's herbs, Châu Đốc's 5★
    # palm sugar, and HTX Green Life Hạ Long's group-6 visit in Quảng Ninh.
    assert provinces["22"]["total"] == 1
    assert stats["total"] == 115 + 184 + 1
    assert set(Shop.objects.values_list("province_id", flat=True)) == {"40", "91", "22"}
    assert Product.objects.filter(
        shop__slug="duoc-lieu-pu-mat", name="Cao xạ đen Pù Mát", certificate__stars=4
    ).exists()
    assert Product.objects.filter(
        shop__slug="dac-san-chau-doc", name="Đường thốt nốt Bảy Núi", certificate__stars=5
    ).exists()
    tour = Product.objects.get(name__startswith="Trải nghiệm")
    assert tour.is_service
    assert tour.variants.first().sessions.count() == 14

    # Every product is public, with its picture and thumbnail (made after commit).
    assert Product.objects.count() == stats["total"]
    assert ProductImage.objects.exclude(thumbnail="").count() == stats["total"]
    shops = api_client.get("/api/v1/shops/", {"page_size": 100}).json()
    assert shops["count"] == Shop.objects.count() == len(seeding.demo_catalogue().shops)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert _snapshot() == first
    assert _stats(api_client) == stats

    # The demo logins work; seeding once costs seconds, so they are checked here too.
    owners = list(seeding.demo_catalogue().owners.values())
    assert User.objects.count() == len(accounts.ALL) + len(owners)
    out = capsys.readouterr().out
    assert accounts.BUYER.email in out
    assert owners[0].email in out

    for account in [*accounts.ALL, owners[0], owners[-1]]:
        response = api_client.post(
            "/api/v1/auth/token/",
            {"email": account.email, "password": account.password},
            format="json",
        )
        assert response.status_code == 200, account.email
    assert User.objects.get(email=accounts.OPERATOR.email).is_operator
    # The generated producers read approvals in the app, not in three hundred e-mails.
    quiet = NotificationPreference.objects.filter(user__email=owners[0].email)
    assert set(quiet.values_list("kind", "email_enabled")) == {
        (str(kind), False) for kind in seeding.IN_APP_ONLY
    }
