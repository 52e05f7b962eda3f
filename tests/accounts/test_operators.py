"""Operators run the back office as staff in the operators' group, not as superusers:
they see everything of the marketplace, change what their work needs, delete nothing
with a history, and never touch accounts' permissions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import CommandError, call_command

from marketplace.accounts.models import User
from marketplace.accounts.services import OPERATORS_GROUP, operator_grant
from shops.models import Shop
from tests.accounts.factories import UserFactory
from tests.orders.flows import shop_order_in
from tests.shops.factories import ShopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_browser(client, operator):
    operator_grant(user=operator)
    assert not operator.is_superuser
    client.force_login(operator)
    return client


def test_operators_see_every_part_of_the_marketplace(operator_browser, buyer):
    shop_order = shop_order_in("shipped", buyer=buyer)
    for path in (
        "/admin/",
        "/admin/shops/shop/",
        "/admin/shops/ocopcertificate/",
        "/admin/shops/product/",
        "/admin/shops/stockmovement/",
        "/admin/orders/order/",
        f"/admin/orders/order/{shop_order.order_id}/change/",
        f"/admin/orders/shoporder/{shop_order.pk}/change/",
        "/admin/orders/shippingrate/",
        "/admin/worker/notification/",
        "/admin/worker/outboxmessage/",
        "/admin/regions/province/",
        "/admin/accounts/user/",
    ):
        assert operator_browser.get(path).status_code == 200, path


def test_operators_approve_through_the_actions(operator_browser):
    shop = ShopFactory(status="pending")
    operator_browser.post(
        "/admin/shops/shop/", {"action": "approve", ACTION_CHECKBOX_NAME: [shop.pk]}, follow=True
    )
    assert Shop.objects.get(pk=shop.pk).status == "active"


def test_operators_delete_nothing_with_a_history_nor_grant_themselves_anything(
    operator_browser, operator
):
    shop = ShopFactory()
    assert operator_browser.get(f"/admin/shops/shop/{shop.pk}/delete/").status_code == 403
    buyer = UserFactory(role="buyer")
    response = operator_browser.post(
        f"/admin/accounts/user/{buyer.pk}/change/",
        {"email": buyer.email, "is_staff": "on", "is_superuser": "on"},
    )
    assert response.status_code == 403
    buyer.refresh_from_db()
    assert not buyer.is_staff and not buyer.is_superuser
    assert operator_browser.get(f"/admin/accounts/user/{operator.pk}/delete/").status_code == 403


def test_buyers_and_producers_have_no_back_office(client, buyer, producer):
    for user in (buyer, producer):
        client.force_login(user)
        assert client.get("/admin/shops/shop/").status_code == 302


def test_make_operator_command(capsys):
    user = UserFactory(role="buyer", email="dieu.hanh@ocop.vn")
    call_command("make_operator", "Dieu.Hanh@ocop.vn")
    call_command("make_operator", "dieu.hanh@ocop.vn")  # twice: no harm
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [OPERATORS_GROUP]
    assert "operator" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("make_operator", "nobody@ocop.vn")
    assert User.objects.filter(is_staff=True).count() == 1
