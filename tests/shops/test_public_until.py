"""The visibility rule, stored: `Product.public_until` equals the rule computed from the
shop, certificate and product rows after every kind of write, and the tally ledger's
count equals the number of public products, before and after compaction."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.db.models import Q

from marketplace.accounts.services import operator_grant
from shops import services
from shops.models import Product, ProductStatus, PublicProductTally
from shops.selectors import public_products, public_products_count
from tests.shops.admin_forms import admin_change
from tests.shops.factories import (
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
    product_status_set,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
EXPIRES = datetime.date(2026, 9, 30)
DAYS = [TODAY, EXPIRES - datetime.timedelta(days=1), EXPIRES, datetime.date(2027, 9, 30)]


def public_by_joins(today: datetime.date) -> set[int]:
    """The rule as it reads from the source rows (what `public_until` stores)."""
    return set(
        Product.objects.filter(
            Q(status="active")
            & Q(shop__status="active")
            & Q(certificate__status="approved")
            & Q(certificate__expires_on__gt=today)
        ).values_list("pk", flat=True)
    )


def assert_stored_rule_exact() -> None:
    for day in DAYS:
        expected = public_by_joins(day)
        assert set(public_products(today=day).values_list("pk", flat=True)) == expected, day
        assert public_products_count(today=day) == len(expected), day


@pytest.fixture
def admin_client(client, operator):
    operator_grant(user=operator)
    client.force_login(operator)
    return client


@pytest.fixture
def shop_with_products(operator):
    shop = ShopFactory()
    certificate = CertificateFactory(
        shop=shop, issued_on=datetime.date(2023, 9, 30), expires_on=EXPIRES
    )
    products = [ProductFactory(shop=shop, certificate=certificate) for _ in range(3)]
    for product in products:
        VariantFactory(product=product, initial_stock=4)
    ProductFactory(shop=shop, certificate=certificate, status="draft")
    return shop, certificate, products


def test_shop_transitions_carry_their_products(shop_with_products, operator):
    shop, _certificate, products = shop_with_products
    assert public_by_joins(TODAY) == {p.pk for p in products}
    assert_stored_rule_exact()

    services.shop_suspend(shop=shop, operator=operator, reason="Kiểm tra vệ sinh thực phẩm")
    assert public_products_count(today=TODAY) == 0
    assert_stored_rule_exact()

    services.shop_reinstate(shop=shop, operator=operator)
    assert public_products_count(today=TODAY) == 3
    assert_stored_rule_exact()


def test_product_and_certificate_transitions(shop_with_products, operator):
    shop, certificate, products = shop_with_products
    owner = shop.memberships.get(role="owner").user

    services.product_update(product=products[0], actor=owner, status="hidden")
    assert_stored_rule_exact()
    assert public_products_count(today=TODAY) == 2

    services.product_operator_delist(product=products[1], operator=operator, reason="Sai nhãn")
    assert_stored_rule_exact()
    assert public_products_count(today=TODAY) == 1

    # The daily sweep on the expiry date, then an approved renewal bringing them back.
    services.certificate_expiry_run(today=EXPIRES)
    assert_stored_rule_exact()
    assert public_products_count(today=TODAY) == 0
    renewal = CertificateFactory(
        shop=shop,
        status="pending",
        issued_on=datetime.date(2026, 9, 1),
        expires_on=datetime.date(2029, 9, 1),
        renews=certificate,
    )
    services.certificate_review(
        certificate=renewal, operator=operator, decision="approve", today=TODAY
    )
    assert_stored_rule_exact()
    # Delisted for the expiry: back; hidden by its owner and delisted by an operator: not.
    assert set(public_products(today=TODAY).values_list("pk", flat=True)) == {products[2].pk}


def test_the_calendar_alone_retires_a_product_on_its_expiry_date(shop_with_products):
    # No task has run: the stored date decides, as the joined rule does.
    assert public_products_count(today=EXPIRES - datetime.timedelta(days=1)) == 3
    assert public_products_count(today=EXPIRES) == 0
    assert_stored_rule_exact()


def test_a_back_office_edit_of_the_expiry_date_is_followed(shop_with_products, admin_client):
    _shop, certificate, _products = shop_with_products
    # An operator corrects a typo in the admin.
    admin_change(admin_client, certificate, expires_on=TODAY)
    assert public_products_count(today=TODAY) == 0
    assert_stored_rule_exact()


def test_deleting_products_keeps_the_tally(shop_with_products):
    shop, _certificate, products = shop_with_products
    other = ProductFactory(shop=ShopFactory())
    Product.objects.filter(pk=products[0].pk).delete()
    assert_stored_rule_exact()
    shop.products.all().delete()  # one DELETE of many rows
    assert_stored_rule_exact()
    assert set(public_products(today=TODAY).values_list("pk", flat=True)) == {other.pk}


def test_compaction_keeps_the_counts_and_folds_the_rows(shop_with_products, operator):
    shop, _certificate, _products = shop_with_products
    for _ in range(3):
        services.shop_suspend(shop=shop, operator=operator, reason="Kiểm tra")
        services.shop_reinstate(shop=shop, operator=operator)
    ProductFactory(certificate=CertificateFactory(expires_on=datetime.date(2027, 1, 1)))
    # A product whose certificate has passed: its row is of no count any more.
    ProductFactory(
        certificate=CertificateFactory(
            issued_on=datetime.date(2023, 1, 1), expires_on=datetime.date(2026, 1, 1)
        )
    )
    assert PublicProductTally.objects.count() > 3
    before = {day: public_products_count(today=day) for day in DAYS}

    kept = services.public_tally_compact(today=TODAY)

    assert kept == PublicProductTally.objects.count() == 2  # EXPIRES and 2027-01-01
    assert {day: public_products_count(today=day) for day in DAYS} == before
    assert services.public_tally_compact(today=TODAY) == 2
    assert {day: public_products_count(today=day) for day in DAYS} == before
    assert_stored_rule_exact()


def test_changes_after_a_compaction_count_with_the_folded_rows(shop_with_products, operator):
    shop, _certificate, products = shop_with_products
    later = CertificateFactory(shop=shop, expires_on=datetime.date(2027, 9, 30))
    ProductFactory(shop=shop, certificate=later)
    ProductFactory(certificate=CertificateFactory(expires_on=datetime.date(2028, 1, 1)))
    services.public_tally_compact(today=TODAY)
    folded = PublicProductTally.objects.filter(products_from__isnull=False)
    # Each folded row: its date's products and every later date's.
    assert sorted(folded.values_list("public_until", "products", "products_from")) == [
        (EXPIRES, 3, 5),
        (datetime.date(2027, 9, 30), 1, 2),
        (datetime.date(2028, 1, 1), 1, 1),
    ]
    # Changes after the folding: rows without running totals, counted beside them.
    ProductFactory(shop=shop, certificate=later)
    product_status_set(products[0], ProductStatus.HIDDEN)
    services.shop_suspend(shop=shop, operator=operator, reason="Kiểm tra")
    assert PublicProductTally.objects.filter(products_from__isnull=True).exists()
    assert_stored_rule_exact()
    services.shop_reinstate(shop=shop, operator=operator)
    assert_stored_rule_exact()
    services.public_tally_compact(today=TODAY)
    assert not PublicProductTally.objects.filter(products_from__isnull=True).exists()
    assert_stored_rule_exact()
    # Days after a folded date and after the last one.
    for day in (EXPIRES + datetime.timedelta(days=1), datetime.date(2028, 1, 1)):
        assert public_products_count(today=day) == len(public_by_joins(day))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_compaction_never_loses_a_change_committed_while_it_runs(regions):
    """A product goes public in a transaction still open while the ledger is folded on
    another connection: its +1 survives, and the count is right once it commits."""
    shop = ShopFactory()
    certificate = CertificateFactory(shop=shop, expires_on=datetime.date(2027, 9, 30))
    ProductFactory(shop=shop, certificate=certificate)
    inserted, compacted = threading.Event(), threading.Event()
    errors = []

    def add_product():
        try:
            with transaction.atomic():
                ProductFactory(shop=shop, certificate=certificate)
                inserted.set()
                assert compacted.wait(timeout=30)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def compact():
        try:
            assert inserted.wait(timeout=30)
            services.public_tally_compact(today=TODAY)
            compacted.set()
        except Exception as exc:
            errors.append(exc)
            compacted.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=add_product), threading.Thread(target=compact)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert public_products_count(today=TODAY) == 2 == len(public_by_joins(TODAY))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_compactions_at_once_leave_one_set_of_running_totals(regions):
    """A second folding waits for the first and folds its rows too: two sets of folded
    rows would each carry running totals, and the count would read only one."""
    shop = ShopFactory()
    certificate = CertificateFactory(shop=shop, expires_on=datetime.date(2027, 9, 30))
    ProductFactory(shop=shop, certificate=certificate)
    first_folded, release = threading.Event(), threading.Event()
    errors = []

    def run(fold):
        try:
            fold()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def first():
        with transaction.atomic():
            services.public_tally_compact(today=TODAY)
            first_folded.set()
            assert release.wait(timeout=30)

    first_thread = threading.Thread(target=run, args=(first,))
    first_thread.start()
    assert first_folded.wait(timeout=30)
    # Committed while the first folding is still open, so it is not among its rows.
    ProductFactory(shop=shop, certificate=certificate)
    second_thread = threading.Thread(
        target=run, args=(lambda: services.public_tally_compact(today=TODAY),)
    )
    second_thread.start()
    second_thread.join(timeout=0.5)
    release.set()
    for thread in (first_thread, second_thread):
        thread.join(timeout=60)
    assert not errors
    folded = PublicProductTally.objects.filter(products_from__isnull=False)
    assert list(folded.values_list("public_until", "products", "products_from")) == [
        (datetime.date(2027, 9, 30), 2, 2)
    ]
    assert public_products_count(today=TODAY) == 2 == len(public_by_joins(TODAY))
