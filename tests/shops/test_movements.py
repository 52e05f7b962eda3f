"""A variant's stock ledger as shop staff read it (issue 15, item 4): who moved the stock
is a role or an order's number, never a person's e-mail address."""

import pytest

from shops.models import ShopMember
from shops.services import stock_adjust, stock_release_many, stock_reserve_many, variant_update
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.shops.factories import VariantFactory, shop_owner

pytestmark = pytest.mark.django_db


def test_the_ledger_names_roles_and_order_numbers_not_addresses(django_assert_max_num_queries):
    variant = VariantFactory(initial_stock=30)
    shop = variant.shop
    owner = shop_owner(shop)
    buyer = UserFactory(role="buyer", email="khach.hang@example.vn")
    operator = UserFactory(role="buyer", is_staff=True, email="van.hanh@example.vn")
    former = UserFactory(role="producer", email="nv.cu@example.vn")
    membership = ShopMember.objects.create(shop=shop, user=former, role="staff")
    stock_adjust(variant=variant, delta=5, reason="restock", actor=former, reference="PN-01")
    membership.delete()  # the staff member has left since

    # What checkout, a buyer's cancellation, an expiry and the back office write.
    stock_reserve_many(items=[(variant.pk, 3)], reference="order:1042", actor=buyer)
    stock_release_many(items=[(variant.pk, 3)], reference="order:1042", actor=buyer)
    stock_reserve_many(items=[(variant.pk, 2)], reference="order:1043", actor=buyer)
    stock_release_many(items=[(variant.pk, 2)], reference="order:1043", actor=None)
    stock_adjust(variant=variant, delta=-1, reason="adjustment", actor=operator)
    variant_update(variant=variant, actor=owner, stock=20)

    client = bearer_client(owner)
    url = f"/api/v1/shops/{shop.slug}/variants/{variant.pk}/movements/"
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["reason"], r["actor"], r["order_number"]) for r in rows] == [
        ("adjustment", "shop_staff", None),
        ("adjustment", "operator", None),
        ("release", "system", 1043),
        ("reservation", "buyer", 1043),
        ("release", "buyer", 1042),
        ("reservation", "buyer", 1042),
        ("restock", "shop_staff", None),
        ("initial", "system", None),
    ]
    body = response.content.decode()
    for person in (buyer, operator, former, owner):
        assert person.email not in body
        assert person.full_name not in body
    assert "@" not in body

    # Staff read the same ledger.
    staff = UserFactory(role="producer")
    ShopMember.objects.create(shop=shop, user=staff, role="staff")
    assert bearer_client(staff).get(url).json()["results"] == rows
