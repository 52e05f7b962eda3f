"""The money back office: operators replay failed events, refund a shop order, run
payouts, download the bank file, mark payouts paid and reconcile COD remittances,
through admin actions that call the same services as the API and the worker."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from marketplace.accounts.services import operator_grant
from orders import services
from orders.models import ShopOrder
from payments.models import (
    CodCollection,
    Payout,
    ShopPayoutAccount,
    StripeEvent,
)
from tests.orders.factories import cart_add, checkout, shop_in, stocked_variant
from tests.orders.flows import shop_order_in
from tests.payments.events import intent, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, operator):
    operator_grant(user=operator)
    client.force_login(operator)
    return client


def _action(client, path, action, pks):
    return client.post(path, {"action": action, ACTION_CHECKBOX_NAME: pks}, follow=True)


def test_a_failed_event_is_listed_and_replayed_once_its_cause_is_fixed(
    admin_client, buyer, fake_port, django_capture_on_commit_callbacks
):
    cart_add(buyer, stocked_variant(), 1)
    order = checkout(buyer, method="stripe")
    services.payment_intent_ensure(order=order)
    order.refresh_from_db()
    # An event whose object lacks what its type promises fails, for an operator to see.
    broken = intent(order)
    del broken["amount"]
    with django_capture_on_commit_callbacks(execute=True):
        send("payment_intent.succeeded", broken, event_id="evt_broken")
    event = StripeEvent.objects.get(pk="evt_broken")
    assert event.status == "failed" and "KeyError" in event.last_error
    listing = admin_client.get("/admin/payments/stripeevent/?status__exact=failed")
    assert listing.status_code == 200 and b"evt_broken" in listing.content

    # Replaying an applied event does nothing; the failed one, once repaired, applies.
    event.payload["data"]["object"]["amount"] = order.total
    StripeEvent.objects.filter(pk=event.pk).update(payload=event.payload)
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(admin_client, "/admin/payments/stripeevent/", "replay", [event.pk])
    assert response.status_code == 200
    event.refresh_from_db()
    order.refresh_from_db()
    assert (event.status, event.attempts, order.status) == ("applied", 2, "paid")


def test_an_operator_refunds_a_delivered_card_shop_order(
    admin_client, buyer, fake_port, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        shop_order = shop_order_in("delivered", buyer=buyer, method="stripe")
        response = _action(admin_client, "/admin/orders/shoporder/", "refund", [shop_order.pk])
    assert response.status_code == 200
    shop_order.refresh_from_db()
    assert shop_order.refund_status == "done"
    assert [r["amount"] for r in fake_port.refunds] == [shop_order.total]
    # A second refund of the same shop order is refused, not repeated.
    with django_capture_on_commit_callbacks(execute=True):
        _action(admin_client, "/admin/orders/shoporder/", "refund", [shop_order.pk])
    assert len(fake_port.refunds) == 1


def test_payouts_from_the_back_office_and_cod_remittances(
    admin_client, buyer, django_capture_on_commit_callbacks
):
    shop = shop_in()
    with django_capture_on_commit_callbacks(execute=True):
        shop_order = shop_order_in("completed", buyer=buyer, shop=shop)
    account = ShopPayoutAccount.objects.create(
        shop=shop, bank_name="BIDV", account_number="12010000999", account_holder="Hộ Lan"
    )
    _action(admin_client, "/admin/payments/shoppayoutaccount/", "pay_out_now", [account.pk])
    _action(admin_client, "/admin/payments/shoppayoutaccount/", "pay_out_now", [account.pk])
    payout = Payout.objects.get()
    csv = _action(
        admin_client, "/admin/payments/payoutbatch/", "download_bank_file", [payout.batch_id]
    )
    assert csv["Content-Type"].startswith("text/csv")
    assert payout.reference in csv.content.decode()
    _action(admin_client, "/admin/payments/payout/", "mark_paid", [payout.pk])
    payout.refresh_from_db()
    assert payout.status == "paid"

    collection = CodCollection.objects.get(shop_order=shop_order)
    _action(admin_client, "/admin/payments/codcollection/", "mark_remitted", [collection.pk])
    collection.refresh_from_db()
    assert collection.status == "remitted" and collection.remitted_amount == shop_order.total
    assert ShopOrder.objects.get(pk=shop_order.pk).status == "completed"
